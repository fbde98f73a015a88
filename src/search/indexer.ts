/**
 * Build the Pagefind index of a built site with the Pagefind Node API, checking every error it
 * returns. Only document pages (postmortems, playbooks, onboarding paths) are indexed, and only
 * their `<article data-pagefind-body>`: list pages, taxonomy pages and navigation chrome never
 * reach the index.
 *
 * Checks before indexing, each failing the build with the file named:
 * - every document page has a `data-pagefind-body` element (otherwise Pagefind would either skip
 *   it silently or index the whole page, chrome included);
 * - no document page is a draft or in review (the production site publishes neither).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import * as pagefind from 'pagefind';
import { KINDS } from '../schema/index.ts';

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
      if (entry.isDirectory()) files.push(join(outDir, folder, entry.name, 'index.html'));
    }
  }
  return files.sort();
}

/** Run `task` over `items` with at most `limit` in flight. */
async function eachLimit<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await task(items[next++]!);
  });
  await Promise.all(workers);
}

const BODY = /\sdata-pagefind-body(?:[\s=>/])/;
const UNPUBLISHED = /data-pagefind-filter="status:(draft|in-review)"/;
const LANG = /<html[^>]*\slang="([A-Za-z-]+)"/;

/** Problems with the document pages that would make the index wrong, one line each. */
async function checkPages(outDir: string, files: readonly string[]): Promise<{ problems: string[]; language: string }> {
  const problems: string[] = [];
  const languages = new Map<string, number>();
  await eachLimit(files, 32, async (file) => {
    let html: string;
    try {
      html = await readFile(file, 'utf8');
    } catch {
      problems.push(`${relative(outDir, file)}: missing (the folder exists but has no index.html)`);
      return;
    }
    const name = relative(outDir, file);
    if (!BODY.test(html)) {
      problems.push(
        `${name}: no element with data-pagefind-body; wrap the page's main content in <article data-pagefind-body> and place <SearchMeta doc={doc} /> inside it`,
      );
    }
    const status = UNPUBLISHED.exec(html)?.[1];
    if (status) problems.push(`${name}: a ${status} document is in the production build; only published documents may be indexed`);
    const lang = LANG.exec(html)?.[1]?.toLowerCase() ?? 'en';
    languages.set(lang, (languages.get(lang) ?? 0) + 1);
  });
  // One index for the whole site, in the language most pages declare: a knowledge base is
  // searched as one, and Pagefind would otherwise split it per language.
  const language = [...languages.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'en';
  return { problems: problems.sort(), language };
}

function fail(step: string, errors: readonly string[]): never {
  throw new SearchIndexError(`Pagefind ${step} failed:\n  ${errors.join('\n  ')}`);
}

/**
 * Index the document pages of the site built in `outDir` and write the bundle to
 * `<outDir>/pagefind/`. Throws `SearchIndexError` with every problem found.
 */
export async function indexSite(outDir: string): Promise<IndexReport> {
  const started = performance.now();
  const files = await documentPages(outDir);
  const { problems, language } = await checkPages(outDir, files);
  if (problems.length > 0) {
    const shown = problems.slice(0, 20);
    const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : '';
    throw new SearchIndexError(`cannot index the site for search:\n  ${shown.join('\n  ')}${more}`);
  }
  try {
    const created = await pagefind.createIndex({ forceLanguage: language });
    if (created.errors.length > 0 || !created.index) fail('createIndex', created.errors.length ? created.errors : ['no index returned']);
    const index = created.index;
    const added = await index.addDirectory({ path: outDir, glob: DOCUMENT_PAGE_GLOB });
    if (added.errors.length > 0) fail('addDirectory', added.errors);
    if (added.page_count !== files.length) {
      fail('addDirectory', [`indexed ${added.page_count} pages but the site has ${files.length} document pages`]);
    }
    const outputPath = join(outDir, 'pagefind');
    const written = await index.writeFiles({ outputPath });
    if (written.errors.length > 0) fail('writeFiles', written.errors);
    const byFolder: Record<string, number> = {};
    for (const file of files) {
      const folder = relative(outDir, file).split(/[\\/]/)[0] ?? '';
      byFolder[folder] = (byFolder[folder] ?? 0) + 1;
    }
    return { pages: files.length, byFolder, language, outputPath, milliseconds: Math.round(performance.now() - started) };
  } finally {
    await pagefind.close();
  }
}
