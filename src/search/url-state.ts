/**
 * The search URL scheme: the whole state of a search lives in the query string, so a result list
 * can be pasted into the incident channel and opens the same for everyone.
 *
 *   /search/?q=<text>&<filter>=<value>[&<filter>=<value>…][&sort=newest|oldest|severity]
 *
 * e.g. `/kb/search/?q=too+many+clients&kind=playbook&service=checkout-api&service=orders-db`.
 * Several values of one filter mean "any of them"; different filters must all hold. `q` is kept
 * exactly as typed (the pasted log line, not its normalised form), so the link shows what the
 * responder saw. Unknown parameters are ignored. Pure: used by the page and by tests.
 */
import { FILTER_KEYS, SORTS, type FilterKey, type SortId } from './config.ts';

export interface SearchState {
  q: string;
  filters: Partial<Record<FilterKey, string[]>>;
  sort: SortId;
}

/** Longest query kept from a URL (a pasted stack trace is cut, not rejected). */
export const MAX_Q_LENGTH = 2000;
const MAX_VALUES = 20;
const MAX_VALUE_LENGTH = 100;

export function emptyState(): SearchState {
  return { q: '', filters: {}, sort: 'relevance' };
}

function isSort(value: string | null): value is SortId {
  return value !== null && Object.hasOwn(SORTS, value);
}

/** Read a search state from a query string (`location.search` or `URLSearchParams`). */
export function parseSearchParams(input: string | URLSearchParams): SearchState {
  const params = typeof input === 'string' ? new URLSearchParams(input) : input;
  const state = emptyState();
  state.q = (params.get('q') ?? '').slice(0, MAX_Q_LENGTH);
  for (const key of FILTER_KEYS) {
    const values = [
      ...new Set(
        params
          .getAll(key)
          .map((v) => v.trim())
          .filter((v) => v.length > 0 && v.length <= MAX_VALUE_LENGTH),
      ),
    ].slice(0, MAX_VALUES);
    if (values.length > 0) state.filters[key] = values;
  }
  const sort = params.get('sort');
  if (isSort(sort)) state.sort = sort;
  return state;
}

/** Write a search state as a query string, in a stable order (q, filters, sort), without `?`. */
export function toQueryString(state: SearchState): string {
  const params = new URLSearchParams();
  if (state.q.trim().length > 0) params.set('q', state.q);
  for (const key of FILTER_KEYS) {
    for (const value of [...(state.filters[key] ?? [])].sort()) params.append(key, value);
  }
  if (state.sort !== 'relevance') params.set('sort', state.sort);
  return params.toString();
}

/** Add or remove one filter value (a chip click). Returns a new state. */
export function toggleFilter(state: SearchState, key: FilterKey, value: string): SearchState {
  const current = state.filters[key] ?? [];
  const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
  const filters: SearchState['filters'] = {};
  for (const k of FILTER_KEYS) {
    const values = k === key ? next : state.filters[k];
    if (values && values.length > 0) filters[k] = values;
  }
  return { ...state, filters };
}

export function hasFilters(state: SearchState): boolean {
  return FILTER_KEYS.some((key) => (state.filters[key]?.length ?? 0) > 0);
}

/** Pagefind `filters` option: any of the values within a filter, all filters together. */
export function pagefindFilters(state: SearchState): Record<string, { any: string[] }> {
  const out: Record<string, { any: string[] }> = {};
  for (const key of FILTER_KEYS) {
    const values = state.filters[key];
    if (values && values.length > 0) out[key] = { any: [...values] };
  }
  return out;
}
