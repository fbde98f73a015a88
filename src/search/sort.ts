/**
 * Sorting results by date or severity in the browser, from `pagefind/hindsight-sort.json`
 * (written by `index-profile.ts`, fetched the first time someone sorts). Pagefind could sort
 * itself, but it keeps each sort order in the metadata every search loads (20 KB per order at
 * 10,000 pages); this file is loaded only by those who sort.
 */
import type { SortId } from './config.ts';
import type { PagefindResult } from './pagefind-api.ts';

/** The dated pages, oldest first, and their severity ranks. */
export interface SortOrder {
  version: 1;
  /** Page hashes (Pagefind result ids), oldest first; pages without a date are not listed. */
  pages: string[];
  /** Severity rank of each listed page (1 = worst), 0 when it has none (playbooks). */
  severity: number[];
}

/** Check the shape of a fetched sort order. */
export function parseSortOrder(value: unknown): SortOrder | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Partial<Record<keyof SortOrder, unknown>>;
  if (v.version !== 1 || !Array.isArray(v.pages) || !Array.isArray(v.severity)) return undefined;
  if (v.pages.length !== v.severity.length) return undefined;
  if (!v.pages.every((p) => typeof p === 'string') || !v.severity.every((s) => typeof s === 'number')) return undefined;
  return value as SortOrder;
}

/**
 * Results in the order `sort` asks for: `newest`/`oldest` by date, leaving out pages without one
 * (onboarding paths); `severity` worst first, newest first within a severity, postmortems only.
 * `relevance` keeps the order given.
 */
export function sortResults<R extends Pick<PagefindResult, 'id'>>(
  results: readonly R[],
  sort: SortId,
  order: SortOrder,
): R[] {
  if (sort === 'relevance') return [...results];
  const position = new Map(order.pages.map((hash, i) => [hash, i]));
  const at = (r: R) => position.get(r.id) ?? -1;
  const rank = (r: R) => order.severity[at(r)] ?? 0;
  const dated = results.filter((r) => at(r) >= 0);
  if (sort === 'oldest') return dated.sort((a, b) => at(a) - at(b));
  if (sort === 'newest') return dated.sort((a, b) => at(b) - at(a));
  return dated.filter((r) => rank(r) > 0).sort((a, b) => rank(a) - rank(b) || at(b) - at(a));
}
