import { describe, expect, it } from 'vitest';
import type { PagefindResult, PagefindSearchResults } from '../../src/search/pagefind-api.ts';
import { looseWords, MAX_LOOSE_WORDS, mergeLoose } from '../../src/search/run.ts';

function results(pages: [id: string, score: number][], filters: Record<string, Record<string, number>> = {}): PagefindSearchResults {
  const list: PagefindResult[] = pages.map(([id, score]) => ({ id, score, data: async () => ({ url: `/${id}/`, excerpt: id, meta: {}, filters: {}, sub_results: [] }) }));
  return { results: list, unfilteredResultCount: list.length, filters, totalFilters: filters };
}

describe('partial-match ranking', () => {
  it('searches the distinctive words of a line, not stopwords or single letters', () => {
    expect(looseWords('HikariPool Connection is not available, request timed out after c.f.checkout')).toEqual(
      ['after', 'available', 'checkout', 'connection', 'hikaripool', 'not', 'out', 'request', 'timed'],
    );
    const many = Array.from({ length: 40 }, (_, i) => `w${'x'.repeat(i)}`).join(' ');
    expect(looseWords(many)).toHaveLength(MAX_LOOSE_WORDS);
  });

  it('ranks the page matching most words first, keeps strict matches in front, and never lists a page twice', () => {
    const strict = results([['exact', 1]]);
    const perWord = [
      results([['broad', 2], ['playbook', 1.5], ['exact', 1]]),
      results([['playbook', 1.2], ['exact', 1]]),
      results([['playbook', 1.1], ['spike', 3.5]]),
    ];
    const merged = mergeLoose(strict, perWord);
    expect(merged.results.map((r) => r.id)).toEqual(['exact', 'playbook', 'spike', 'broad']);
  });

  it('keeps the filter values any word search saw, so chips stay useful', () => {
    const merged = mergeLoose(results([]), [results([['a', 1]], { kind: { playbook: 1 } }), results([['b', 1]], { kind: { playbook: 2, postmortem: 1 } })]);
    expect(merged.filters).toEqual({ kind: { playbook: 2, postmortem: 1 } });
  });
});
