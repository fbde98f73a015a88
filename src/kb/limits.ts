/**
 * How big one Hindsight site can get, and the clear error before it gets there.
 *
 * Astro keeps every entry of every content collection (frontmatter, Markdown body and rendered
 * HTML) in one content store, `data-store.json`, and at build time embeds it in the server bundle
 * as `JSON.parse(JSON.stringify(store))`. V8 caps a string at 2^29 − 24 = 536,870,888 characters,
 * and the escaped copy is about 6 % longer than the store, so the build dies with
 * "RangeError: Invalid string length" (astro/dist/content/vite-plugin-content-virtual-mod.js)
 * once the store passes about 508 MB. The store is about 2.2 times the Markdown it holds.
 *
 * Measured on this project's 2-core, 23 GB machine with the synthetic corpus of
 * `scripts/bench/generate.ts` (postmortem bodies of 1.5–6 KB, 100 playbooks), Astro 7.3.5,
 * by `scripts/bench/ceiling.ts`:
 *
 * | documents | Markdown | content store | result                                    | peak RSS |
 * | --------: | -------: | ------------: | ----------------------------------------- | -------: |
 * |    10,104 |    46 MB |        103 MB | site builds                               |   3.3 GB |
 * |    30,104 |   139 MB |        321 MB | bare Astro floor builds                   |   6.1 GB |
 * |    40,104 |   185 MB |        409 MB | site builds (437 s, 39,275 pages indexed) |   8.4 GB |
 * |    50,104 |   231 MB |        510 MB | build fails: "Invalid string length"      |   4.5 GB |
 *
 * So one site fails near 49,000 documents of that size, and needs about 210 KB of memory per
 * document on the way there. The limits below stay under the failure, so a knowledge base is
 * told to shard while it still builds, instead of failing after minutes with a stack trace. Both
 * count: the number of documents, and their total size (a few very long documents fill the store
 * as fast as many short ones). Astro's experimental chunked store
 * (`experimental.collectionStorage: 'chunked'`) avoids the single string but, in 7.3.5, encodes
 * the store one character at a time: at 50,000 documents it had not finished syncing after
 * 20 minutes (the single-file store syncs in 9), so it is not a way past the limit yet.
 */
import type { Diagnostic } from './diagnostics.ts';

/** Most documents (postmortems, playbooks and paths together) one site builds. */
export const MAX_DOCUMENTS = 40_000;

/** Most Markdown, in bytes, one site builds: the failure comes near 225 MB (508 MB of store). */
export const MAX_CONTENT_BYTES = 180 * 1024 * 1024;

/** From this share of either limit on, validation warns that sharding is coming. */
export const WARN_SHARE = 0.8;

/** What the knowledge base holds, as the loader saw it. */
export interface ContentSize {
  documents: number;
  /** Total size of the document files, bytes. */
  bytes: number;
}

const SHARDING_ADVICE =
  'split the knowledge base into several sites (for example one per group of services or per ' +
  'organisation, each with its own content/ folder and build) and let them share one search with ' +
  'Pagefind\'s multisite support (mergeIndex); see the README, "Scale and sharding"';

const number = (n: number): string => n.toLocaleString('en-US');
const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/**
 * A diagnostic when the knowledge base is over a limit (error) or close to one (warning), else
 * undefined. The validator adds it to its diagnostics; the site build refuses to start on the error.
 */
export function checkDocumentLimit(
  size: ContentSize,
  limits = { documents: MAX_DOCUMENTS, bytes: MAX_CONTENT_BYTES },
): Diagnostic | undefined {
  const share = Math.max(size.documents / limits.documents, size.bytes / limits.bytes);
  if (share < WARN_SHARE) return undefined;
  const found = `${number(size.documents)} documents, ${megabytes(size.bytes)} of Markdown`;
  const expected = `at most ${number(limits.documents)} documents and ${megabytes(limits.bytes)} of Markdown in one site`;
  if (share > 1) {
    return {
      code: 'too-many-documents',
      severity: 'error',
      file: 'content',
      line: 1,
      column: 1,
      message: `the knowledge base is too large to build as one site (${found}); Astro's content store would fail with "Invalid string length" near this size`,
      expected,
      found,
      hint: SHARDING_ADVICE,
    };
  }
  return {
    code: 'near-document-limit',
    severity: 'warning',
    file: 'content',
    line: 1,
    column: 1,
    message: `the knowledge base is at ${Math.round(share * 100)} % of what one site can build (${found}); plan to shard before it fails`,
    expected,
    found,
    hint: SHARDING_ADVICE,
  };
}

/** Throw a readable error (no stack trace is needed) when the site cannot be built as one. */
export function assertDocumentLimit(size: ContentSize): void {
  const diagnostic = checkDocumentLimit(size);
  if (diagnostic?.severity === 'error') {
    const error = new Error(`${diagnostic.message}.\nExpected ${diagnostic.expected}.\nTo fix: ${diagnostic.hint}.`);
    error.name = 'HindsightLimitError';
    throw error;
  }
}
