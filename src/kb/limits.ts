/**
 * How big one Hindsight site can get, and the clear error before it gets there.
 *
 * Astro keeps every entry of every content collection (frontmatter, Markdown body and rendered
 * HTML) in one content store, which it serialises to a single string, and at build time embeds
 * once more as a string literal in the server bundle. V8 caps a string at 2^29 − 24 characters
 * (about 537 million), so the build dies with "RangeError: Invalid string length" once the store
 * approaches that size. The store is about 2.3 times the Markdown it holds (measured with the
 * synthetic corpus of `scripts/bench/generate.ts`: 10,000 postmortems of 1.5–6 KB bodies plus
 * 100 playbooks = 46 MB of Markdown, 108 MB of store), which puts the failure near 47,000
 * documents of that size. See `scripts/bench/ceiling.ts` for the measurement and the README
 * ("Scale and sharding") for the figures.
 *
 * The limits below stay well under it, so a knowledge base is told to shard while it still
 * builds, instead of failing after minutes with a stack trace. Both count: the number of
 * documents and their total size (a few very long documents fill the store as fast as many
 * short ones).
 */
import type { Diagnostic } from './diagnostics.ts';

/** Most documents (postmortems, playbooks and paths together) one site builds. */
export const MAX_DOCUMENTS = 40_000;

/** Most Markdown, in bytes, one site builds: about 40,000 documents of the measured size. */
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
  "Pagefind's multisite support (mergeIndex); see the README, \"Scale and sharding\"";

const number = (n: number): string => n.toLocaleString('en-US');
const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/**
 * A diagnostic when the knowledge base is over a limit (error) or close to one (warning), else
 * undefined. The validator adds it to its diagnostics; the site build refuses to start on the error.
 */
export function checkDocumentLimit(size: ContentSize, limits = { documents: MAX_DOCUMENTS, bytes: MAX_CONTENT_BYTES }): Diagnostic | undefined {
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
