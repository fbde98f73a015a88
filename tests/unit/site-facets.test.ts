import { describe, expect, it } from 'vitest';
import { allIncidentsPath } from '../../src/site/facets.ts';
import { FACET_INCIDENTS_SHOWN, facetListLimit } from '../../src/site/limits.ts';
import { parseSearchParams } from '../../src/search/url-state.ts';

describe('the full list behind a taxonomy page', () => {
  it('is the postmortem list filtered to the same value, for the facets that list filters by', () => {
    expect(allIncidentsPath('category', 'third-party')).toBe('postmortems/?category=third-party');
    expect(allIncidentsPath('severity', 'SEV1')).toBe('postmortems/?severity=SEV1');
    expect(allIncidentsPath('service', 'checkout api')).toBe('postmortems/?service=checkout+api');
    expect(allIncidentsPath('year', '2026')).toBe('postmortems/?year=2026');
  });

  it('is a search for postmortems with the tag, newest first, for a tag', () => {
    const path = allIncidentsPath('tag', 'c++ & tls');
    expect(path.startsWith('search/?')).toBe(true);
    const state = parseSearchParams(path.slice('search/?'.length));
    expect(state).toEqual({ q: '', filters: { kind: ['postmortem'], tag: ['c++ & tls'] }, sort: 'newest' });
  });
});

describe('HINDSIGHT_LIST_LIMIT', () => {
  it('defaults to 100 and takes a whole number of at least 1', () => {
    expect(facetListLimit(undefined)).toBe(FACET_INCIDENTS_SHOWN);
    expect(FACET_INCIDENTS_SHOWN).toBe(100);
    expect(facetListLimit('')).toBe(100);
    expect(facetListLimit('25')).toBe(25);
    for (const bad of ['0', '-3', '2.5', 'all'])
      expect(() => facetListLimit(bad)).toThrow(/HINDSIGHT_LIST_LIMIT must be a whole number/);
  });
});
