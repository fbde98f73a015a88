/**
 * One search, exactly as the /search/ page runs it: configure Pagefind with the shared ranking,
 * prepare the query (normalise a pasted log line), apply filters and sort. The relevance
 * benchmark calls the same functions against the same generated index, so what it measures is
 * what responders get.
 */
import { RANKING, SORTS } from './config.ts';
import { prepareQuery, type PreparedQuery } from './normalize.ts';
import type { PagefindModule, PagefindSearchResults } from './pagefind-api.ts';
import { hasFilters, pagefindFilters, type SearchState } from './url-state.ts';

/** Words of context around matches in result excerpts. */
export const EXCERPT_LENGTH = 26;

/** Apply Hindsight's options to a freshly imported Pagefind module. */
export async function configurePagefind(pagefind: PagefindModule, extra: { basePath?: string; baseUrl?: string } = {}): Promise<void> {
  await pagefind.options({
    ...extra,
    excerptLength: EXCERPT_LENGTH,
    ranking: { ...RANKING, metaWeights: { ...RANKING.metaWeights } },
  });
}

export interface SearchRun {
  prepared: PreparedQuery;
  /** `null` when there is nothing to search for (no words, no filters). */
  results: PagefindSearchResults | null;
}

/** Run the search a state describes. */
export async function runSearch(pagefind: PagefindModule, state: SearchState): Promise<SearchRun> {
  const prepared = prepareQuery(state.q);
  const term = prepared.term.length > 0 ? prepared.term : null;
  if (term === null && !hasFilters(state)) return { prepared, results: null };
  const sort = SORTS[state.sort].sort;
  const results = await pagefind.search(term, {
    filters: pagefindFilters(state),
    ...(sort ? { sort: { ...sort } } : {}),
  });
  return { prepared, results };
}

/** Start loading the index chunks a partly typed query will need. */
export function preloadSearch(pagefind: PagefindModule, state: SearchState): void {
  const term = prepareQuery(state.q).term;
  if (term.length > 0) void pagefind.preload(term, { filters: pagefindFilters(state) });
}
