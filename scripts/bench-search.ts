#!/usr/bin/env node
/**
 * `npm run bench:search`: how good and how fast incident-time search is.
 *
 * 1. Relevance. Builds the bundled knowledge base (or reuses a build newer than every file in
 *    `content/` and `src/`), then runs every query of `tests/fixtures/search-queries.yaml`
 *    through the real generated Pagefind index with the /search/ page's own code
 *    (`runSearch`, same normalisation and ranking options; Pagefind's WebAssembly run in Node)
 *    and reports recall@1, recall@3 and the mean reciprocal rank.
 * 2. Relevance at scale (`--corpus 10000`: a synthetic knowledge base from
 *    `scripts/bench/generate.ts`): each failure mode's symptom and signature must find its
 *    playbook among thousands of postmortems quoting them (`measureCorpusRelevance`).
 * 3. Speed (`--latency`, on the bundled knowledge base and the corpus). In real Chromium against
 *    the site served over loopback: the time from the last keystroke to the first results on a
 *    just-loaded /search/ page with an empty cache (cold), the same for the next query (warm),
 *    the time to results when opening a shared `/search/?q=…` link, and the bytes the first
 *    query transferred.
 *
 * Prints tables and writes JSON (`--json <file>`). Flags: `--dist <dir>` to use a built site,
 * `--rebuild`, `--base /kb/`, `--latency`, `--corpus <n>`, `--runs <n>` (latency runs per query,
 * the median kept), `--work-dir <dir>` (where sites are generated and built; default
 * `node_modules/.cache/hindsight-bench-search`, inside the repository as Astro builds need),
 * `--reuse` (measure the builds there even if sources changed since), `--reindex` (re-run the
 * Pagefind indexer over them first: index options without an Astro build) and `--typed` (also
 * the bytes of each query typed key by key, every prefix searched on the way).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { parse as parseYaml } from 'yaml';
import { z } from 'astro/zod';
import { indexSite } from '../src/search/indexer.ts';
import { openNodeSearch, serveStatic } from '../src/search/node-search.ts';
import { publishedDocumentPages } from '../src/search/published.ts';
import { runSearch } from '../src/search/run.ts';
import { emptyState } from '../src/search/url-state.ts';
import { launchChromium } from './lib/browser.ts';
import type { Page } from 'playwright-core';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_WORK_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'hindsight-bench-search');
export const QUERIES_FILE = join(REPO_ROOT, 'tests', 'fixtures', 'search-queries.yaml');

// ---------------------------------------------------------------------------------------------
// Queries

const querySchema = z.strictObject({
  /** What the responder typed or pasted. */
  query: z.string().min(2),
  /** Id of the document that must come first (or at least in the top three). */
  expect: z.string().min(1),
  /** `symptom` (typed words) or `error-line` (pasted log line). */
  type: z.enum(['symptom', 'error-line']),
  /** Why this is the right answer, for reviewers. */
  note: z.string().optional(),
});
export type RelevanceQuery = z.infer<typeof querySchema>;

const fixtureSchema = z.strictObject({
  /** The measured level the tests hold: a change that scores below fails. */
  baseline: z.strictObject({ recallAt1: z.number().min(0).max(1), recallAt3: z.number().min(0).max(1) }),
  queries: z.array(querySchema).min(25, 'expected at least 25 queries'),
});
export type RelevanceFixture = z.infer<typeof fixtureSchema>;

/** Read and validate the relevance queries and their baseline. */
export function loadRelevanceFixture(file = QUERIES_FILE): RelevanceFixture {
  const raw: unknown = parseYaml(readFileSync(file, 'utf8'), { maxAliasCount: 10 });
  const result = fixtureSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`${file}: not a valid query list:\n${issues}`);
  }
  return result.data;
}

/** The relevance queries alone. */
export function loadQueries(file = QUERIES_FILE): RelevanceQuery[] {
  return loadRelevanceFixture(file).queries;
}

// ---------------------------------------------------------------------------------------------
// Building

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Is the build in `outDir` newer than every input it was made from? */
function isFresh(outDir: string, inputs: string[]): boolean {
  const stamp = join(outDir, 'pagefind', 'pagefind-entry.json');
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  return inputs.every((dir) => !existsSync(dir) || newestMtime(dir) < built);
}

/** `astro build` of the knowledge base at `root` into `outDir` under `base`; throws with the output on failure. */
export async function buildSite(root: string, outDir: string, base: string): Promise<void> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'hindsight-bench-search-cache-'));
  const node = join(REPO_ROOT, 'node_modules', '.bin', 'node');
  const child = spawn(
    existsSync(node) ? node : process.execPath,
    [join(REPO_ROOT, 'node_modules', 'astro', 'bin', 'astro.mjs'), 'build'],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        ASTRO_TELEMETRY_DISABLED: '1',
        HINDSIGHT_ROOT: root,
        HINDSIGHT_BASE: base,
        HINDSIGHT_OUT_DIR: outDir,
        HINDSIGHT_CACHE_DIR: cacheDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('close', done);
  });
  await rm(cacheDir, { recursive: true, force: true });
  if (code !== 0) throw new Error(`astro build of ${root} failed (exit ${code}):\n${output.slice(-6000)}`);
}

/** Re-run the Pagefind indexer over the site built in `outDir` (index options without an Astro build). */
async function reindex(root: string, outDir: string, log?: (s: string) => void): Promise<void> {
  const expected = await publishedDocumentPages(root);
  const report = await indexSite(outDir, { expected });
  log?.(`re-indexed ${report.pages} pages of ${outDir} in ${(report.milliseconds / 1000).toFixed(1)} s`);
}

/**
 * A build of `root` in `outDir`, made now unless a fresh one is there (or `rebuild`); `reuse`
 * takes any build that is there, `reindex` re-runs the indexer over it.
 */
export async function ensureBuilt(
  root: string,
  outDir: string,
  base: string,
  options: { rebuild?: boolean; reuse?: boolean; reindex?: boolean; log?: (s: string) => void } = {},
): Promise<void> {
  const inputs = [join(root, 'content'), join(REPO_ROOT, 'src')];
  const built = existsSync(join(outDir, 'pagefind', 'pagefind-entry.json'));
  if (!options.rebuild && built && (options.reuse || isFresh(outDir, inputs))) {
    options.log?.(`reusing the build in ${outDir}`);
    if (options.reindex) await reindex(root, outDir, options.log);
    return;
  }
  options.log?.(`building ${root} into ${outDir} (base ${base})…`);
  const started = performance.now();
  await buildSite(root, outDir, base);
  options.log?.(`built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

// ---------------------------------------------------------------------------------------------
// Relevance

export interface RelevanceRow extends RelevanceQuery {
  /** 1-based rank of the expected document, 0 when it is not in the results. */
  rank: number;
  /** The first three results' ids. */
  top: string[];
}

export interface RelevanceReport {
  queries: number;
  recallAt1: number;
  recallAt3: number;
  mrr: number;
  byType: Record<string, { queries: number; recallAt1: number; recallAt3: number }>;
  rows: RelevanceRow[];
}

const idOfUrl = (url: string): string => decodeURIComponent(url.replace(/\/$/, '').split('/').at(-1) ?? url);

/** Run every query through the index of the site built in `distDir` and score the rankings. */
export async function measureRelevance(
  distDir: string,
  base: string,
  queries: readonly RelevanceQuery[],
): Promise<RelevanceReport> {
  const search = await openNodeSearch(distDir, base);
  const rows: RelevanceRow[] = [];
  try {
    for (const query of queries) {
      // Each query planned as a responder's first: earlier queries' chunks do not count as loaded.
      search.loaded.clear();
      const run = await runSearch(search, { ...emptyState(), q: query.query });
      const results = run.results?.results ?? [];
      // Only the expected document's position matters; load the data of the first ten.
      const ids: string[] = [];
      for (const result of results.slice(0, 10)) {
        const data = await result.data();
        ids.push(data.meta['id'] ?? idOfUrl(data.url));
      }
      const index = ids.indexOf(query.expect);
      rows.push({ ...query, rank: index + 1, top: ids.slice(0, 3) });
    }
  } finally {
    await search.close();
  }
  const score = (subset: RelevanceRow[]) => ({
    queries: subset.length,
    recallAt1: ratio(subset.filter((r) => r.rank === 1).length, subset.length),
    recallAt3: ratio(subset.filter((r) => r.rank >= 1 && r.rank <= 3).length, subset.length),
  });
  const all = score(rows);
  return {
    ...all,
    mrr: round(rows.reduce((sum, r) => sum + (r.rank > 0 ? 1 / r.rank : 0), 0) / Math.max(rows.length, 1)),
    byType: Object.fromEntries(
      ['symptom', 'error-line'].map((type) => [type, score(rows.filter((r) => r.type === type))]),
    ),
    rows,
  };
}

const round = (n: number, digits = 3): number => Math.round(n * 10 ** digits) / 10 ** digits;
const ratio = (a: number, b: number): number => (b === 0 ? 0 : round(a / b));

// ---------------------------------------------------------------------------------------------
// Latency and bytes (Chromium)

export interface LatencySample {
  query: string;
  /** Last keystroke → first results, fresh browser cache, /search/ just loaded. */
  coldMs: number;
  /** Same page, the next query. */
  warmMs: number;
  /** Opening a shared `/search/?q=…` link: navigation start → first results. */
  linkMs: number;
  /** Bytes of Pagefind files (script, worker, WebAssembly, metadata, index chunks, fragments) the cold query transferred. */
  coldBytes: number;
  /** The same, as a host compressing text responses (gzip) would send them. */
  coldBytesGzip: number;
  /** Requests to Pagefind files for the cold query. */
  coldRequests: number;
  /** Of `coldBytes`, what had arrived when the first results showed (the rest fills the page in). */
  criticalBytes: number;
  criticalBytesGzip: number;
  /** Cold-query bytes by kind of file: script, worker, wasm, meta, index, fragment, filter. */
  coldBytesByKind: Record<string, number>;
  /**
   * With `--typed`: the same query typed key by key (8 keys a second) on a fresh page, every
   * Pagefind file the searches along the way loaded (gzip), until the network is idle.
   */
  typedBytesGzip?: number;
}

/** Wait until the search page shows results, or says there are none (at most 30 s). */
async function searchAnswered(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      document.querySelector('[data-search-results] li') !== null ||
      (document.querySelector('[data-search-status]')?.textContent ?? '').startsWith('No results'),
    undefined,
    { timeout: 30_000 },
  );
}

/** Milliseconds between keys when `--typed` types a query: a quick typist. */
const KEY_DELAY = 125;

/** Bytes (gzip) of Pagefind files loaded while `query` is typed key by key into a fresh /search/ page. */
async function measureTyped(
  browser: Awaited<ReturnType<typeof launchChromium>>,
  url: string,
  query: string,
): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const bytes: Promise<number>[] = [];
    page.on('response', (response) => {
      if (!response.url().includes('/pagefind/')) return;
      const text = /\.(js|json)(\?|$)/.test(response.url());
      bytes.push(
        response
          .body()
          .then((body) => (text ? gzipSync(body).length : body.length))
          .catch(() => 0),
      );
    });
    await page.goto(`${url}search/`, { waitUntil: 'load' });
    await page
      .locator('[data-search-input]')
      .pressSequentially(query, { delay: KEY_DELAY, timeout: query.length * KEY_DELAY + 30_000 });
    await searchAnswered(page);
    await page.waitForTimeout(1000);
    await page.waitForLoadState('networkidle');
    return (await Promise.all(bytes)).reduce((a, b) => a + b, 0);
  } finally {
    await context.close();
  }
}

/** What a Pagefind bundle file is, from its URL. */
function fileKind(url: string): string {
  const name = url.replace(/[?#].*$/, '').replace(/^.*\/pagefind\//, '');
  if (name === 'pagefind.js') return 'script';
  if (name === 'pagefind-worker.js') return 'worker';
  if (name.startsWith('wasm.')) return 'wasm';
  if (name.endsWith('.pf_meta') || name === 'pagefind-entry.json') return 'meta';
  return name.split('/')[0] ?? name;
}

interface Summary {
  coldMs: number;
  warmMs: number;
  linkMs: number;
  coldBytes: number;
  coldBytesGzip: number;
  criticalBytes: number;
  criticalBytesGzip: number;
}

export interface LatencyReport {
  pages: number;
  samples: LatencySample[];
  median: Summary;
  /** 90th percentile (nearest rank). */
  p90: Summary;
  max: Summary;
  /** Size of the Pagefind bundle on disk. */
  indexBytes: number;
}

/** In the page: type `q` into the search box and resolve with ms until results (or "No results") show. */
const TYPE_AND_WAIT = (q: string): Promise<number> =>
  new Promise((done, fail) => {
    const input = document.querySelector<HTMLInputElement>('[data-search-input]');
    const list = document.querySelector('[data-search-results]');
    const status = document.querySelector('[data-search-status]');
    if (!input || !list || !status) {
      fail(new Error('not the search page'));
      return;
    }
    const before = list.firstElementChild;
    let start = 0;
    const check = () => {
      const changed = list.firstElementChild !== null && list.firstElementChild !== before;
      if (changed || status.textContent.startsWith('No results')) {
        observer.disconnect();
        done(performance.now() - start);
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(list, { childList: true });
    observer.observe(status, { childList: true, characterData: true, subtree: true });
    input.focus();
    input.value = q;
    start = performance.now();
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 ? upper : ((sorted[mid - 1] ?? upper) + upper) / 2;
};

/** Nearest-rank percentile: the smallest value at least `p` of the values are at or below. */
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? 0;
};

function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/** One cold query on a fresh browser context, then a warm one on the same page, then the shared link. */
async function measureOnce(
  browser: Awaited<ReturnType<typeof launchChromium>>,
  url: string,
  query: string,
  next: string,
): Promise<LatencySample> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const transfers: { url: string; at: number; bytes: number; gzip: number }[] = [];
  page.on('response', (response) => {
    if (!response.url().includes('/pagefind/')) return;
    const at = Date.now();
    void response
      .body()
      .then((body) => {
        const text = /\.(js|json)(\?|$)/.test(response.url());
        transfers.push({
          url: response.url(),
          at,
          bytes: body.length,
          gzip: text ? gzipSync(body).length : body.length,
        });
      })
      .catch(() => undefined);
  });
  await page.goto(`${url}search/`, { waitUntil: 'load' });
  const coldMs = await page.evaluate(TYPE_AND_WAIT, query);
  const firstResultsAt = Date.now();
  await page.waitForLoadState('networkidle');
  const cold = [...transfers];
  const critical = cold.filter((t) => t.at <= firstResultsAt);
  const warmMs = await page.evaluate(TYPE_AND_WAIT, next);
  await context.close();

  const linkContext = await browser.newContext();
  const linkPage = await linkContext.newPage();
  await linkPage.goto(`${url}search/?q=${encodeURIComponent(query)}`, { waitUntil: 'commit' });
  await searchAnswered(linkPage);
  const linkMs = await linkPage.evaluate(() => performance.now());
  await linkContext.close();

  return {
    query,
    coldMs: Math.round(coldMs),
    warmMs: Math.round(warmMs),
    linkMs: Math.round(linkMs),
    coldBytes: cold.reduce((s, t) => s + t.bytes, 0),
    coldBytesGzip: cold.reduce((s, t) => s + t.gzip, 0),
    coldRequests: cold.length,
    criticalBytes: critical.reduce((s, t) => s + t.bytes, 0),
    criticalBytesGzip: critical.reduce((s, t) => s + t.gzip, 0),
    coldBytesByKind: cold.reduce<Record<string, number>>((acc, t) => {
      const kind = fileKind(t.url);
      acc[kind] = (acc[kind] ?? 0) + t.bytes;
      return acc;
    }, {}),
  };
}

/**
 * Measure first-result latency and bytes of the search of the site built in `distDir` (served
 * under `base`), in real Chromium, for each query: cold (fresh profile and cache, /search/ just
 * loaded), warm (the next query on that page) and from a shared link. With `runs` > 1 each query
 * is measured that many times and the median of each time is kept (bytes do not vary).
 */
export async function measureSearchLatency(
  distDir: string,
  base: string,
  queries: readonly string[],
  runs = 1,
  options: { typed?: boolean } = {},
): Promise<LatencyReport> {
  const server = await serveStatic(distDir, base, { dev: false, etag: true });
  const browser = await launchChromium();
  const samples: LatencySample[] = [];
  try {
    for (const [i, query] of queries.entries()) {
      const next = queries[(i + 1) % queries.length] ?? query;
      const repeats: LatencySample[] = [];
      for (let run = 0; run < runs; run += 1) repeats.push(await measureOnce(browser, server.url, query, next));
      const first = repeats[0];
      if (!first) continue;
      samples.push({
        ...first,
        coldMs: Math.round(median(repeats.map((r) => r.coldMs))),
        warmMs: Math.round(median(repeats.map((r) => r.warmMs))),
        linkMs: Math.round(median(repeats.map((r) => r.linkMs))),
        ...(options.typed ? { typedBytesGzip: await measureTyped(browser, server.url, query) } : {}),
      });
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const pick = (f: (s: LatencySample) => number, agg: (v: number[]) => number) => Math.round(agg(samples.map(f)));
  const stats = (agg: (v: number[]) => number) => ({
    coldMs: pick((s) => s.coldMs, agg),
    warmMs: pick((s) => s.warmMs, agg),
    linkMs: pick((s) => s.linkMs, agg),
    coldBytes: pick((s) => s.coldBytes, agg),
    coldBytesGzip: pick((s) => s.coldBytesGzip, agg),
    criticalBytes: pick((s) => s.criticalBytes, agg),
    criticalBytesGzip: pick((s) => s.criticalBytesGzip, agg),
  });
  const entry = JSON.parse(readFileSync(join(distDir, 'pagefind', 'pagefind-entry.json'), 'utf8')) as {
    languages: Record<string, { page_count: number }>;
  };
  return {
    pages: Object.values(entry.languages).reduce((s, l) => s + l.page_count, 0),
    samples,
    median: stats(median),
    p90: stats((v) => percentile(v, 0.9)),
    max: stats((v) => Math.max(...v)),
    indexBytes: dirBytes(join(distDir, 'pagefind')),
  };
}

// ---------------------------------------------------------------------------------------------
// Report

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const pct = (n: number): string => `${(n * 100).toFixed(1)} %`;

function printRelevance(report: RelevanceReport): void {
  console.log('\nRelevance (bundled knowledge base, real Pagefind index)');
  for (const row of report.rows) {
    const mark = row.rank === 1 ? '✓' : row.rank > 0 && row.rank <= 3 ? '~' : '✗';
    const query = row.query.replace(/\s+/g, ' ');
    console.log(
      `  ${mark} ${String(row.rank || '-').padStart(2)}  ${row.expect.padEnd(36)} ${query.length > 90 ? `${query.slice(0, 89)}…` : query}`,
    );
    if (row.rank !== 1) console.log(`        top: ${row.top.join(', ') || '(no results)'}`);
  }
  console.log('\n  | queries | recall@1 | recall@3 | MRR |');
  console.log('  |---|---|---|---|');
  console.log(`  | all ${report.queries} | ${pct(report.recallAt1)} | ${pct(report.recallAt3)} | ${report.mrr} |`);
  for (const [type, s] of Object.entries(report.byType))
    console.log(`  | ${type} ${s.queries} | ${pct(s.recallAt1)} | ${pct(s.recallAt3)} | |`);
}

function printLatency(label: string, report: LatencyReport): void {
  console.log(
    `\nSpeed: ${label} (${report.pages} indexed pages, index ${kb(report.indexBytes)} on disk; Chromium, loopback)`,
  );
  console.log(
    '  | query | cold ms | warm ms | link ms | bytes to first results (gzip) | bytes until idle (gzip) | requests |',
  );
  console.log('  |---|---|---|---|---|---|---|');
  for (const s of report.samples) {
    const q = s.query.length > 40 ? `${s.query.slice(0, 39)}…` : s.query;
    console.log(
      `  | ${q} | ${s.coldMs} | ${s.warmMs} | ${s.linkMs} | ${kb(s.criticalBytes)} (${kb(s.criticalBytesGzip)}) | ${kb(s.coldBytes)} (${kb(s.coldBytesGzip)}) | ${s.coldRequests} |`,
    );
  }
  const m = report.median;
  const x = report.max;
  const row = (label: string, v: Summary) =>
    `  | ${label} | ${v.coldMs} | ${v.warmMs} | ${v.linkMs} | ${kb(v.criticalBytes)} (${kb(v.criticalBytesGzip)}) | ${kb(v.coldBytes)} (${kb(v.coldBytesGzip)}) | |`;
  console.log(row('median', m));
  console.log(row('p90', report.p90));
  console.log(row('max', x));
  console.log("  cold query's bytes by file (as stored; index, meta, wasm and fragments are gzip already):");
  for (const s of report.samples) {
    const parts = Object.entries(s.coldBytesByKind).map(([kind, bytes]) => `${kind} ${kb(bytes)}`);
    const q = s.query.length > 40 ? `${s.query.slice(0, 39)}…` : s.query;
    const typed = s.typedBytesGzip === undefined ? '' : `; typed key by key: ${kb(s.typedBytesGzip)} (gzip)`;
    console.log(`    ${q}: ${parts.join(', ')}${typed}`);
  }
  const typed = report.samples.flatMap((s) => (s.typedBytesGzip === undefined ? [] : [s.typedBytesGzip]));
  if (typed.length > 0) {
    console.log(
      `  typed key by key (${1000 / KEY_DELAY} keys/s), gzip: median ${kb(median(typed))}, p90 ${kb(percentile(typed, 0.9))}`,
    );
  }
}

/**
 * Relevance at scale: for every failure mode of the synthetic corpus, its symptom (the first six
 * words and the whole sentence) and its error signature, searched on the corpus site; a hit when
 * a playbook of that failure mode (`<mode>` or `<mode>-<service>`) comes first (recall@1) or in
 * the first three (recall@3). Among thousands of postmortems quoting the same symptoms, this is
 * where a playbook can get buried.
 */
export async function measureCorpusRelevance(
  distDir: string,
  base: string,
): Promise<{ queries: number; recallAt1: number; recallAt3: number; misses: string[] }> {
  const { FAILURE_MODES } = await import('./bench/vocabulary.ts');
  const search = await openNodeSearch(distDir, base);
  let at1 = 0;
  let at3 = 0;
  let queries = 0;
  const misses: string[] = [];
  try {
    for (const mode of FAILURE_MODES) {
      for (const q of [mode.symptom.split(' ').slice(0, 6).join(' '), mode.symptom, mode.signature]) {
        search.loaded.clear(); // planned as a first query
        const run = await runSearch(search, { ...emptyState(), q });
        const ids: string[] = [];
        for (const result of (run.results?.results ?? []).slice(0, 3)) ids.push((await result.data()).meta['id'] ?? '');
        const hit = (id: string) => id === mode.id || id.startsWith(`${mode.id}-`);
        queries += 1;
        if (ids[0] !== undefined && hit(ids[0])) at1 += 1;
        if (ids.some(hit)) at3 += 1;
        else misses.push(`${mode.id}: ${q}`);
      }
    }
  } finally {
    await search.close();
  }
  return { queries, recallAt1: ratio(at1, queries), recallAt3: ratio(at3, queries), misses };
}

/** Queries for the synthetic corpus: symptoms and signatures of its failure modes, one pasted line. */
async function corpusQueries(): Promise<string[]> {
  const { FAILURE_MODES } = await import('./bench/vocabulary.ts');
  const modes = FAILURE_MODES.slice(0, 6);
  return [
    ...modes.slice(0, 3).map((m) => m.symptom.split(' ').slice(0, 6).join(' ')),
    ...modes.slice(3, 6).map((m) => m.signature),
    `2026-11-02T03:12:44.981Z ERROR [req 9f2c4e1a7b3d] pid=48213 ${FAILURE_MODES[0]?.signature ?? 'FATAL: sorry, too many clients already'} (10.20.0.15:5432) after 30004ms`,
    'checkout slow',
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dist: { type: 'string' },
      base: { type: 'string', default: '/kb/' },
      rebuild: { type: 'boolean', default: false },
      reuse: { type: 'boolean', default: false },
      reindex: { type: 'boolean', default: false },
      latency: { type: 'boolean', default: false },
      corpus: { type: 'string' },
      runs: { type: 'string', default: '1' },
      'work-dir': { type: 'string' },
      typed: { type: 'boolean', default: false },
      json: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'usage: npm run bench:search -- [--dist DIR] [--rebuild | --reuse] [--reindex] [--base /kb/] [--latency] [--corpus 10000] [--runs N] [--typed] [--work-dir DIR] [--json FILE]',
    );
    return;
  }
  const base = values.base.endsWith('/') ? values.base : `${values.base}/`;
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs expects a positive whole number, got "${values.runs}"`);
  const log = (s: string) => {
    console.error(`bench:search: ${s}`);
  };
  const workDir = resolve(values['work-dir'] ?? DEFAULT_WORK_DIR);
  mkdirSync(workDir, { recursive: true });
  const buildOptions = { rebuild: values.rebuild, reuse: values.reuse, reindex: values.reindex, log };
  const result: {
    relevance?: RelevanceReport;
    latency?: LatencyReport;
    corpusLatency?: LatencyReport & { postmortems: number };
    corpusRelevance?: Awaited<ReturnType<typeof measureCorpusRelevance>>;
  } = {};

  const dist = values.dist ? resolve(values.dist) : join(workDir, 'bundled');
  if (!values.dist) await ensureBuilt(REPO_ROOT, dist, base, buildOptions);
  else if (values.reindex) await reindex(REPO_ROOT, dist, log);
  const queries = loadQueries();
  result.relevance = await measureRelevance(dist, base, queries);
  printRelevance(result.relevance);
  if (values.latency) {
    result.latency = await measureSearchLatency(
      dist,
      base,
      queries.slice(0, 8).map((q) => q.query),
      runs,
      { typed: values.typed },
    );
    printLatency('bundled knowledge base', result.latency);
  }

  if (values.corpus) {
    const postmortems = Number(values.corpus);
    if (!Number.isInteger(postmortems) || postmortems < 1)
      throw new Error(`--corpus expects a number of postmortems, got "${values.corpus}"`);
    const root = join(workDir, `kb-${postmortems}`);
    const out = join(workDir, `dist-${postmortems}`);
    if (!existsSync(join(root, 'content'))) {
      const { writeCorpus } = await import('./bench/generate.ts');
      log(`generating ${postmortems} postmortems into ${root}…`);
      writeCorpus(root, { postmortems });
    }
    await ensureBuilt(root, out, base, buildOptions);
    const relevance = await measureCorpusRelevance(out, base);
    result.corpusRelevance = relevance;
    console.log(
      `\nRelevance at scale (${postmortems} postmortems): the failure mode's playbook for its symptom or signature, ${relevance.queries} queries: recall@1 ${pct(relevance.recallAt1)}, recall@3 ${pct(relevance.recallAt3)}`,
    );
    if (values.latency) {
      const latency = await measureSearchLatency(out, base, await corpusQueries(), runs, { typed: values.typed });
      result.corpusLatency = { ...latency, postmortems };
      printLatency(`synthetic corpus of ${postmortems} postmortems`, latency);
    }
  }

  if (values.json) {
    writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
    log(`wrote ${values.json}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`bench:search: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
