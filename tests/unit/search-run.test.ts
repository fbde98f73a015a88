import { describe, expect, it } from 'vitest';
import type { PagefindResult, PagefindSearchResults } from '../../src/search/pagefind-api.ts';
import {
  contentWords,
  looseWords,
  MAX_LOOSE_WORDS,
  MAX_SEARCH_WORDS,
  mergeLoose,
  preloadSearch,
  runSearch,
  searchWords,
  STRICT_ENOUGH,
} from '../../src/search/run.ts';
import type { PagefindModule } from '../../src/search/pagefind-api.ts';
import { emptyState } from '../../src/search/url-state.ts';
import { expansions } from '../../src/search/synonyms.ts';
import { splitTyping, typedQuery } from '../../src/search/words.ts';

function results(
  pages: [id: string, score: number][],
  filters: Record<string, Record<string, number>> = {},
): PagefindSearchResults {
  const list: PagefindResult[] = pages.map(([id, score]) => ({
    id,
    score,
    data: () => Promise.resolve({ url: `/${id}/`, excerpt: id, meta: {}, filters: {}, sub_results: [] }),
  }));
  return { results: list, unfilteredResultCount: list.length, filters, totalFilters: filters };
}

describe('partial-match ranking', () => {
  it('searches the distinctive words of a line, not stopwords or single letters', () => {
    expect(looseWords('HikariPool Connection is not available, request timed out after c.f.checkout')).toEqual([
      'available',
      'checkout',
      'connection',
      'hikaripool',
      'out',
      'request',
      'timed',
    ]);
    const many = Array.from({ length: 40 }, (_, i) => `w${'x'.repeat(i)}`).join(' ');
    expect(looseWords(many)).toHaveLength(MAX_LOOSE_WORDS);
  });

  it('ranks the page matching most words first, favours pages with every word, and never lists a page twice', () => {
    const strict = results([['exact', 1]]);
    const perWord = [
      [
        results([
          ['broad', 2],
          ['playbook', 1.5],
          ['exact', 1],
        ]),
      ],
      [
        results([
          ['playbook', 1.2],
          ['exact', 1],
        ]),
      ],
      [
        results([
          ['playbook', 1.1],
          ['spike', 3.5],
        ]),
      ],
    ];
    const merged = mergeLoose(strict, perWord, 1.5);
    // playbook: (1.5+1.2+1.1)·3/3 = 3.8; exact: (1+1)·2/3·1.5 = 2; spike: 3.5/3; broad: 2/3
    expect(merged.results.map((r) => r.id)).toEqual(['playbook', 'exact', 'spike', 'broad']);
    expect(new Set(merged.results.map((r) => r.id)).size).toBe(merged.results.length);
  });

  it('counts a word as matched by its best expansion (db or database), once', () => {
    const merged = mergeLoose(
      results([]),
      [
        [
          results([['a', 1]]),
          results([
            ['a', 3],
            ['b', 2],
          ]),
        ],
        [results([['b', 1]])],
      ],
      1.5,
    );
    // a: best of 1 and 3 for the first word, 1 word of 2; b: 2 + 1, both words.
    expect(merged.results.map((r) => [r.id, r.score])).toEqual([
      ['b', 3],
      ['a', 1.5],
    ]);
  });

  it('keeps the filter values any word search saw, so chips stay useful', () => {
    const merged = mergeLoose(results([]), [
      [results([['a', 1]], { kind: { playbook: 1 } })],
      [results([['b', 1]], { kind: { playbook: 2, postmortem: 1 } })],
    ]);
    expect(merged.filters).toEqual({ kind: { playbook: 2, postmortem: 1 } });
  });

  it('expands abbreviations responders type', () => {
    expect(expansions('db')).toEqual(['db', 'database']);
    expect(expansions('checkout')).toEqual(['checkout']);
  });
});

describe('function words', () => {
  it('are left out of the search (their index chunks list nearly every page) unless nothing else is left', () => {
    expect(contentWords('Requests queue for a database connection')).toBe('Requests queue database connection');
    expect(contentWords('TLS handshakes fail for every client')).toBe('TLS handshakes fail client');
    expect(contentWords('to be or not to be')).toBe('to be or not to be');
    expect(contentWords('the a of')).toBe('the a of');
  });
});

describe('words searched', () => {
  it(`keeps at most ${MAX_SEARCH_WORDS} words of a long line, the longest, in the order typed`, () => {
    const line = 'upstream prematurely closed connection while reading response header from upstream client api gw';
    const words = searchWords(line);
    expect(words).toHaveLength(MAX_SEARCH_WORDS);
    expect(words.slice(0, 3)).toEqual(['upstream', 'prematurely', 'closed']);
    expect(words).toContain('connection');
    expect(words).not.toContain('gw');
    expect(searchWords('db cpu maxed')).toEqual(['db', 'cpu', 'maxed']);
  });

  it('preloads only the chunks the search will read: no function words, abbreviations expanded', () => {
    const preloaded: string[] = [];
    const pagefind = {
      preload: (term: string) => {
        preloaded.push(term);
        return Promise.resolve();
      },
    } as unknown as PagefindModule;
    preloadSearch(
      { pagefind, profile: undefined, loaded: new Set(), sortOrder: () => Promise.reject(new Error('unused')) },
      { ...emptyState(), q: 'the db is down for all of checkout' },
    );
    expect(preloaded).toHaveLength(1);
    expect((preloaded[0] ?? '').split(' ').sort()).toEqual(['checkout', 'database', 'db', 'down']);
  });
});

describe('partial-match pass', () => {
  /** A fake Pagefind: `hits[term]` pages match; records every search made. */
  function fake(hits: Record<string, number>) {
    const searched: string[] = [];
    const pagefind = {
      search: (term: string) => {
        searched.push(term);
        const n = hits[term] ?? 0;
        return Promise.resolve(results(Array.from({ length: n }, (_, i) => [`p${i}`, 1] as [string, number])));
      },
    } as unknown as PagefindModule;
    const engine = {
      pagefind,
      profile: undefined,
      loaded: new Set<number>(),
      sortOrder: () => Promise.reject(new Error('unused')),
    };
    return { engine, searched };
  }

  it('searches each word alone when few pages hold them all', async () => {
    const { engine, searched } = fake({ 'checkout slow': 3, checkout: 40, slow: 50 });
    const run = await runSearch(engine, { ...emptyState(), q: 'checkout slow' });
    expect(searched.sort()).toEqual(['checkout', 'checkout slow', 'slow']);
    expect(run.results?.results.length).toBe(50);
  });

  it(`skips it when ${STRICT_ENOUGH} pages or more hold every word`, async () => {
    const { engine, searched } = fake({ 'checkout slow': STRICT_ENOUGH, checkout: 2000, slow: 3000 });
    const run = await runSearch(engine, { ...emptyState(), q: 'checkout slow' });
    expect(searched).toEqual(['checkout slow']);
    expect(run.results?.results.length).toBe(STRICT_ENOUGH);
  });
});

describe('while someone types', () => {
  it('tells finished words from the one being typed', () => {
    expect(splitTyping('tls hand')).toEqual({ complete: 'tls', partial: 'hand' });
    expect(splitTyping('tls hand ')).toEqual({ complete: 'tls hand', partial: '' });
    expect(splitTyping('db')).toEqual({ complete: '', partial: 'db' });
  });

  it('leaves out a one- or two-letter start of the next word, nothing else', () => {
    expect(typedQuery('tls h')).toBe('tls');
    expect(typedQuery('tls ha')).toBe('tls');
    expect(typedQuery('tls han')).toBe('tls han');
    expect(typedQuery('checkout 5')).toBe('checkout');
    expect(typedQuery('checkout 500')).toBe('checkout 500');
    expect(typedQuery('db')).toBe('');
    expect(typedQuery('db ')).toBe('db');
  });
});
