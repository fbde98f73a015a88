import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FILTER_KEYS } from '../../src/search/config.ts';
import { normalizedSignatures, readSortKeys, searchMarkup, searchRecord } from '../../src/search/document.ts';
import {
  emptyState,
  MAX_Q_LENGTH,
  pagefindFilters,
  parseSearchParams,
  toggleFilter,
  toQueryString,
  type SearchState,
} from '../../src/search/url-state.ts';
import { path, playbook, postmortem, SEVERITIES } from './search-fixtures.ts';

describe('search URL state', () => {
  it('reads query, repeated filters and sort from a pasted link', () => {
    const state = parseSearchParams(
      '?q=too+many+clients&kind=playbook&service=checkout-api&service=orders-db&sort=newest&utm=x',
    );
    expect(state).toEqual({
      q: 'too many clients',
      filters: { kind: ['playbook'], service: ['checkout-api', 'orders-db'] },
      sort: 'newest',
    });
  });

  it('ignores unknown sorts, empty and duplicate values, and cuts an enormous q', () => {
    const state = parseSearchParams(`?q=${'x'.repeat(5000)}&tag=&tag=db&tag=db&sort=random`);
    expect(state.q).toHaveLength(MAX_Q_LENGTH);
    expect(state.filters).toEqual({ tag: ['db'] });
    expect(state.sort).toBe('relevance');
  });

  it('writes a stable, shareable query string that reads back to the same state', () => {
    const state: SearchState = {
      q: 'FATAL: sorry, too many clients',
      filters: { service: ['b', 'a'], kind: ['playbook'] },
      sort: 'severity',
    };
    expect(toQueryString(state)).toBe(
      'q=FATAL%3A+sorry%2C+too+many+clients&kind=playbook&service=a&service=b&sort=severity',
    );
    expect(toQueryString(emptyState())).toBe('');
    const value = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }).filter((q) => q.trim().length > 0),
        fc.dictionary(fc.constantFrom(...FILTER_KEYS), fc.uniqueArray(value, { minLength: 1, maxLength: 4 })),
        fc.constantFrom('relevance', 'newest', 'oldest', 'severity' as const),
        (q, filters, sort) => {
          const back = parseSearchParams(toQueryString({ q, filters, sort }));
          expect(back.q).toBe(q);
          expect(back.sort).toBe(sort);
          for (const key of FILTER_KEYS)
            expect([...(back.filters[key] ?? [])].sort()).toEqual([...(filters[key] ?? [])].sort());
        },
      ),
    );
  });

  it('toggles chips on and off, and turns filters into Pagefind any-of filters', () => {
    let state = toggleFilter(emptyState(), 'severity', 'SEV1');
    state = toggleFilter(state, 'severity', 'SEV2');
    expect(pagefindFilters(state)).toEqual({ severity: { any: ['SEV1', 'SEV2'] } });
    state = toggleFilter(toggleFilter(state, 'severity', 'SEV1'), 'severity', 'SEV2');
    expect(state.filters).toEqual({});
  });
});

describe('search record of a document', () => {
  it('gives a postmortem its filters, UTC date and year, severity rank and summary block', () => {
    const pm = postmortem('INC-2026-003', {
      title: 'Orders lost at new year',
      summary: 'Orders placed around midnight were lost.',
      severity: 'SEV1',
      category: 'software-bug',
      services: ['orders-api'],
      tags: ['postgres', 'time'],
      // Local time in Berlin on New Year's Day is still the old year in UTC.
      started: '2026-01-01T00:30:00+01:00',
    });
    const record = searchRecord(pm, SEVERITIES);
    expect(record.filters).toEqual({
      kind: ['postmortem'],
      status: ['published'],
      tag: ['postgres', 'time'],
      severity: ['SEV1'],
      category: ['software-bug'],
      service: ['orders-api'],
      year: ['2025'],
    });
    expect(record.sort).toEqual({ date: '2025-12-31T23:30:00.000Z', severity: 1 });
    expect(record.meta).toEqual({ title: 'Orders lost at new year', id: 'INC-2026-003', date: '2025-12-31' });
  });

  it('indexes a playbook’s error signatures normalised, above its symptoms and summary', () => {
    const pb = playbook('pool', {
      title: 'Pool exhaustion',
      symptoms: ['p99 latency at the pool timeout'],
      error_signatures: [
        'HikariPool-1 - Connection is not available, request timed out after 30000ms.',
        'HikariPool-2 - Connection is not available, request timed out after 5000ms.',
      ],
    });
    const record = searchRecord(pb, SEVERITIES);
    expect(record.meta['signatures']).toBe('HikariPool Connection is not available, request timed out after');
    const weights = record.blocks.map((b) => b.weight);
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
    expect(record.blocks[0]?.lines).toEqual(['HikariPool Connection is not available, request timed out after']);
    expect(record.filters).not.toHaveProperty('year');
    expect(normalizedSignatures(['  ', '1234'])).toEqual([]);
  });

  it('renders hidden, escaped markup that cannot break out of its attributes', () => {
    const pb = playbook('xss', {
      title: 'Quotes " and <script>alert(1)</script>',
      symptoms: ['<img src=x onerror=alert(1)>'],
    });
    const html = searchMarkup(searchRecord(pb, SEVERITIES));
    expect(html).toMatch(/^<div hidden class="search-meta" data-sort-date="2026-09-01T00:00:00.000Z">/);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('data-pagefind-meta="title:Quotes &#34; and &#60;script&#62;alert(1)&#60;/script&#62;"');
    expect(searchMarkup(searchRecord(path('p', 'Path'), SEVERITIES))).toContain('data-pagefind-filter="kind:path"');
  });

  it('carries sort keys the indexer reads back, not Pagefind sorts (they would weigh on every search)', () => {
    const pm = postmortem('INC-2026-004', {
      title: 'Sorted',
      summary: 'x',
      severity: 'SEV2',
      category: 'software-bug',
      services: ['orders-api'],
      started: '2026-02-03T04:05:00Z',
    });
    const html = `<article data-pagefind-body>${searchMarkup(searchRecord(pm, SEVERITIES))}</article>`;
    expect(html).not.toContain('data-pagefind-sort');
    expect(readSortKeys(html)).toEqual({ date: '2026-02-03T04:05:00.000Z', severity: 2 });
    expect(readSortKeys(searchMarkup(searchRecord(path('p', 'Path'), SEVERITIES)))).toEqual({});
    expect(readSortKeys('<article data-pagefind-body><h1>No metadata</h1></article>')).toBeUndefined();
  });
});
