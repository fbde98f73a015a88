/**
 * The indexer and the search pipeline against the real Pagefind (indexing binary and the
 * generated browser bundle, run in Node) on a small site shaped like Hindsight's pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { indexSite, SearchIndexError } from '../../src/search/indexer.ts';
import { openNodeSearch, type NodeSearch } from '../../src/search/node-search.ts';
import { runSearch, type SearchRun } from '../../src/search/run.ts';
import type { PagefindFragment } from '../../src/search/pagefind-api.ts';
import { emptyState, type SearchState } from '../../src/search/url-state.ts';
import { path, playbook, postmortem, writeSite } from './search-fixtures.ts';

const docs = [
  playbook('connection-pool-exhaustion', {
    title: 'Connection pool exhaustion',
    category: 'infrastructure-limit',
    services: ['checkout-api'],
    symptoms: ['Requests queue waiting for a database connection; p99 latency climbs to the pool timeout'],
    error_signatures: [
      'HikariPool-1 - Connection is not available, request timed out after 30000ms.',
      'FATAL: sorry, too many clients already',
    ],
  }),
  playbook('retry-storm', {
    title: 'Retry storm',
    category: 'software-bug',
    symptoms: ['Request rate to a dependency jumps to several times normal while user traffic is flat'],
    error_signatures: ['upstream connect error or disconnect/reset before headers. reset reason: overflow'],
  }),
  playbook(
    'certificate-expiry',
    {
      title: 'Certificate expiry',
      category: 'configuration',
      symptoms: ['TLS handshakes fail for every client at once'],
      error_signatures: ['x509: certificate has expired or is not yet valid'],
    },
    'Renew the certificate. A request that timed out after a connection was not available is a different problem.',
  ),
  postmortem(
    'INC-2026-001',
    {
      title: 'Checkout outage after pool resize',
      summary: 'Checkout failed for 40 minutes after the database pool was resized.',
      severity: 'SEV1',
      category: 'configuration',
      services: ['checkout-api', 'orders-db'],
      started: '2026-03-04T02:14:00Z',
      tags: ['postgres'],
    },
    'At 02:14 the service logged connection is not available errors, request timed out after thirty seconds.',
  ),
  postmortem('INC-2025-007', {
    title: 'Search latency regression',
    summary: 'Search was slow for a day after an index change.',
    severity: 'SEV3',
    category: 'software-bug',
    services: ['search-api'],
    started: '2025-06-01T10:00:00Z',
  }),
  path('production-101', 'Production 101'),
];

let dist: string;
let search: NodeSearch | undefined;

beforeAll(async () => {
  dist = await mkdtemp(join(tmpdir(), 'h5-search-index-'));
  await writeSite(dist, docs);
  const report = await indexSite(dist);
  expect(report.pages).toBe(docs.length);
  expect(report.byFolder).toEqual({ playbooks: 3, postmortems: 2, paths: 1 });
  search = await openNodeSearch(dist, '/');
});

afterAll(async () => {
  await search?.close();
  if (dist) await rm(dist, { recursive: true, force: true });
});

function engine(): NodeSearch {
  if (!search) throw new Error('the index was not opened');
  return search;
}

async function firstResult(run: SearchRun): Promise<PagefindFragment> {
  const first = run.results?.results[0];
  if (!first) throw new Error('no results');
  return first.data();
}

async function ids(state: Partial<SearchState>): Promise<string[]> {
  const run = await runSearch(engine(), { ...emptyState(), ...state });
  const data = await Promise.all((run.results?.results ?? []).map((r) => r.data()));
  return data.map((d) => d.meta['id'] ?? d.url);
}

describe('search index', () => {
  it('writes the Pagefind bundle next to the site', async () => {
    expect(await readdir(join(dist, 'pagefind'))).toEqual(
      expect.arrayContaining(['pagefind.js', 'pagefind-entry.json']),
    );
  });

  it('indexes document content only: no navigation, footer, home or list page words', async () => {
    for (const chrome of ['xyzzynav', 'xyzzyfoot', 'xyzzyhome', 'xyzzylist']) {
      expect(await ids({ q: chrome })).toEqual([]);
    }
    expect(await ids({ q: 'Production 101' })).toEqual(['production-101']);
  });

  it('leaves out the chrome every postmortem repeats (fact labels, counts, timeline, action items), keeps its facts', async () => {
    for (const chrome of ['xyzzylabel', 'xyzzycount', 'xyzzymilestone', 'xyzzyaction', 'xyzzymode']) {
      expect(await ids({ q: chrome })).toEqual([]);
    }
    // The trigger, shown in the same fact list, stays searchable.
    expect(await ids({ q: 'Deploy of the service' })).toEqual(expect.arrayContaining(['INC-2026-001', 'INC-2025-007']));
  });

  it('puts the playbook first for a pasted log line full of volatile tokens', async () => {
    const line =
      '2026-11-02 03:12:44.981 ERROR 1 --- [io-8080-exec-7] c.e.checkout.OrderService : HikariPool-1 - Connection is not available, request timed out after 30004ms. request_id=9f2c4e1a7b3d4c5e8f9a0b1c2d3e4f5a';
    expect((await ids({ q: line }))[0]).toBe('connection-pool-exhaustion');
    const pg = '2026-11-02 03:12:44.981 UTC [48213] FATAL:  sorry, too many clients already';
    expect((await ids({ q: pg }))[0]).toBe('connection-pool-exhaustion');
  });

  it('falls back to the best partial matches when no page holds every word of a pasted line', async () => {
    const line =
      'Nov 02 03:12:44 checkout-7d9f8b6c5-x2x4z app[4242]: WARN frobnicator HikariPool-3 - Connection is not available, request timed out after 5001ms';
    const run = await runSearch(engine(), { ...emptyState(), q: line });
    expect(run.partial).toBe(true);
    const first = await firstResult(run);
    expect(first.meta['id']).toBe('connection-pool-exhaustion');
  });

  it('ranks an error signature above the same words in another page body', async () => {
    const results = await ids({ q: 'connection is not available request timed out' });
    expect(results[0]).toBe('connection-pool-exhaustion');
    expect(results).toEqual(expect.arrayContaining(['INC-2026-001', 'certificate-expiry']));
  });

  it('filters by kind, severity, service, year and category, any-of within a filter', async () => {
    expect(await ids({ q: 'checkout', filters: { kind: ['postmortem'] } })).toEqual(['INC-2026-001']);
    expect(await ids({ filters: { severity: ['SEV1', 'SEV3'] }, sort: 'newest' })).toEqual([
      'INC-2026-001',
      'INC-2025-007',
    ]);
    expect(await ids({ filters: { year: ['2025'] } })).toEqual(['INC-2025-007']);
    expect((await ids({ filters: { service: ['orders-db'] } })).sort()).toEqual(['INC-2026-001']);
    expect((await ids({ filters: { category: ['configuration'], kind: ['playbook'] } })).sort()).toEqual([
      'certificate-expiry',
    ]);
  });

  it('sorts by date and by severity rank', async () => {
    expect(await ids({ filters: { kind: ['postmortem'] }, sort: 'oldest' })).toEqual(['INC-2025-007', 'INC-2026-001']);
    expect(await ids({ filters: { kind: ['postmortem'] }, sort: 'severity' })).toEqual([
      'INC-2026-001',
      'INC-2025-007',
    ]);
  });

  it('returns results with the metadata the result list shows, and highlighted excerpts', async () => {
    const run = await runSearch(engine(), { ...emptyState(), q: 'too many clients' });
    const first = await firstResult(run);
    expect(first.url).toBe('/playbooks/connection-pool-exhaustion/');
    expect(first.meta).toMatchObject({
      title: 'Connection pool exhaustion',
      id: 'connection-pool-exhaustion',
      date: '2026-09-01',
    });
    expect(first.filters).toMatchObject({
      kind: ['playbook'],
      category: ['infrastructure-limit'],
      status: ['published'],
    });
    expect(first.excerpt).toMatch(/<mark>too<\/mark> <mark>many<\/mark> <mark>clients<\/mark>/i);
  });
});

describe('indexSite refuses a site it would index wrongly', () => {
  it('indexes in the language most pages declare, even when the first page declares another', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'h5-search-lang-'));
    try {
      await writeSite(dir, docs);
      // Pagefind starts in the first page's language (paths/ sorts first); the rest say French.
      for (const page of [
        'playbooks/connection-pool-exhaustion',
        'playbooks/retry-storm',
        'playbooks/certificate-expiry',
        'postmortems/INC-2026-001',
        'postmortems/INC-2025-007',
      ]) {
        const file = join(dir, page, 'index.html');
        await writeFile(file, (await readFile(file, 'utf8')).replace('lang="en"', 'lang="fr"'));
      }
      const report = await indexSite(dir);
      expect(report.language).toBe('fr');
      expect(report.pages).toBe(docs.length);
      const entry = JSON.parse(await readFile(join(dir, 'pagefind', 'pagefind-entry.json'), 'utf8')) as {
        languages: Record<string, { page_count: number }>;
      };
      expect(Object.keys(entry.languages)).toEqual(['fr']);
      expect(entry.languages['fr']?.page_count).toBe(docs.length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails, naming the page, when a document page has no data-pagefind-body', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'h5-search-nobody-'));
    try {
      await writeSite(dir, docs.slice(1, 2), { body: false });
      const error = await indexSite(dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SearchIndexError);
      expect((error as Error).message).toContain(
        'playbooks/retry-storm/index.html: no element with data-pagefind-body',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails when a draft reaches the production build', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'h5-search-draft-'));
    try {
      const draft = playbook('half-written', {
        title: 'Half written playbook',
        symptoms: ['Something odd'],
        status: 'draft',
      });
      await writeSite(dir, [draft]);
      await expect(indexSite(dir)).rejects.toThrow(
        'playbooks/half-written/index.html: a draft document is in the production build',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
