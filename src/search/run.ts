/**
 * One search, exactly as the /search/ page runs it: configure Pagefind with the shared ranking,
 * prepare the query (normalise a pasted log line), apply filters and sort. The relevance
 * benchmark calls the same functions against the same generated index, so what it measures is
 * what responders get.
 */
import { RANKING, SORTS } from './config.ts';
import { prepareQuery, type PreparedQuery } from './normalize.ts';
import { expansions } from './synonyms.ts';
import type { PagefindFilterCounts, PagefindModule, PagefindResult, PagefindSearchResults } from './pagefind-api.ts';
import { hasFilters, pagefindFilters, type SearchState } from './url-state.ts';

/** Words of context around matches in result excerpts. */
export const EXCERPT_LENGTH = 26;

/** Apply Hindsight's options to a freshly imported Pagefind module. */
export async function configurePagefind(
  pagefind: PagefindModule,
  extra: { basePath?: string; baseUrl?: string } = {},
): Promise<void> {
  await pagefind.options({
    ...extra,
    noWorker: true,
    excerptLength: EXCERPT_LENGTH,
    ranking: { ...RANKING, metaWeights: { ...RANKING.metaWeights } },
  });
}

export interface SearchRun {
  prepared: PreparedQuery;
  /** `null` when there is nothing to search for (no words, no filters). */
  results: PagefindSearchResults | null;
  /**
   * True when no document has every word and the results are the best partial matches (each
   * word searched alone, scores summed): the usual case for a pasted log line.
   */
  partial: boolean;
}

/** Score multiplier for pages that hold every word. */
export const STRICT_BONUS = 1.5;
/** Most words searched one by one in the partial-match pass. */
export const MAX_LOOSE_WORDS = 16;

/**
 * Words too common to be worth a search: function words, which every page holds. Each searched
 * word costs its index chunk, and the chunk of a word every page holds is the largest there is
 * (100–350 KB at 10,000 documents).
 */
const STOPWORDS = new Set(
  'a about after again all already also an and any are as at be been before but by can could did do does during each every for from had has have how in into is it its just more most no not of on once only or other our over same so some such than that the their then there these they this those to up very was we were what when where which while who why will with would you your'.split(
    ' ',
  ),
);

/**
 * Most words a search uses. A pasted log line or a long description can hold a dozen words;
 * each loads an index chunk (tens of kilobytes at 10,000 documents) and the most distinctive
 * few decide the ranking, so the longest ones are kept (`searchWords`).
 */
export const MAX_SEARCH_WORDS = 8;

const bareWord = (word: string): string => word.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');

/**
 * The words of a prepared term a search uses, in query order: function words left out (unless
 * that leaves nothing), then at most `MAX_SEARCH_WORDS`, the longest (most distinctive) first.
 */
export function searchWords(term: string): string[] {
  const all = term.split(/\s+/).filter((word) => bareWord(word).length > 0);
  const content = all.filter((word) => !STOPWORDS.has(bareWord(word).replace(/[^\p{L}\p{N}]+/gu, '')));
  const kept = content.length > 0 ? content : all;
  if (kept.length <= MAX_SEARCH_WORDS) return kept;
  const chosen = new Set(
    kept
      .map((word, index) => ({ word, index, length: bareWord(word).length }))
      .sort((a, b) => b.length - a.length || a.index - b.index)
      .slice(0, MAX_SEARCH_WORDS)
      .map((w) => w.index),
  );
  return kept.filter((_, index) => chosen.has(index));
}

/** The term without function words ("the", "is", "for"), or the term itself if that leaves nothing. */
export function contentWords(term: string): string {
  return searchWords(term).join(' ');
}

/** The distinct words of a prepared term worth searching alone, most distinctive (longest) first. */
export function looseWords(term: string): string[] {
  const words = new Set<string>();
  for (const word of term.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (word.length >= 2 && !STOPWORDS.has(word)) words.add(word);
  }
  return [...words]
    .sort((a, b) => b.length - a.length)
    .slice(0, MAX_LOOSE_WORDS)
    .sort();
}

/**
 * Merge per-word searches into one ranking. `perWord[i]` holds the searches for word i and its
 * expansions (`db` and `database`); a page's score for a word is its best score among them, and
 * its total is the sum over words (Pagefind's BM25 with title and signature boosts, per word)
 * scaled by the share of words it matched, so a page matching most of a pasted line beats one
 * matching a single word strongly. Pages holding every word (`strict`) get `strictBonus`.
 */
export function mergeLoose(
  strict: PagefindSearchResults,
  perWord: readonly (readonly PagefindSearchResults[])[],
  strictBonus = STRICT_BONUS,
): PagefindSearchResults {
  const pages = new Map<string, { result: PagefindResult; best: number; total: number; words: number }>();
  for (const alternatives of perWord) {
    // Best score of each page for this word, over its expansions.
    const forWord = new Map<string, PagefindResult>();
    for (const results of alternatives) {
      for (const result of results.results) {
        const seen = forWord.get(result.id);
        if (!seen || result.score > seen.score) forWord.set(result.id, result);
      }
    }
    for (const result of forWord.values()) {
      const page = pages.get(result.id);
      if (!page) pages.set(result.id, { result, best: result.score, total: result.score, words: 1 });
      else {
        page.total += result.score;
        page.words += 1;
        // Excerpts come from the word that matched the page best.
        if (result.score > page.best) {
          page.best = result.score;
          page.result = result;
        }
      }
    }
  }
  // A page holding every word keeps the strict result: its excerpt highlights all the words.
  const strictById = new Map(strict.results.map((r) => [r.id, r]));
  const merged = [...pages.values()]
    .map((p) => {
      const whole = strictById.get(p.result.id);
      return {
        result: whole ?? p.result,
        score: p.total * (p.words / Math.max(perWord.length, 1)) * (whole ? strictBonus : 1),
      };
    })
    .sort((a, b) => b.score - a.score || a.result.id.localeCompare(b.result.id))
    .map(({ result, score }) => ({ ...result, score }));
  const mergedIds = new Set(merged.map((r) => r.id));
  const counts: PagefindFilterCounts = {};
  for (const results of [strict, ...perWord.flat()]) {
    for (const [key, values] of Object.entries(results.filters)) {
      const target = (counts[key] ??= {});
      for (const [value, n] of Object.entries(values)) target[value] = Math.max(target[value] ?? 0, n);
    }
  }
  return {
    results: [...merged, ...strict.results.filter((r) => !mergedIds.has(r.id))],
    unfilteredResultCount: Math.max(
      strict.unfilteredResultCount,
      ...perWord.flat().map((r) => r.unfilteredResultCount),
    ),
    filters: counts,
    totalFilters: strict.totalFilters,
  };
}

/**
 * Run the search a state describes.
 *
 * Pagefind on its own returns only pages holding every word, which fails a responder twice: a
 * pasted log line never has all its words in one document, and a typed symptom carries context
 * ("checkout", "after deploy") the right playbook does not. So for relevance-ordered searches of
 * two or more words, each word (and its abbreviation expansions) is also searched alone, at the
 * same time, and the rankings are merged (`mergeLoose`). Sorted searches (by date, severity)
 * keep Pagefind's every-word semantics: a date-ordered list of partial matches means nothing.
 */
export async function runSearch(pagefind: PagefindModule, state: SearchState): Promise<SearchRun> {
  const prepared = prepareQuery(state.q);
  const term = prepared.term.length > 0 ? prepared.term : null;
  if (term === null && !hasFilters(state)) return { prepared, results: null, partial: false };
  const sort = SORTS[state.sort].sort;
  const options = { filters: pagefindFilters(state), ...(sort ? { sort: { ...sort } } : {}) };
  // Function words carry no meaning in a search but cost the most: their index chunks list
  // nearly every page. They are left out unless the query has nothing else.
  const searchTerm = term === null ? null : contentWords(term);
  const words = searchTerm && !sort ? looseWords(searchTerm) : [];
  if (words.length < 2) return { prepared, results: await pagefind.search(searchTerm, options), partial: false };
  const present = (r: PagefindSearchResults | null): r is PagefindSearchResults => r !== null;
  const [strict, perWord] = await Promise.all([
    pagefind.search(searchTerm, options),
    Promise.all(
      words.map(async (word) =>
        (await Promise.all(expansions(word).map((w) => pagefind.search(w, options)))).filter(present),
      ),
    ),
  ]);
  if (!strict) return { prepared, results: null, partial: false };
  return { prepared, results: mergeLoose(strict, perWord), partial: strict.results.length === 0 };
}

/** Start loading the index chunks a partly typed query will need. */
export function preloadSearch(pagefind: PagefindModule, state: SearchState): void {
  const term = prepareQuery(state.q).term;
  if (term.length === 0) return;
  // The words `runSearch` will search, and their expansions: never the function words it
  // leaves out (their chunks are the largest of the index).
  const words = searchWords(term).flatMap((word) => expansions(bareWord(word)));
  void pagefind.preload([...new Set(words)].join(' '), { filters: pagefindFilters(state) });
}
