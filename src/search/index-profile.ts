/**
 * Build side of search planning: once Pagefind has written its bundle, describe it for the
 * browser in two small files next to it.
 *
 * - `pagefind/hindsight-index.json` (`IndexProfile`, loaded with Pagefind, 1–4 KB compressed):
 *   each index chunk's word range and compressed size, the pages holding each common word, and
 *   the fixed bytes of a first search, so searches pick words within a byte budget (`plan.ts`).
 * - `pagefind/hindsight-sort.json` (`SortOrder`, loaded only when someone sorts): the dated pages
 *   oldest first, with each postmortem's severity rank. Pagefind's own sort orders live in its
 *   metadata, which every search loads: 20 KB each at 10,000 pages that nobody sorting by
 *   relevance needs.
 *
 * Reads Pagefind 1.6's file formats (gzip, a `pagefind_dcd` signature, CBOR); a format it does
 * not recognise fails the build with what to update.
 */
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decode } from 'cborg';
import { PROFILE_FILE, SORT_FILE } from './config.ts';
import { eachLimit } from './each-limit.ts';
import { COMMON_SHARE, type IndexProfile } from './plan.ts';
import type { SortOrder } from './sort.ts';

/** Most common stems listed in the profile (the rest count as rare). */
export const MAX_COMMON = 600;

/** Sort keys of one document page, read from its `<SearchMeta>` (`data-sort-*`). */
export interface PageSortKeys {
  /** ISO 8601 timestamp, UTC. */
  date?: string;
  /** Severity rank, 1 = worst. */
  severity?: number;
}

class FormatError extends Error {
  override name = 'PagefindFormatError';
}

const SIGNATURE = 'pagefind_dcd';

/** Decode one of Pagefind's compressed CBOR files. */
async function readPagefindFile(file: string): Promise<unknown> {
  const raw = gunzipSync(await readFile(file));
  const body = raw.subarray(0, SIGNATURE.length).toString() === SIGNATURE ? raw.subarray(SIGNATURE.length) : raw;
  return decode(body);
}

const isString = (v: unknown): v is string => typeof v === 'string';

/** The parts of Pagefind's metadata (`pagefind.<hash>.pf_meta`) Hindsight reads. */
export interface PagefindMeta {
  /** Page hashes (result ids), in page order. */
  pages: string[];
  /** Index chunks: word range and file hash (`index/<hash>.pf_index`). */
  chunks: { from: string; to: string; hash: string }[];
}

function parseMeta(value: unknown, file: string): PagefindMeta {
  const fail = (what: string): never => {
    throw new FormatError(
      `${file}: ${what}. Hindsight reads Pagefind 1.6's metadata to plan searches; after a Pagefind upgrade, update src/search/index-profile.ts.`,
    );
  };
  if (!Array.isArray(value) || value.length < 3) return fail('not the metadata layout expected');
  const [version, pages, chunks] = value as unknown[];
  if (!isString(version) || !version.startsWith('1.')) fail(`unknown Pagefind version ${String(version)}`);
  if (!Array.isArray(pages) || !Array.isArray(chunks)) return fail('no page or chunk list');
  return {
    pages: pages.map((p: unknown) => (Array.isArray(p) && isString(p[0]) ? p[0] : fail('a page entry without a hash'))),
    chunks: chunks.map((c: unknown) =>
      Array.isArray(c) && isString(c[0]) && isString(c[1]) && isString(c[2])
        ? { from: c[0], to: c[1], hash: c[2] }
        : fail('a chunk entry without its word range'),
    ),
  };
}

/** Words of one index chunk with the number of pages holding each. */
function chunkWords(value: unknown, file: string): [string, number][] {
  const words = Array.isArray(value) ? (value[0] as unknown) : undefined;
  if (!Array.isArray(words)) throw new FormatError(`${file}: not the index chunk layout expected`);
  return words.map((w: unknown) => {
    if (!Array.isArray(w) || !isString(w[0]) || !Array.isArray(w[1]))
      throw new FormatError(`${file}: a word entry without its pages`);
    return [w[0], w[1].length];
  });
}

const gzipBytes = async (file: string): Promise<number> => gzipSync(await readFile(file)).length;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Read the Pagefind bundle's entry file and its metadata for `language` (or its only language). */
export async function readBundleMeta(
  bundleDir: string,
  language: string,
): Promise<{ meta: PagefindMeta; metaFile: string; wasmFile: string; includeCharacters: string }> {
  const entryFile = join(bundleDir, 'pagefind-entry.json');
  const entry = JSON.parse(await readFile(entryFile, 'utf8')) as {
    languages?: Record<string, { hash?: string; wasm?: string }>;
    include_characters?: string[];
  };
  const lang = entry.languages?.[language] ?? Object.values(entry.languages ?? {})[0];
  if (!lang?.hash) throw new FormatError(`${entryFile}: no index for "${language}"`);
  const metaFile = join(bundleDir, `pagefind.${lang.hash}.pf_meta`);
  return {
    meta: parseMeta(await readPagefindFile(metaFile), metaFile),
    metaFile,
    wasmFile: join(bundleDir, `wasm.${lang.wasm ?? language}.pagefind`),
    includeCharacters: (entry.include_characters ?? ['_']).join(''),
  };
}

export interface ProfileReport {
  profile: IndexProfile;
  sort: SortOrder;
}

/**
 * Write `hindsight-index.json` and `hindsight-sort.json` into the Pagefind bundle at
 * `bundleDir` for `language`. `sortKeys` maps each document page's URL path (`/postmortems/x/`,
 * as Pagefind records it) to its sort keys.
 */
export async function writeIndexProfile(
  bundleDir: string,
  language: string,
  sortKeys: ReadonlyMap<string, PageSortKeys>,
): Promise<ProfileReport> {
  const { meta, metaFile, wasmFile, includeCharacters } = await readBundleMeta(bundleDir, language);

  // Chunk sizes, and how many pages hold each word.
  const pagesOfWord = new Map<string, number>();
  const chunkBytes = new Map<string, number>();
  await eachLimit(meta.chunks, 8, async ({ hash }) => {
    const file = join(bundleDir, 'index', `${hash}.pf_index`);
    chunkBytes.set(hash, (await stat(file)).size);
    for (const [word, pages] of chunkWords(await readPagefindFile(file), file)) pagesOfWord.set(word, pages);
  });
  const threshold = Math.max(3, Math.ceil(meta.pages.length * COMMON_SHARE));
  const common = Object.fromEntries(
    [...pagesOfWord.entries()]
      .filter(([, pages]) => pages >= threshold)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, MAX_COMMON),
  );

  // Fragments: their sizes (a page of results costs that many), and which page is which.
  const fragments = await readdir(join(bundleDir, 'fragment'));
  const fragmentSizes: number[] = [];
  const urlOfHash = new Map<string, string>();
  await eachLimit(fragments, 16, async (name) => {
    const file = join(bundleDir, 'fragment', name);
    const buffer = await readFile(file);
    fragmentSizes.push(buffer.length);
    const text = gunzipSync(buffer).toString('utf8');
    const start = text.indexOf('{');
    const data = JSON.parse(start >= 0 ? text.slice(start) : text) as { url?: unknown };
    if (typeof data.url === 'string') urlOfHash.set(name.replace(/\.pf_fragment$/, ''), data.url);
  });

  const sort = sortOrder(meta.pages, urlOfHash, sortKeys);
  await writeFile(join(bundleDir, SORT_FILE), JSON.stringify(sort));

  const profile: IndexProfile = {
    version: 1,
    pages: meta.pages.length,
    fixedBytes: 0,
    fragmentBytes: median(fragmentSizes),
    chunks: meta.chunks.map(({ from, to, hash }) => [from, to, chunkBytes.get(hash) ?? 0]),
    common,
    includeCharacters,
  };
  const fixed =
    (await gzipBytes(join(bundleDir, 'pagefind.js'))) +
    (await gzipBytes(join(bundleDir, 'pagefind-entry.json'))) +
    (await stat(wasmFile)).size +
    (await stat(metaFile)).size;
  profile.fixedBytes = fixed + gzipSync(JSON.stringify(profile)).length;
  await writeFile(join(bundleDir, PROFILE_FILE), JSON.stringify(profile));
  return { profile, sort };
}

/** Dated pages oldest first (ties by URL), with severity ranks, from the pages' sort keys. */
export function sortOrder(
  pages: readonly string[],
  urlOfHash: ReadonlyMap<string, string>,
  sortKeys: ReadonlyMap<string, PageSortKeys>,
): SortOrder {
  const dated = pages
    .map((hash) => ({ hash, url: urlOfHash.get(hash) ?? '', keys: sortKeys.get(urlOfHash.get(hash) ?? '') }))
    .filter((p): p is { hash: string; url: string; keys: PageSortKeys & { date: string } } => !!p.keys?.date)
    .sort((a, b) => (a.keys.date < b.keys.date ? -1 : a.keys.date > b.keys.date ? 1 : a.url < b.url ? -1 : 1));
  return {
    version: 1,
    pages: dated.map((p) => p.hash),
    severity: dated.map((p) => p.keys.severity ?? 0),
  };
}
