/**
 * Search planning (src/search/plan.ts): on a real Pagefind index of several chunks, the chunks
 * predicted for a word are exactly those Pagefind requests for it; the planner keeps the most
 * specific words within the byte budget; results sort by the indexer's sort file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROFILE_FILE, SORT_FILE } from '../../src/search/config.ts';
import { readBundleMeta } from '../../src/search/index-profile.ts';
import { indexSite } from '../../src/search/indexer.ts';
import { openNodeSearch } from '../../src/search/node-search.ts';
import {
  chunksFor,
  chunksOfWords,
  indexBudget,
  pagefindTerm,
  pagesMatching,
  parseProfile,
  planWords,
  type IndexProfile,
} from '../../src/search/plan.ts';
import { plannedWords, runSearch } from '../../src/search/run.ts';
import { parseSortOrder, sortResults } from '../../src/search/sort.ts';
import { emptyState } from '../../src/search/url-state.ts';
import { prepareQuery } from '../../src/search/normalize.ts';
import { playbook, postmortem, writeSite } from './search-fixtures.ts';

/** A deterministic stream of words: enough text that Pagefind cuts its index into several chunks. */
function prose(seed: number, words: number): string {
  const vocabulary =
    'latency queue database connection pool replica shard cache eviction timeout retry backoff jitter deploy rollback canary certificate handshake resolver lookup disk volume inode memory heap garbage collector thread executor socket port upstream gateway balancer throttle quota tenant region failover partition leader election quorum snapshot compaction index vacuum lock deadlock transaction isolation schema migration backfill cron scheduler webhook callback token session cookie header payload parser serializer encoder buffer overflow checksum corruption'.split(
      ' ',
    );
  let state = seed * 2654435761;
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    out.push(vocabulary[state % vocabulary.length] ?? 'x');
    // A word every page repeats: its chunk is the heaviest.
    if (i % 7 === 0) out.push('outage');
  }
  return out.join(' ');
}

const docs = [
  playbook('connection-pool-exhaustion', {
    title: 'Connection pool exhaustion',
    symptoms: ['Requests queue waiting for a database connection'],
    error_signatures: ['HikariPool-1 - Connection is not available, request timed out after 30000ms.'],
  }),
  ...Array.from({ length: 80 }, (_, i) =>
    postmortem(
      `INC-2026-${String(i + 100).padStart(3, '0')}`,
      {
        title: `Outage number ${i}`,
        summary: `Outage ${i} of the checkout.`,
        severity: `SEV${(i % 3) + 1}`,
        started: `2026-0${1 + (i % 9)}-1${i % 10}T0${i % 10}:00:00Z`,
      },
      prose(i + 1, 900),
    ),
  ),
];

let dist: string;
let profile: IndexProfile;
let hashes: string[];

beforeAll(async () => {
  dist = await mkdtemp(join(tmpdir(), 'h5-search-plan-'));
  await writeSite(dist, docs);
  await indexSite(dist);
  const parsed = parseProfile(JSON.parse(await readFile(join(dist, 'pagefind', PROFILE_FILE), 'utf8')));
  if (!parsed) throw new Error('no profile written');
  profile = parsed;
  hashes = (await readBundleMeta(join(dist, 'pagefind'), 'en')).meta.chunks.map((c) => c.hash);
}, 60_000);

afterAll(async () => {
  if (dist) await rm(dist, { recursive: true, force: true });
});

/** The index chunks a fresh Pagefind requests to search `term`, as indexes into the chunk list. */
async function requestedChunks(term: string): Promise<number[]> {
  const search = await openNodeSearch(dist, '/');
  try {
    await search.pagefind.preload(term);
    return search.requests
      .filter((r) => r.startsWith('pagefind/index/'))
      .map((r) => hashes.indexOf(r.replace(/^pagefind\/index\/|\.pf_index$/g, '')))
      .sort((a, b) => a - b);
  } finally {
    await search.close();
  }
}

describe('index profile', () => {
  it('describes every chunk of the index with its compressed size, and the words most pages hold', () => {
    expect(profile.pages).toBe(docs.length);
    expect(profile.chunks.length).toBeGreaterThan(3);
    expect(profile.chunks.map((c) => c[2]).every((bytes) => bytes > 0)).toBe(true);
    expect(profile.common['outag']).toBe(80);
    expect(profile.common).not.toHaveProperty('hikaripool');
    expect(profile.fixedBytes).toBeGreaterThan(60_000); // script, WebAssembly, metadata
    expect(profile.fragmentBytes).toBeGreaterThan(0);
  });

  it('predicts exactly the chunks Pagefind loads for a word: stems, gaps, prefixes, unknown words', async () => {
    const words = [
      'outage',
      'outages',
      'Database',
      'handshakes',
      'deadlocked',
      'HikariPool-1',
      'EAI_AGAIN',
      'zzzzqq',
      'a',
      'qu',
      'snapshotting',
      'xylophone',
      '30000ms',
      'timeout',
    ];
    for (const word of words) {
      const predicted = chunksFor(profile, pagefindTerm(word, profile.includeCharacters)).sort((a, b) => a - b);
      expect({ word, chunks: predicted }).toEqual({ word, chunks: await requestedChunks(word) });
    }
  }, 60_000);

  it('predicts what a whole search loads, partial-match pass included', async () => {
    const q = 'HikariPool-1 - Connection is not available, request timed out after 30004ms';
    const search = await openNodeSearch(dist, '/');
    try {
      const planned = plannedWords(search, prepareQuery(q).term);
      await runSearch(search, { ...emptyState(), q });
      const requested = search.requests
        .filter((r) => r.startsWith('pagefind/index/'))
        .map((r) => hashes.indexOf(r.replace(/^pagefind\/index\/|\.pf_index$/g, '')));
      expect(new Set(requested)).toEqual(new Set(chunksOfWords(profile, planned)));
    } finally {
      await search.close();
    }
  }, 30_000);

  it('writes the dated pages in date order with their severity ranks, for sorting', async () => {
    const order = parseSortOrder(JSON.parse(await readFile(join(dist, 'pagefind', SORT_FILE), 'utf8')));
    expect(order?.pages).toHaveLength(docs.length);
    const search = await openNodeSearch(dist, '/');
    try {
      const newest = await runSearch(search, { ...emptyState(), q: 'outage', sort: 'newest' });
      const dates = await Promise.all((newest.results?.results ?? []).map(async (r) => (await r.data()).meta['date']));
      expect(dates.length).toBe(80);
      expect(dates).toEqual([...dates].sort().reverse());
    } finally {
      await search.close();
    }
  }, 30_000);
});

/** A hand-made profile: chunk i covers words starting with letter i; sizes in KB. */
function fakeProfile(sizesKb: number[], common: Record<string, number> = {}): IndexProfile {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  return {
    version: 1,
    pages: 1000,
    fixedBytes: 150 * 1024,
    fragmentBytes: 1600,
    chunks: sizesKb.map((kb, i) => [letters[i] ?? 'z', `${letters[i] ?? 'z'}zzzz`, kb * 1024]),
    common,
    includeCharacters: '_',
  };
}

describe('planWords', () => {
  const profile = fakeProfile([20, 30, 25, 300, 20, 60, 20], { fail: 995, client: 300, disk: 40 });
  const budget = 100 * 1024;

  it('searches every word when all fit the budget', () => {
    expect(planWords(profile, ['alpha', 'beta', 'client'], new Set(), budget)).toMatchObject({
      words: ['alpha', 'beta', 'client'],
      dropped: [],
    });
  });

  it('keeps the rarer words first and leaves out what does not fit, and words on nearly every page', () => {
    // dragon: a rare word sharing a 300 KB chunk; fail: on 99.5% of pages.
    const plan = planWords(profile, ['fail', 'dragon', 'alpha', 'client', 'beta', 'gamma'], new Set(), budget);
    expect(plan.words).toEqual(['alpha', 'client', 'beta', 'gamma']);
    expect(plan.dropped).toEqual(['fail', 'dragon']);
    expect(plan.bytes).toBeLessThanOrEqual(budget);
  });

  it('leaves out a word on thousands of pages of a large index, not of a small one', () => {
    const large = { ...fakeProfile([20, 20, 20], { beta: 3500 }), pages: 10_000 };
    expect(planWords(large, ['alpha', 'beta'], new Set(), budget).words).toEqual(['alpha']);
    const small = { ...fakeProfile([20, 20, 20], { beta: 35 }), pages: 100 };
    expect(planWords(small, ['alpha', 'beta'], new Set(), budget).words).toEqual(['alpha', 'beta']);
  });

  it('counts a word as common when a common word starts with it (Pagefind matches extensions)', () => {
    expect(pagesMatching(profile, 'fai')).toBe(995);
    expect(pagesMatching(profile, 'fail')).toBe(995);
    expect(pagesMatching(profile, 'failover')).toBeUndefined();
    expect(planWords(profile, ['fai', 'alpha'], new Set(), budget).words).toEqual(['alpha']);
  });

  it('searches a cheaper spelling of the same thing when a word does not fit (tls → certificate)', () => {
    const heavyTls: IndexProfile = {
      ...fakeProfile([]),
      chunks: [
        ['a', 'azzzz', 20 * 1024],
        ['b', 'bzzzz', 20 * 1024],
        ['c', 'czzzz', 20 * 1024],
        ['s', 'szzzz', 20 * 1024],
        ['t', 'tzzzz', 300 * 1024],
      ],
    };
    const plan = planWords(heavyTls, ['tls', 'beta'], new Set(), budget);
    expect(plan.words).toEqual(['certificate', 'beta']);
    expect(plan.dropped).toEqual(['tls']);
    expect(planWords(heavyTls, ['tls', 'beta'], new Set(), 1024 * 1024).words).toEqual(['tls', 'beta']);
  });

  it('counts chunks already loaded as free', () => {
    const plan = planWords(profile, ['dragon', 'alpha'], new Set([3]), budget);
    expect(plan.words).toEqual(['dragon', 'alpha']);
    expect(plan.bytes).toBe(20 * 1024);
  });

  it('always searches at least one word: when none fits, the cheapest', () => {
    expect(planWords(profile, ['dragon'], new Set(), budget).words).toEqual(['dragon']);
    expect(planWords(profile, ['fail'], new Set(), budget).words).toEqual(['fail']);
    expect(planWords(profile, ['dragon', 'fail'], new Set(), 10 * 1024).words).toEqual(['fail']);
  });

  it('budgets what is left of 300 KB after the fixed files and a page of results', () => {
    expect(indexBudget(profile, 10)).toBe(300 * 1024 - 150 * 1024 - 16_000);
    expect(indexBudget({ ...profile, fixedBytes: 290 * 1024 }, 10)).toBe(64 * 1024);
  });
});

describe('sortResults', () => {
  const order = { version: 1 as const, pages: ['p1', 'p2', 'p3', 'p4'], severity: [2, 0, 1, 2] };
  const results = ['p3', 'path', 'p1', 'p4', 'p2'].map((id) => ({ id }));

  it('orders by date either way, leaving out undated pages', () => {
    expect(sortResults(results, 'newest', order).map((r) => r.id)).toEqual(['p4', 'p3', 'p2', 'p1']);
    expect(sortResults(results, 'oldest', order).map((r) => r.id)).toEqual(['p1', 'p2', 'p3', 'p4']);
  });

  it('orders by severity, newest first within one, postmortems only', () => {
    expect(sortResults(results, 'severity', order).map((r) => r.id)).toEqual(['p3', 'p4', 'p1']);
  });

  it('keeps relevance order as given', () => {
    expect(sortResults(results, 'relevance', order)).toEqual(results);
  });
});
