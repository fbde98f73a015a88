#!/usr/bin/env node
/**
 * The ceiling probe: at which size does an Astro build of a Hindsight knowledge base fail?
 *
 * Astro serialises its whole content store into one string (and, at build time, embeds it once
 * more as a string literal in the server bundle); V8 caps strings at 2^29 − 24 characters, so
 * past some size the build dies with "RangeError: Invalid string length". This script generates
 * knowledge bases of the given sizes (`./generate.ts`), builds each and records whether it got
 * as far as rendering pages, how big the content store was, peak memory and the error.
 *
 * A build that renders `--stop-after` pages has passed every whole-store step (sync, store
 * serialisation, bundling the store) and is stopped there, since rendering the rest only
 * repeats per-page work; a build that fails is recorded with its error line. Sizes run in
 * order; the probe stops at the first failure unless `--all`.
 *
 * Usage: node scripts/bench/ceiling.ts [--sizes 20000,30000,40000,50000] [--project bare|site]
 *        [--storage single-file|chunked] [--stop-after 500] [--work DIR] [--all]
 * `--storage chunked` builds the floor with Astro's experimental chunked content store.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeCorpus } from './generate.ts';
import { ANSI, ASTRO_BIN, BARE_ROOT, formatBytes, formatMs, REPO, runNode, say, type RunOutcome } from './process.ts';

interface Probe {
  postmortems: number;
  documents: number;
  contentBytes: number;
  project: string;
  storage: string;
  /** `rendering` when the build got to page rendering (and was stopped there), `failed` otherwise. */
  result: 'rendering' | 'complete' | 'failed';
  /** The first error line of a failed build. */
  error?: string;
  storeBytes?: number;
  outcome: RunOutcome;
}

/** The lines that say why a build died, most specific first. */
const ERROR_LINES = [
  /Invalid string length|ERR_STRING_TOO_LONG|Cannot create a string longer/i,
  /heap out of memory|RangeError/i,
  /error/i,
];

function storeBytes(cacheDir: string): number | undefined {
  const single = join(cacheDir, 'data-store.json');
  if (existsSync(single)) return statSync(single).size;
  const chunked = join(cacheDir, 'data-store');
  if (!existsSync(chunked)) return undefined;
  return readdirSync(chunked).reduce((sum, name) => sum + statSync(join(chunked, name)).size, 0);
}

async function probe(
  postmortems: number,
  options: { project: 'bare' | 'site'; storage: string; stopAfter: number; work: string },
): Promise<Probe> {
  const dir = join(options.work, String(postmortems));
  const kb = join(dir, 'kb');
  say(`${postmortems.toLocaleString('en-US')} postmortems: generating`);
  const written = writeCorpus(kb, { postmortems });
  const out = join(dir, 'dist');
  const cache = join(dir, 'cache');
  rmSync(out, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
  let pages = 0;
  say(
    `${postmortems.toLocaleString('en-US')} postmortems: astro build (${options.project}, ${options.storage} store), stopping after ${options.stopAfter} pages`,
  );
  const outcome = await runNode([ASTRO_BIN, 'build', '--root', options.project === 'bare' ? BARE_ROOT : REPO], {
    label: `ceiling ${postmortems}`,
    env: {
      HINDSIGHT_ROOT: kb,
      HINDSIGHT_OUT_DIR: out,
      HINDSIGHT_CACHE_DIR: cache,
      ...(options.storage === 'chunked' ? { HINDSIGHT_BENCH_STORAGE: 'chunked' } : {}),
    },
    logFile: join(dir, `build-${options.project}-${options.storage}.log`),
    stopWhen: (line) => {
      // Astro prints each page's path before rendering it (its timing may come in a later chunk).
      if (/\/index\.html\b/.test(line)) pages += 1;
      return pages >= options.stopAfter ? `rendered ${pages} pages` : undefined;
    },
  });
  const result: Probe = {
    postmortems,
    documents: written.files - 1,
    contentBytes: written.bytes,
    project: options.project,
    storage: options.storage,
    result: outcome.stopped ? 'rendering' : outcome.exitCode === 0 ? 'complete' : 'failed',
    outcome,
  };
  const store = storeBytes(cache);
  if (store !== undefined) result.storeBytes = store;
  if (result.result === 'failed') {
    const lines = readFileSync(join(REPO, outcome.log), 'utf8').replace(ANSI, '').split('\n');
    const error = ERROR_LINES.map((pattern) => lines.find((l) => pattern.test(l) && !/^\s*at /.test(l))).find(Boolean);
    if (error) result.error = error.trim().slice(0, 300);
  }
  rmSync(out, { recursive: true, force: true });
  say(
    `  ${result.result}${result.error ? `: ${result.error}` : ''} · ${formatMs(outcome.ms)} · store ${formatBytes(result.storeBytes)} · max RSS ${formatBytes(outcome.maxRssBytes)}`,
  );
  return result;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '20000,30000,40000,50000' },
      project: { type: 'string', default: 'bare' },
      storage: { type: 'string', default: 'single-file' },
      'stop-after': { type: 'string', default: '500' },
      work: { type: 'string', default: join(REPO, 'node_modules/.cache/hindsight-bench/ceiling') },
      out: { type: 'string' },
      all: { type: 'boolean', default: false },
    },
  });
  const project = values.project === 'site' ? 'site' : 'bare';
  if (project === 'site' && values.storage !== 'single-file') {
    console.error('ceiling: --storage applies to the bare floor only (the site uses its own astro.config.mjs)');
    process.exitCode = 2;
    return;
  }
  const work = resolve(values.work);
  if (!work.startsWith(REPO)) {
    console.error(`ceiling: --work must be inside ${REPO}, so Astro's prerender chunks can resolve node_modules`);
    process.exitCode = 2;
    return;
  }
  mkdirSync(work, { recursive: true });
  const probes: Probe[] = [];
  for (const size of values.sizes.split(',').map(Number)) {
    const result = await probe(size, {
      project,
      storage: values.storage,
      stopAfter: Number(values['stop-after']),
      work,
    });
    probes.push(result);
    if (result.result === 'failed' && !values.all) break;
  }
  console.log('\npostmortems  documents  content    store      result     max RSS    time');
  for (const p of probes) {
    console.log(
      [
        p.postmortems.toLocaleString('en-US').padEnd(11),
        p.documents.toLocaleString('en-US').padEnd(9),
        formatBytes(p.contentBytes).padEnd(9),
        formatBytes(p.storeBytes).padEnd(9),
        p.result.padEnd(9),
        formatBytes(p.outcome.maxRssBytes).padEnd(9),
        formatMs(p.outcome.ms),
        p.error ?? '',
      ].join('  '),
    );
  }
  const outFile = resolve(values.out ?? join(work, `ceiling-${project}-${values.storage}.json`));
  writeFileSync(outFile, `${JSON.stringify({ date: new Date().toISOString(), probes }, null, 2)}\n`);
  say(`results written to ${relative(process.cwd(), outFile)}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
