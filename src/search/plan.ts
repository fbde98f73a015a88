/**
 * Which words a search uses, chosen by what they cost to load.
 *
 * Pagefind splits its index into chunks of about 20,000 word positions, in alphabetical order,
 * and loads every chunk a searched word may be in. At 10,000 postmortems most chunks are
 * 20–30 KB, but a chunk holding a word that nearly every page uses ("the", "fail", "request")
 * is 60–310 KB, and so is every rarer word that happens to sort next to it ("tls" shares "to"'s
 * chunk). The indexer writes what it knows about the chunks to `pagefind/hindsight-index.json`
 * (`IndexProfile`): each chunk's word range and compressed size, and how many pages hold each
 * common word. With it, a search predicts exactly which chunks each word will load (the same
 * stemming and lookup as Pagefind 1.6, checked against the real bundle by the unit tests) and
 * keeps the most specific words that fit a byte budget: a responder's first search stays under
 * `FIRST_QUERY_BYTES` whatever they paste.
 *
 * Pure and small: bundled into the search page, also run in Node by the benchmark and tests.
 */
import { stem } from 'porter2';
import { expansions } from './synonyms.ts';
import { bareWord, looseParts } from './words.ts';

/** What the indexer tells the browser about the Pagefind index (`pagefind/hindsight-index.json`). */
export interface IndexProfile {
  version: 1;
  /** Pages in the index. */
  pages: number;
  /**
   * Compressed bytes every first search loads before any index chunk: Pagefind's script, entry
   * file, WebAssembly and metadata, and this profile.
   */
  fixedBytes: number;
  /** Median compressed size of one result's fragment (title, excerpt, metadata). */
  fragmentBytes: number;
  /**
   * Pagefind's index chunks in its order: first and last word (stems, cut to the shortest
   * prefixes that tell neighbouring chunks apart, as Pagefind stores them) and compressed bytes.
   */
  chunks: [from: string, to: string, bytes: number][];
  /** Stems held by at least `COMMON_SHARE` of the pages, with the number of pages holding each. */
  common: Record<string, number>;
  /** Characters Pagefind keeps inside words (its `include_characters`). */
  includeCharacters: string;
}

/** A stem on at least this share of pages is "common": listed in the profile with its page count. */
export const COMMON_SHARE = 0.05;
/**
 * A word on at least this share of pages tells pages apart so little (its BM25 weight is near
 * zero) that it is searched only when nothing else is left.
 */
export const UBIQUITOUS_SHARE = 0.9;
/**
 * In a large index, a word on at least `BROAD_SHARE` of the pages and at least `BROAD_PAGES`
 * pages is also left out while other words remain: each search scores and returns every page
 * holding it (thousands: tens of milliseconds per search on a phone), and a word on a third of
 * the pages weighs little in the ranking. Measured at 10,000 postmortems: recall unchanged,
 * searches twice as fast. Small knowledge bases never reach `BROAD_PAGES`.
 */
export const BROAD_SHARE = 0.3;
export const BROAD_PAGES = 1000;
/** What a responder's first search may transfer, all Pagefind files counted (compressed). */
export const FIRST_QUERY_BYTES = 300 * 1024;
/** Index bytes a search may always load, however large the fixed part of a big index. */
export const MIN_INDEX_BYTES = 64 * 1024;
/** Most words one search uses. */
export const MAX_PLANNED_WORDS = 8;

/**
 * Index bytes one search may load (chunks already loaded are free): what is left of
 * `FIRST_QUERY_BYTES` after the fixed files and a page of result fragments.
 */
export function indexBudget(profile: IndexProfile, pageSize: number): number {
  return Math.max(MIN_INDEX_BYTES, FIRST_QUERY_BYTES - profile.fixedBytes - pageSize * profile.fragmentBytes);
}

/** Check the shape of a fetched profile; anything else is ignored (searches then run unplanned). */
export function parseProfile(value: unknown): IndexProfile | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const p = value as Partial<Record<keyof IndexProfile, unknown>>;
  const ok =
    p.version === 1 &&
    typeof p.pages === 'number' &&
    typeof p.fixedBytes === 'number' &&
    typeof p.fragmentBytes === 'number' &&
    typeof p.includeCharacters === 'string' &&
    typeof p.common === 'object' &&
    p.common !== null &&
    Array.isArray(p.chunks) &&
    p.chunks.every(
      (c: unknown) =>
        Array.isArray(c) &&
        c.length === 3 &&
        typeof c[0] === 'string' &&
        typeof c[1] === 'string' &&
        typeof c[2] === 'number',
    );
  return ok ? (value as IndexProfile) : undefined;
}

// Pagefind 1.6 drops punctuation (dashes, brackets, quotes, other punctuation) from search terms
// and lowercases the rest; its test has this shape (the anchors bind to the first and last
// alternatives only), copied so that the same characters go.
const PUNCTUATION = /^\p{Pd}|\p{Pe}|\p{Pf}|\p{Pi}|\p{Po}|\p{Ps}$/u;

/** A word as Pagefind searches it: punctuation dropped, lowercased, diacritics removed. */
export function pagefindTerm(word: string, includeCharacters = '_'): string {
  let out = '';
  for (const char of word) {
    if (includeCharacters.includes(char)) out += char;
    else if (!PUNCTUATION.test(char)) out += char.toLocaleLowerCase();
  }
  return out.normalize('NFD').replace(/\p{M}/gu, '').replace(/\s+/g, '');
}

/**
 * Chunks (indexes into `profile.chunks`) Pagefind loads to search `term` (a `pagefindTerm`):
 * for the stem and for the term as typed, the chunk whose range holds it; failing that, every
 * chunk that may hold a word it is a prefix or an extension of.
 */
export function chunksFor(profile: IndexProfile, term: string): number[] {
  const found = new Set<number>();
  for (const t of new Set([stem(term), term])) {
    const strict: number[] = [];
    profile.chunks.forEach(([from, to], i) => {
      if (t >= from && t <= to) strict.push(i);
    });
    if (strict.length > 0) {
      for (const i of strict) found.add(i);
      continue;
    }
    profile.chunks.forEach(([from, to], i) => {
      const f = Math.min(t.length, from.length);
      const e = Math.min(t.length, to.length);
      if (t.slice(0, f) >= from.slice(0, f) && t.slice(0, e) <= to.slice(0, e)) found.add(i);
    });
  }
  return [...found];
}

/** One word of a query, as the planner sees it. */
export interface PlannedWord {
  word: string;
  /** Chunks a search with this word loads: the word, its parts and their expansions. */
  chunks: number[];
  /** Pages it matches, when it is common (`pagesMatching`); undefined for rarer words. */
  pages: number | undefined;
}

/** What `planWords` chose. */
export interface WordPlan {
  /** The words to search, in query order. */
  words: string[];
  /** Words left out: too common to matter, or over the byte budget. */
  dropped: string[];
  /** Compressed index bytes the search will load (chunks not loaded before). */
  bytes: number;
}

/** Cost and commonness of each word of a query. */
export function describeWords(profile: IndexProfile, words: readonly string[]): PlannedWord[] {
  return words.map((word) => {
    const terms = new Set<string>([pagefindTerm(word, profile.includeCharacters)]);
    for (const part of looseParts(word)) for (const e of expansions(part)) terms.add(pagefindTerm(e));
    const chunks = new Set<number>();
    for (const term of terms) if (term.length > 0) for (const c of chunksFor(profile, term)) chunks.add(c);
    return { word, chunks: [...chunks], pages: pagesMatching(profile, pagefindTerm(word, profile.includeCharacters)) };
  });
}

/**
 * How many pages a search for `term` matches, when that is many: Pagefind matches every word
 * that starts with the term's stem (`fai` finds `fail`, `failover`, `failure`), so the most
 * common such stem counts. Undefined when none is common.
 */
export function pagesMatching(profile: IndexProfile, term: string): number | undefined {
  if (term.length === 0) return undefined;
  const root = stem(term);
  let most: number | undefined;
  for (const [word, pages] of Object.entries(profile.common)) {
    if (word.startsWith(root) && pages > (most ?? 0)) most = pages;
  }
  return most;
}

/**
 * Choose the words to search: the rarer words first (the longest first: they tell pages apart),
 * then common words (fewest pages first), each only if its chunks fit in `budget` bytes on top
 * of those chosen so far (`loaded` chunks are free); a word on nearly every page
 * (`UBIQUITOUS_SHARE`), or on thousands of pages of a large index (`BROAD_SHARE`), only when
 * nothing else is left. At most `MAX_PLANNED_WORDS`; when
 * nothing fits, the cheapest word alone. A word that does not fit but has a cheaper spelling of
 * the same thing (`tls` → `certificate`, `synonyms.ts`) is searched as that. When everything
 * fits, every word is searched as typed.
 */
export function planWords(
  profile: IndexProfile,
  words: readonly string[],
  loaded: ReadonlySet<number>,
  budget: number,
): WordPlan {
  const described = describeWords(profile, words).map((w, index) => ({ ...w, index }));
  const tooCommon = (pages: number | undefined) =>
    pages !== undefined &&
    (pages >= profile.pages * UBIQUITOUS_SHARE || (pages >= profile.pages * BROAD_SHARE && pages >= BROAD_PAGES));
  const rare = described
    .filter((w) => w.pages === undefined)
    .sort((a, b) => b.word.length - a.word.length || a.index - b.index);
  const common = described
    .filter((w) => w.pages !== undefined)
    .sort((a, b) => (a.pages ?? 0) - (b.pages ?? 0) || a.index - b.index);
  const have = new Set(loaded);
  const chosen = new Set<number>();
  const extraBytes = (w: PlannedWord) =>
    w.chunks.filter((c) => !have.has(c)).reduce((sum, c) => sum + (profile.chunks[c]?.[2] ?? 0), 0);
  const choose = (w: PlannedWord & { index: number }) => {
    chosen.add(w.index);
    for (const c of w.chunks) have.add(c);
  };
  /** Words searched in place of a query word: a cheaper spelling of the same thing (`tls` → `certificate`). */
  const instead = new Map<number, string>();
  let bytes = 0;
  for (const w of [...rare, ...common]) {
    if (chosen.size >= MAX_PLANNED_WORDS) break;
    if (tooCommon(w.pages) && chosen.size > 0) continue;
    const extra = extraBytes(w);
    if (bytes + extra <= budget) {
      choose(w);
      bytes += extra;
      continue;
    }
    for (const other of expansions(bareWord(w.word)).slice(1)) {
      const alt = describeWords(profile, [other])[0];
      if (!alt || tooCommon(alt.pages)) continue;
      const altExtra = extraBytes(alt);
      if (bytes + altExtra > budget) continue;
      choose({ ...alt, index: w.index });
      instead.set(w.index, other);
      bytes += altExtra;
      break;
    }
  }
  if (chosen.size === 0) {
    // Nothing fits: search the cheapest word, the more specific one on a tie.
    const cheapest = [...rare, ...common].sort((a, b) => extraBytes(a) - extraBytes(b))[0];
    if (cheapest) {
      bytes = extraBytes(cheapest);
      choose(cheapest);
    }
  }
  return {
    words: described.filter((w) => chosen.has(w.index)).map((w) => instead.get(w.index) ?? w.word),
    dropped: described.filter((w) => !chosen.has(w.index) || instead.has(w.index)).map((w) => w.word),
    bytes,
  };
}

/** Every chunk the given words load. */
export function chunksOfWords(profile: IndexProfile, words: readonly string[]): number[] {
  return [...new Set(describeWords(profile, words).flatMap((w) => w.chunks))];
}
