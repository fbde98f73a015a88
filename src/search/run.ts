/**
 * One search, exactly as the /search/ page runs it: configure Pagefind with the shared ranking,
 * prepare the query (normalise a pasted log line), apply filters and sort. The relevance
 * benchmark calls the same functions against the same generated index, so what it measures is
 * what responders get.
 */
import { PAGE_SIZE, PROFILE_FILE, RANKING, SORT_FILE } from './config.ts';
import { prepareQuery, type PreparedQuery } from './normalize.ts';
import { expansions } from './synonyms.ts';
import type { PagefindFilterCounts, PagefindModule, PagefindResult, PagefindSearchResults } from './pagefind-api.ts';
import { chunksOfWords, indexBudget, parseProfile, planWords, type IndexProfile } from './plan.ts';
import { parseSortOrder, sortResults, type SortOrder } from './sort.ts';
import { hasFilters, pagefindFilters, type SearchState } from './url-state.ts';
import { bareWord, isFunctionWord, looseParts } from './words.ts';

/** A Pagefind bundle and what Hindsight knows about it. */
export interface SearchEngine {
  pagefind: PagefindModule;
  /** The bundle's index profile; undefined for a bundle without one (searches then run unplanned). */
  profile: IndexProfile | undefined;
  /** Index chunks searches have loaded so far: free for the next search. */
  loaded: Set<number>;
  /** The date and severity order of the pages, fetched the first time someone sorts. */
  sortOrder: () => Promise<SortOrder>;
}

type FetchJson = (url: string) => Promise<unknown>;

const fetchJson: FetchJson = async (url) => {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json() as Promise<unknown>;
};

/**
 * Pair a configured Pagefind module (or the promise of one: the profile is fetched meanwhile)
 * with its index profile, fetched from `bundleUrl` (the bundle folder, e.g. `/kb/pagefind/`).
 * A missing or malformed profile leaves searches unplanned rather than failing them.
 */
export async function openEngine(
  module: PagefindModule | Promise<PagefindModule>,
  bundleUrl: string,
  get: FetchJson = fetchJson,
): Promise<SearchEngine> {
  const [pagefind, value] = await Promise.all([module, get(`${bundleUrl}${PROFILE_FILE}`).catch(() => undefined)]);
  const profile = parseProfile(value);
  let order: Promise<SortOrder> | undefined;
  const sortOrder = (): Promise<SortOrder> =>
    (order ??= get(`${bundleUrl}${SORT_FILE}`).then((value) => {
      const parsed = parseSortOrder(value);
      if (!parsed)
        throw new Error(`${bundleUrl}${SORT_FILE} is not a sort order this page understands; rebuild the site`);
      return parsed;
    })).catch((error: unknown) => {
      order = undefined; // try again next time
      throw error;
    });
  return { pagefind, profile, loaded: new Set(), sortOrder };
}

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
 * When this many pages hold every word, the partial-match pass is skipped: pages holding only
 * some words do not make the first page of results (measured at 10,000 postmortems: recall
 * unchanged), and each word searched alone would score thousands of pages (tens of
 * milliseconds apiece on a slow phone). Small knowledge bases never get here.
 */
export const STRICT_ENOUGH = 1000;

/**
 * Most words a search uses. A pasted log line or a long description can hold a dozen words;
 * each loads an index chunk (tens of kilobytes at 10,000 documents) and the most distinctive
 * few decide the ranking, so the longest ones are kept (`searchWords`).
 */
export const MAX_SEARCH_WORDS = 8;

/**
 * The words of a prepared term a search uses, in query order: function words left out (unless
 * that leaves nothing), then at most `MAX_SEARCH_WORDS`, the longest (most distinctive) first.
 */
export function searchWords(term: string): string[] {
  const kept = contentWordList(term);
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

/** The words of a term without function words ("the", "is", "for"), or all of them if that leaves nothing. */
export function contentWordList(term: string): string[] {
  const all = term.split(/\s+/).filter((word) => bareWord(word).length > 0);
  const content = all.filter((word) => !isFunctionWord(word));
  return content.length > 0 ? content : all;
}

/** The term without function words ("the", "is", "for"), or the term itself if that leaves nothing. */
export function contentWords(term: string): string {
  return searchWords(term).join(' ');
}

/**
 * The words a search of `term` uses, in query order: with the index profile, the most specific
 * words whose index chunks fit the byte budget (`planWords`); without it, `searchWords`.
 */
export function plannedWords(engine: Pick<SearchEngine, 'profile' | 'loaded'>, term: string): string[] {
  if (!engine.profile) return searchWords(term);
  return planWords(engine.profile, contentWordList(term), engine.loaded, indexBudget(engine.profile, PAGE_SIZE)).words;
}

/** Remember the chunks a search or preload of `words` made Pagefind load. */
function markLoaded(engine: SearchEngine, words: readonly string[]): void {
  if (!engine.profile) return;
  for (const chunk of chunksOfWords(engine.profile, words)) engine.loaded.add(chunk);
}

/** The distinct words of a prepared term worth searching alone, most distinctive (longest) first. */
export function looseWords(term: string): string[] {
  return [...new Set(looseParts(term))]
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
 * two or more words, each word (and its abbreviation expansions) is also searched alone and the
 * rankings are merged (`mergeLoose`), unless `STRICT_ENOUGH` pages hold every word. Sorted searches (by date, severity)
 * keep Pagefind's every-word semantics and are reordered with the sort file (`sort.ts`): a
 * date-ordered list of partial matches means nothing.
 *
 * The words searched are the query's most specific ones that fit the byte budget
 * (`plannedWords`); function words and words on most pages are left out.
 */
export async function runSearch(engine: SearchEngine, state: SearchState): Promise<SearchRun> {
  const { pagefind } = engine;
  const prepared = prepareQuery(state.q);
  const term = prepared.term.length > 0 ? prepared.term : null;
  if (term === null && !hasFilters(state)) return { prepared, results: null, partial: false };
  const sorted = state.sort !== 'relevance';
  const order = sorted ? engine.sortOrder() : undefined;
  const options = { filters: pagefindFilters(state) };
  const planned = term === null ? [] : plannedWords(engine, term);
  const searchTerm = planned.length > 0 ? planned.join(' ') : null;
  const words = searchTerm && !sorted ? looseWords(searchTerm) : [];
  let run: SearchRun;
  if (words.length < 2) {
    run = { prepared, results: await pagefind.search(searchTerm, options), partial: false };
  } else {
    const present = (r: PagefindSearchResults | null): r is PagefindSearchResults => r !== null;
    const strict = await pagefind.search(searchTerm, options);
    if (!strict) run = { prepared, results: null, partial: false };
    else if (strict.results.length >= STRICT_ENOUGH) run = { prepared, results: strict, partial: false };
    else {
      const perWord = await Promise.all(
        words.map(async (word) =>
          (await Promise.all(expansions(word).map((w) => pagefind.search(w, options)))).filter(present),
        ),
      );
      run = { prepared, results: mergeLoose(strict, perWord), partial: strict.results.length === 0 };
    }
  }
  markLoaded(engine, planned);
  if (order && run.results) {
    run = { ...run, results: { ...run.results, results: sortResults(run.results.results, state.sort, await order) } };
  }
  return run;
}

/** Start loading the index chunks a partly typed query will need. */
export function preloadSearch(engine: SearchEngine, state: SearchState): void {
  const term = prepareQuery(state.q).term;
  if (term.length === 0) return;
  // The words `runSearch` will search, and their parts and expansions as the partial-match pass
  // searches them: never the function words or over-budget words it leaves out.
  // `loaded` is left as it is: the search that follows plans with the same chunks loaded, so
  // chooses the same words (marking them here would give it a second budget).
  const planned = plannedWords(engine, term);
  const loose = state.sort === 'relevance' ? looseWords(planned.join(' ')) : [];
  const words = [...planned, ...(loose.length >= 2 ? loose.flatMap((word) => expansions(word)) : [])];
  void engine.pagefind.preload([...new Set(words)].join(' '), { filters: pagefindFilters(state) });
}
