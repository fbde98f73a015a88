/**
 * Build the Pagefind index of a built site with the Pagefind Node API, checking every error it
 * returns. Only document pages (postmortems, playbooks, onboarding paths) are indexed, and only
 * their `<article data-pagefind-body>`: list pages, taxonomy pages and navigation chrome never
 * reach the index.
 *
 * Checks before indexing, each failing the build with the file named:
 * - every published document has a page, with a `data-pagefind-body` element and `<SearchMeta>`
 *   inside (otherwise Pagefind would skip it silently, or index it without filters);
 * - no other page under the document folders (lists such as `postmortems/by-severity/`) carries
 *   `data-pagefind-body`;
 * - no document page is a draft or in review (the production site publishes neither).
 */
import { access, readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import * as pagefind from 'pagefind';
import { KINDS } from '../schema/index.ts';
import { readSortKeys } from './document.ts';
import { eachLimit } from './each-limit.ts';
import { writeIndexProfile, type PageSortKeys } from './index-profile.ts';

/** Where document pages live in the built site, relative to its root. */
export const DOCUMENT_PAGE_GLOB = `{${Object.values(KINDS).join(',')}}/*/index.html`;

export interface IndexReport {
  /** Document pages indexed. */
  pages: number;
  /** Pages per kind folder, e.g. `{ postmortems: 10, playbooks: 31, paths: 3 }`. */
  byFolder: Record<string, number>;
  /** Language the index was built for (from the pages' `<html lang>`). */
  language: string;
  /** Folder the bundle was written to. */
  outputPath: string;
  milliseconds: number;
}

/** An indexing failure a person can act on: what went wrong, which files, what to do. */
export class SearchIndexError extends Error {
  override name = 'SearchIndexError';
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** Every `<kind folder>/<name>/index.html` of the built site: the candidates for indexing. */
async function documentPages(outDir: string): Promise<string[]> {
  const files: string[] = [];
  for (const folder of Object.values(KINDS)) {
    let entries;
    try {
      entries = await readdir(join(outDir, folder), { withFileTypes: true });
    } catch {
      continue; // no document of this kind
    }
    for (const entry of entries) {
      const file = join(outDir, folder, entry.name, 'index.html');
      if (entry.isDirectory() && (await exists(file))) files.push(file);
    }
  }
  return files.sort();
}

const BODY = /\sdata-pagefind-body(?:[\s=>/])/;
const UNPUBLISHED = /data-pagefind-filter="status:(draft|in-review)"/;
const LANG = /<html[^>]*\slang="([A-Za-z-]+)"/;

/** The language a page declares in `<html lang>`, lower-cased; `en` when it declares none. */
function pageLanguage(html: string): string {
  return LANG.exec(html)?.[1]?.toLowerCase() ?? 'en';
}

interface PageCheck {
  /** Pages that will be indexed (they have `data-pagefind-body`), relative to the site root. */
  indexed: string[];
  problems: string[];
  language: string;
  /** Sort keys of the indexed pages by URL path (`/postmortems/x/`), from their `<SearchMeta>`. */
  sortKeys: Map<string, PageSortKeys>;
}

/**
 * Check the candidate pages: which will be indexed, and every way the index would come out
 * wrong. `expected` (relative paths of the published documents' pages) makes the check exact:
 * each must be indexed, nothing else may be.
 */
async function checkPages(
  outDir: string,
  files: readonly string[],
  expected: ReadonlySet<string> | undefined,
): Promise<PageCheck> {
  const problems: string[] = [];
  const indexed: string[] = [];
  const languages = new Map<string, number>();
  const seen = new Set<string>();
  const sortKeys = new Map<string, PageSortKeys>();
  const howTo = "wrap the page's main content in <article data-pagefind-body> with <SearchMeta doc={doc} /> inside";
  await eachLimit(files, 32, async (file) => {
    const name = relative(outDir, file).split(sep).join('/');
    seen.add(name);
    const html = await readFile(file, 'utf8');
    const body = BODY.test(html);
    const keys = readSortKeys(html);
    const meta = keys !== undefined;
    const isDocument = expected ? expected.has(name) : body || meta;
    if (!isDocument) {
      if (body)
        problems.push(`${name}: not a published document's page, but it has data-pagefind-body and would be indexed`);
      return;
    }
    if (!body) problems.push(`${name}: no element with data-pagefind-body; ${howTo}`);
    else if (!meta)
      problems.push(`${name}: no <SearchMeta> inside data-pagefind-body (no filters, dates or signatures); ${howTo}`);
    const status = UNPUBLISHED.exec(html)?.[1];
    if (status)
      problems.push(
        `${name}: a ${status} document is in the production build; only published documents may be indexed`,
      );
    if (body) indexed.push(name);
    if (body && keys) sortKeys.set(`/${name.replace(/index\.html$/, '')}`, keys);
    const lang = pageLanguage(html);
    languages.set(lang, (languages.get(lang) ?? 0) + 1);
  });
  for (const name of expected ?? []) {
    if (!seen.has(name))
      problems.push(`${name}: missing; the document is published but the build wrote no page for it`);
  }
  // One index for the whole site, in the language most pages declare: a knowledge base is
  // searched as one, and Pagefind would otherwise split it per language.
  const language = [...languages.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'en';
  return { indexed: indexed.sort(), problems: problems.sort(), language, sortKeys };
}

function fail(step: string, errors: readonly string[]): never {
  throw new SearchIndexError(`Pagefind ${step} failed:\n  ${errors.join('\n  ')}`);
}

/**
 * Parts of document pages left out of the index: chrome every postmortem repeats (fact labels,
 * counts, timeline milestones, action-item tables, links to its failure modes). None is what a
 * responder searches by, and each made its words hold every page: "requests" ("failed
 * requests"), "time", "detect", "impact", "open", "due". At 10,000 postmortems a common word's
 * index chunk is 100–350 KB, loaded whole by any query with that word; playbooks, trigger,
 * impact, summary and the written narrative stay indexed.
 */
export const EXCLUDE_SELECTORS = [
  '.facts dt',
  '.facts dd .muted',
  '.timeline',
  'section[aria-labelledby="hs-action-items"]',
  'section[aria-labelledby="hs-failure-modes"]',
] as const;

export interface IndexOptions {
  /**
   * Pages of the published documents, relative to `outDir` (e.g. `playbooks/retry-storm/index.html`),
   * from `publishedDocumentPages()`. Without it, every page under a kind folder that carries
   * `data-pagefind-body` or `<SearchMeta>` counts as a document page.
   */
  expected?: readonly string[];
}

/** A new Pagefind index holding every page under the document folders (`DOCUMENT_PAGE_GLOB`). */
async function addPages(outDir: string, pages: number, language: string): Promise<pagefind.PagefindIndex> {
  const created = await pagefind.createIndex({ forceLanguage: language, excludeSelectors: [...EXCLUDE_SELECTORS] });
  if (created.errors.length > 0 || !created.index)
    fail('createIndex', created.errors.length ? created.errors : ['no index returned']);
  const index = created.index;
  // Pagefind reads every page the glob matches and indexes those with data-pagefind-body
  // (checked to be exactly the document pages); list pages in the same folders are skipped.
  const added = await index.addDirectory({ path: outDir, glob: DOCUMENT_PAGE_GLOB });
  if (added.errors.length > 0) fail('addDirectory', added.errors);
  if (added.page_count !== pages) {
    fail('addDirectory', [
      `read ${added.page_count} pages but the site has ${pages} pages under ${DOCUMENT_PAGE_GLOB}`,
    ]);
  }
  return index;
}

/**
 * Index the document pages of the site built in `outDir` and write the bundle to
 * `<outDir>/pagefind/`, with Hindsight's index profile and sort file beside Pagefind's files
 * (`index-profile.ts`). Throws `SearchIndexError` with every problem found.
 */
export async function indexSite(outDir: string, options: IndexOptions = {}): Promise<IndexReport> {
  const started = performance.now();
  const files = await documentPages(outDir);
  const expected = options.expected ? new Set(options.expected) : undefined;
  // The checks read every page; Pagefind reads them too, in its own process. Both run at once,
  // and nothing is written unless the checks pass. Pagefind starts in the language of the first
  // page, which a site built by Hindsight shares with all of them (`<html lang>` comes from one
  // setting); should most pages say otherwise, the pages are indexed again in theirs.
  const checking = checkPages(outDir, files, expected);
  checking.catch(() => undefined); // awaited below, before anything is written
  const firstLanguage = files[0] ? pageLanguage(await readFile(files[0], 'utf8')) : 'en';
  try {
    // The checks' findings come first, as soon as they are known: they say which page is wrong
    // and how to mend it (Pagefind, still reading, is stopped by `close()` below).
    const adding = addPages(outDir, files.length, firstLanguage).then(
      (index) => ({ index }),
      (error: unknown) => ({ error }),
    );
    const { indexed, problems, language, sortKeys } = await checking;
    if (problems.length > 0) {
      const shown = problems.slice(0, 20);
      const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : '';
      throw new SearchIndexError(`cannot index the site for search:\n  ${shown.join('\n  ')}${more}`);
    }
    const added = await adding;
    if ('error' in added) throw added.error;
    let index = added.index;
    if (language !== firstLanguage) {
      await index.deleteIndex();
      index = await addPages(outDir, files.length, language);
    }
    const outputPath = join(outDir, 'pagefind');
    const written = await index.writeFiles({ outputPath });
    if (written.errors.length > 0) fail('writeFiles', written.errors);
    // What searches need to choose their words by cost, and the sort orders (plan.ts, sort.ts).
    try {
      await writeIndexProfile(outputPath, language, sortKeys);
    } catch (error) {
      fail('profile', [error instanceof Error ? error.message : String(error)]);
    }
    const byFolder: Record<string, number> = {};
    for (const name of indexed) {
      const folder = name.split('/')[0] ?? '';
      byFolder[folder] = (byFolder[folder] ?? 0) + 1;
    }
    return {
      pages: indexed.length,
      byFolder,
      language,
      outputPath,
      milliseconds: Math.round(performance.now() - started),
    };
  } finally {
    await pagefind.close();
  }
}
