/**
 * The part of Pagefind's browser API (`<base>pagefind/pagefind.js`, generated at build time)
 * that Hindsight uses. The `pagefind` npm package types only its Node indexing API, so these
 * mirror Pagefind 1.6's `pagefind_web_js/types/index.d.ts` for the calls made here.
 */

export interface PagefindRanking {
  termFrequency?: number;
  pageLength?: number;
  termSaturation?: number;
  termSimilarity?: number;
  metaWeights?: Record<string, number>;
}

export interface PagefindOptions {
  basePath?: string;
  baseUrl?: string;
  excerptLength?: number;
  ranking?: PagefindRanking;
  /** Run in the page instead of a Web Worker (Pagefind 1.5+; read before `init()`). */
  noWorker?: boolean;
}

export interface PagefindSearchOptions {
  filters?: Record<string, unknown>;
  sort?: Record<string, 'asc' | 'desc'>;
}

export type PagefindFilterCounts = Record<string, Record<string, number>>;

export interface PagefindSubResult {
  title: string;
  url: string;
  excerpt: string;
}

export interface PagefindFragment {
  url: string;
  excerpt: string;
  meta: Record<string, string | undefined>;
  filters: Record<string, string[] | undefined>;
  sub_results: PagefindSubResult[];
}

export interface PagefindResult {
  id: string;
  score: number;
  data: () => Promise<PagefindFragment>;
}

export interface PagefindSearchResults {
  results: PagefindResult[];
  unfilteredResultCount: number;
  filters: PagefindFilterCounts;
  totalFilters: PagefindFilterCounts;
}

export interface PagefindModule {
  options: (options: PagefindOptions) => Promise<void>;
  init: () => Promise<void>;
  preload: (term: string, options?: PagefindSearchOptions) => Promise<void>;
  search: (term: string | null, options?: PagefindSearchOptions) => Promise<PagefindSearchResults | null>;
  filters: () => Promise<PagefindFilterCounts>;
}
