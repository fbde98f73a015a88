/**
 * Where every incident of one facet value is listed, for pages that show only the most recent
 * (`FacetIncidents.astro`): the postmortem list filtered to it, or, for a tag (which that list
 * does not filter by), a search for the postmortems with that tag, newest first.
 */
import { toQueryString } from '../search/url-state.ts';

export type Facet = 'category' | 'severity' | 'service' | 'year' | 'tag';

/** The full list's path relative to the site base, e.g. `postmortems/?category=configuration`. */
export function allIncidentsPath(facet: Facet, value: string): string {
  if (facet === 'tag')
    return `search/?${toQueryString({ q: '', filters: { kind: ['postmortem'], tag: [value] }, sort: 'newest' })}`;
  return `postmortems/?${new URLSearchParams({ [facet]: value }).toString()}`;
}
