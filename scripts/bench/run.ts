#!/usr/bin/env node
/**
 * `npm run bench`: how fast Hindsight validates and builds large knowledge bases, against the
 * floor of a bare Astro site over the same content.
 *
 * For each size (default 1,000 and 10,000 postmortems, plus 100 playbooks and a few paths):
 * 1. generate a synthetic knowledge base (`./generate.ts`, seeded: the same every run);
 * 2. `hindsight validate`, cold (no parse cache) then warm, each run `--repeat` times (median);
 * 3. the floor: `astro build` of `scripts/bench/bare/` (same collections, one minimal page per
 *    document, no integrations), cold (empty Astro cache) then warm;
 * 4. the real site: `hindsight build` (what `npm run build` runs: Astro with the site's
 *    integrations, then Pagefind once Astro has exited), cold then warm;
 * 5. what was shipped: size of dist/, of the Pagefind index, and the HTML, CSS and JavaScript a
 *    browser loads for a typical postmortem page (the published one of median body size), raw
 *    and gzip.
 * Peak memory is the maximum resident set of any process of a step (GNU time) and the peak sum
 * over the step's whole process tree (sampled from /proc, Pagefind included).
 *
 * It prints a table with the budgets beside the figures (reported, never asserted) and writes
 * JSON (default `node_modules/.cache/hindsight-bench/results.json`). A failed step is reported and
 * makes the exit code 1, which is what the CI smoke run (`npm run bench:smoke`, 1,000 documents)
 * relies on: no timing is asserted, but a build or validation that breaks at scale fails.
 *
 * Builds run from the repository root with their outDir inside it (under the work folder), so
 * Astro keeps its prerender chunks in that outDir and concurrent builds do not share them.
 *
 * Usage: node scripts/bench/run.ts [--sizes 1000,10000] [--steps validate,bare,site]
 *        [--repeat 3] [--work DIR] [--out FILE] [--keep]
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { generateCorpus, type GeneratedFile } from './generate.ts';
import {
  ANSI,
  ASTRO_BIN,
  BARE_ROOT,
  formatBytes as fmtBytes,
  formatMs as fmtMs,
  REPO,
  runNode,
  say,
  type RunOutcome,
} from './process.ts';

const HINDSIGHT_BIN = join(REPO, 'scripts/hindsight.ts');
const PAGEFIND_BIN = join(REPO, 'node_modules/pagefind/lib/runner/bin.cjs');
/** The generator's "today"; validation runs as of that day so results do not drift with the calendar. */
const AS_OF = '2026-11-01';

/** Budgets from the issue, on a 2-core machine. Reported next to the figures, never asserted. */
export const BUDGETS = {
  validateColdMs: 5000,
  validateWarmMs: 1000,
  buildVsFloor: 1.5,
  peakRssBytes: 3 * 1024 ** 3,
  pageHtmlCssGzipBytes: 20 * 1024,
  /** The size the validate and build budgets apply to. */
  atPostmortems: 10_000,
} as const;

interface StepResult extends RunOutcome {
  step: string;
  mode: 'cold' | 'warm';
  /** Every run's milliseconds, when repeated (`ms` is then the median). */
  runs?: number[];
}

interface Weight {
  raw: number;
  gzip: number;
  files: string[];
}

interface PageWeight {
  page: string;
  html: Weight;
  css: Weight;
  js: Weight;
  htmlCssGzip: number;
}

interface SizeResult {
  postmortems: number;
  documents: number;
  contentBytes: number;
  steps: StepResult[];
  distBytes?: number;
  distFiles?: number;
  pagefindBytes?: number;
  pagefindFiles?: number;
  floorDistBytes?: number;
  typicalPage?: PageWeight;
  /** Size of Astro's content store after the site build (the ceiling grows with it). */
  contentStoreBytes?: number;
  floorContentStoreBytes?: number;
}

// ---------------------------------------------------------------------------------------------
// Measuring output

function walkFiles(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walkFiles(path, out);
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

function dirSize(dir: string): { bytes: number; files: number } {
  const files = walkFiles(dir);
  return { bytes: files.reduce((sum, file) => sum + statSync(file).size, 0), files: files.length };
}

function weigh(chunks: { name: string; data: Buffer }[]): Weight {
  return {
    raw: chunks.reduce((sum, c) => sum + c.data.length, 0),
    gzip: chunks.reduce((sum, c) => sum + gzipSync(c.data).length, 0),
    files: chunks.map((c) => c.name),
  };
}

/**
 * What a browser loads for one page before any interaction: the HTML, linked stylesheets,
 * scripts with `src` and module preloads. Inline styles and scripts are part of the HTML.
 */
export function pageWeight(dist: string, page: string, base = '/'): PageWeight | undefined {
  const htmlFile = join(dist, page, 'index.html');
  if (!existsSync(htmlFile)) return undefined;
  const html = readFileSync(htmlFile);
  const text = html.toString('utf8');
  const local = (href: string): string | undefined => {
    if (/^(?:[a-z]+:)?\/\//i.test(href) || href.startsWith('data:')) return undefined;
    const path = href.split(/[?#]/)[0] as string;
    const withinBase = path.startsWith(base) ? path.slice(base.length) : path.replace(/^\//, '');
    const file = path.startsWith('/') ? join(dist, withinBase) : join(dist, page, path);
    return existsSync(file) && statSync(file).isFile() ? file : undefined;
  };
  const attr = (tag: string, name: string): string | undefined =>
    new RegExp(`\\b${name}\\s*=\\s*["']?([^"'\\s>]+)`, 'i').exec(tag)?.[1];
  const css: { name: string; data: Buffer }[] = [];
  const js: { name: string; data: Buffer }[] = [];
  for (const tag of text.match(/<link\b[^>]*>/gi) ?? []) {
    const rel = (attr(tag, 'rel') ?? '').toLowerCase();
    const href = attr(tag, 'href');
    const file = href ? local(href) : undefined;
    if (!file) continue;
    if (rel === 'stylesheet') css.push({ name: relative(dist, file), data: readFileSync(file) });
    if (rel === 'modulepreload') js.push({ name: relative(dist, file), data: readFileSync(file) });
  }
  for (const tag of text.match(/<script\b[^>]*>/gi) ?? []) {
    const src = attr(tag, 'src');
    const file = src ? local(src) : undefined;
    if (file && !js.some((j) => j.name === relative(dist, file)))
      js.push({ name: relative(dist, file), data: readFileSync(file) });
  }
  const htmlWeight = weigh([{ name: relative(dist, htmlFile), data: html }]);
  const cssWeight = weigh(css);
  return { page, html: htmlWeight, css: cssWeight, js: weigh(js), htmlCssGzip: htmlWeight.gzip + cssWeight.gzip };
}

/** The published postmortem whose body is the median length: a "typical" page. */
function typicalPostmortem(files: readonly GeneratedFile[]): string | undefined {
  const published = files
    .filter((f) => f.path.startsWith('content/postmortems/') && /^status: published$/m.test(f.text))
    .map((f) => {
      const end = f.text.indexOf('\n---\n', 4);
      return { id: /^id: (.+)$/m.exec(f.text)?.[1] ?? '', body: end === -1 ? 0 : f.text.length - end };
    })
    .sort((a, b) => a.body - b.body);
  return published[Math.floor(published.length / 2)]?.id;
}

function storeSize(cacheDir: string): number | undefined {
  const single = join(cacheDir, 'data-store.json');
  if (existsSync(single)) return statSync(single).size;
  const chunked = join(cacheDir, 'data-store');
  return existsSync(chunked) ? dirSize(chunked).bytes : undefined;
}

// ---------------------------------------------------------------------------------------------
// Report

function find(size: SizeResult, step: string, mode: 'cold' | 'warm'): StepResult | undefined {
  return size.steps.find((s) => s.step === step && s.mode === mode);
}

function stepCell(step: StepResult | undefined): string {
  if (!step) return '–';
  return step.ok ? fmtMs(step.ms) : `FAILED (exit ${step.exitCode})`;
}

function ratio(size: SizeResult, mode: 'cold' | 'warm', withPagefind = false): number | undefined {
  const site = find(size, 'site build', mode);
  const floor = find(size, 'bare floor', mode);
  const pagefind = find(size, 'floor pagefind', 'cold');
  if (!site?.ok || !floor?.ok) return undefined;
  if (!withPagefind) return site.ms / floor.ms;
  return pagefind?.ok ? site.ms / (floor.ms + pagefind.ms) : undefined;
}

function peak(size: SizeResult): number | undefined {
  const values = size.steps.flatMap((s) => [s.maxRssBytes ?? 0, s.treePeakRssBytes ?? 0]);
  const max = Math.max(0, ...values);
  return max > 0 ? max : undefined;
}

export function formatTable(sizes: readonly SizeResult[]): string {
  const mark = (ok: boolean | undefined): string => (ok === undefined ? '' : ok ? ' ✓' : ' ✗');
  const atBudget = (s: SizeResult): boolean => s.postmortems >= BUDGETS.atPostmortems;
  const rows: string[][] = [
    ['', ...sizes.map((s) => `${s.postmortems.toLocaleString('en-US')} postmortems`), 'budget'],
  ];
  const row = (label: string, cell: (s: SizeResult) => string, budget = ''): void => {
    rows.push([label, ...sizes.map(cell), budget]);
  };
  row('documents', (s) => s.documents.toLocaleString('en-US'));
  row('content', (s) => fmtBytes(s.contentBytes));
  for (const mode of ['cold', 'warm'] as const) {
    row(
      `validate, ${mode}`,
      (s) => {
        const step = find(s, 'validate', mode);
        const limit = mode === 'cold' ? BUDGETS.validateColdMs : BUDGETS.validateWarmMs;
        return stepCell(step) + (step?.ok && atBudget(s) ? mark(step.ms <= limit) : '');
      },
      `≤ ${fmtMs(mode === 'cold' ? BUDGETS.validateColdMs : BUDGETS.validateWarmMs)} at 10k`,
    );
  }
  for (const mode of ['cold', 'warm'] as const)
    row(`bare Astro floor, ${mode}`, (s) => stepCell(find(s, 'bare floor', mode)));
  row('Pagefind CLI over the floor', (s) => stepCell(find(s, 'floor pagefind', 'cold')));
  for (const mode of ['cold', 'warm'] as const)
    row(`site build, ${mode}`, (s) => stepCell(find(s, 'site build', mode)));
  for (const mode of ['cold', 'warm'] as const) {
    row(
      `site ÷ floor, ${mode}`,
      (s) => {
        const r = ratio(s, mode);
        return r === undefined ? '–' : `${r.toFixed(2)}×${atBudget(s) ? mark(r <= BUDGETS.buildVsFloor) : ''}`;
      },
      `≤ ${BUDGETS.buildVsFloor}× at 10k`,
    );
  }
  for (const mode of ['cold', 'warm'] as const) {
    row(`site ÷ (floor + Pagefind), ${mode}`, (s) => {
      const r = ratio(s, mode, true);
      return r === undefined ? '–' : `${r.toFixed(2)}×`;
    });
  }
  row(
    'peak memory',
    (s) => {
      const p = peak(s);
      return p === undefined ? '–' : `${fmtBytes(p)}${mark(p <= BUDGETS.peakRssBytes)}`;
    },
    `≤ ${fmtBytes(BUDGETS.peakRssBytes)}`,
  );
  row('dist/ (site)', (s) =>
    s.distBytes === undefined ? '–' : `${fmtBytes(s.distBytes)} in ${s.distFiles?.toLocaleString('en-US')} files`,
  );
  row('dist/ (floor)', (s) => fmtBytes(s.floorDistBytes));
  row('Pagefind index', (s) =>
    s.pagefindBytes === undefined
      ? '–'
      : `${fmtBytes(s.pagefindBytes)} in ${s.pagefindFiles?.toLocaleString('en-US')} files`,
  );
  row('content store (site)', (s) => fmtBytes(s.contentStoreBytes));
  row('content store (floor)', (s) => fmtBytes(s.floorContentStoreBytes));
  const page = (s: SizeResult): PageWeight | undefined => s.typicalPage;
  row('postmortem page HTML', (s) =>
    page(s) ? `${fmtBytes(page(s)?.html.raw)} / ${fmtBytes(page(s)?.html.gzip)} gz` : '–',
  );
  row('postmortem page CSS', (s) =>
    page(s) ? `${fmtBytes(page(s)?.css.raw)} / ${fmtBytes(page(s)?.css.gzip)} gz` : '–',
  );
  row(
    'postmortem page JS',
    (s) => (page(s) ? `${fmtBytes(page(s)?.js.raw)} / ${fmtBytes(page(s)?.js.gzip)} gz` : '–'),
    'search launcher only',
  );
  row(
    'page HTML+CSS gzip',
    (s) => {
      const p = page(s);
      return p ? `${fmtBytes(p.htmlCssGzip)}${mark(p.htmlCssGzip <= BUDGETS.pageHtmlCssGzipBytes)}` : '–';
    },
    `≤ ${fmtBytes(BUDGETS.pageHtmlCssGzipBytes)}`,
  );

  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r, index) => {
      const line = r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd();
      return index === 0 ? `${line}\n${'-'.repeat(line.length)}` : line;
    })
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main

async function benchSize(
  postmortems: number,
  options: { playbooks: number; work: string; steps: Set<string>; repeat: number; keep: boolean },
): Promise<SizeResult> {
  const dir = join(options.work, String(postmortems));
  const kb = join(dir, 'kb');
  say(
    `${postmortems.toLocaleString('en-US')} postmortems: generating the knowledge base in ${relative(REPO, kb) || kb}`,
  );
  const files = generateCorpus({ postmortems, playbooks: options.playbooks });
  rmSync(join(kb, 'content'), { recursive: true, force: true });
  let contentBytes = 0;
  for (const file of files) {
    const target = join(kb, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.text);
    contentBytes += Buffer.byteLength(file.text);
  }
  const result: SizeResult = { postmortems, documents: files.length - 1, contentBytes, steps: [] };
  const label = (what: string): string => `${postmortems.toLocaleString('en-US')} · ${what}`;
  const record = (step: string, mode: 'cold' | 'warm', outcome: RunOutcome & { runs?: number[] }): void => {
    result.steps.push({ step, mode, ...outcome });
    say(
      `  ${step}, ${mode}: ${outcome.ok ? fmtMs(outcome.ms) : `FAILED with exit code ${outcome.exitCode}; see ${outcome.log}`}${outcome.maxRssBytes ? ` · max RSS ${fmtBytes(outcome.maxRssBytes)}` : ''}`,
    );
    if (!outcome.ok) {
      const tail = readFileSync(join(REPO, outcome.log), 'utf8').split('\n').slice(-15).join('\n');
      console.log(tail.replace(ANSI, ''));
    }
  };

  if (options.steps.has('validate')) {
    const cache = join(dir, 'validate-cache');
    const args = [HINDSIGHT_BIN, 'validate', '--root', kb, '--now', AS_OF];
    for (const mode of ['cold', 'warm'] as const) {
      const runs: RunOutcome[] = [];
      for (let i = 0; i < options.repeat; i++) {
        if (mode === 'cold') rmSync(cache, { recursive: true, force: true });
        runs.push(
          await runNode(args, {
            label: label(`validate ${mode}`),
            env: { HINDSIGHT_CACHE_DIR: cache },
            logFile: join(dir, 'logs', `validate-${mode}-${i + 1}.log`),
          }),
        );
        if (!runs[runs.length - 1]?.ok) break;
      }
      const sorted = [...runs].sort((a, b) => a.ms - b.ms);
      const median = sorted[Math.floor(sorted.length / 2)] as RunOutcome;
      const failed = runs.find((r) => !r.ok);
      record('validate', mode, { ...(failed ?? median), runs: runs.map((r) => Math.round(r.ms)) });
    }
  }

  const build = async (step: string, root: string, out: string, cache: string): Promise<void> => {
    rmSync(out, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
    const env = { HINDSIGHT_ROOT: kb, HINDSIGHT_OUT_DIR: out, HINDSIGHT_CACHE_DIR: cache };
    for (const mode of ['cold', 'warm'] as const) {
      say(`${label(`${step}, ${mode}`)}: astro build`);
      // The site is built the way `npm run build` builds it (`hindsight build`: Astro, then
      // Pagefind once Astro has exited); the floor is a plain `astro build`.
      const command = root === REPO ? [HINDSIGHT_BIN, 'build'] : [ASTRO_BIN, 'build', '--root', root];
      const outcome = await runNode(command, {
        label: label(`${step} ${mode}`),
        env,
        logFile: join(dir, 'logs', `${step.replace(/\W+/g, '-')}-${mode}.log`),
      });
      record(step, mode, outcome);
      if (!outcome.ok) break;
    }
  };

  if (options.steps.has('bare')) {
    const out = join(dir, 'bare-dist');
    const cache = join(dir, 'bare-cache');
    await build('bare floor', BARE_ROOT, out, cache);
    result.floorDistBytes = dirSize(out).bytes;
    if (find(result, 'bare floor', 'warm')?.ok) {
      // What indexing the same number of pages costs at least: the Pagefind CLI over the floor.
      say(`${label('floor + Pagefind')}: pagefind --site`);
      const outcome = await runNode([PAGEFIND_BIN, '--site', out], {
        label: label('floor pagefind'),
        logFile: join(dir, 'logs', 'floor-pagefind.log'),
      });
      record('floor pagefind', 'cold', outcome);
    }
    const store = storeSize(cache);
    if (store !== undefined) result.floorContentStoreBytes = store;
    if (!options.keep) rmSync(out, { recursive: true, force: true });
  }

  if (options.steps.has('site')) {
    const out = join(dir, 'site-dist');
    const cache = join(dir, 'site-cache');
    await build('site build', REPO, out, cache);
    if (find(result, 'site build', 'cold')?.ok) {
      const dist = dirSize(out);
      const pagefind = dirSize(join(out, 'pagefind'));
      result.distBytes = dist.bytes;
      result.distFiles = dist.files;
      if (pagefind.files > 0) {
        result.pagefindBytes = pagefind.bytes;
        result.pagefindFiles = pagefind.files;
      }
      const store = storeSize(cache);
      if (store !== undefined) result.contentStoreBytes = store;
      const id = typicalPostmortem(files);
      const weight = id ? pageWeight(out, `postmortems/${id}`) : undefined;
      if (weight) result.typicalPage = weight;
      else say(`  no page found for the typical postmortem ${id ?? ''} in ${relative(REPO, out)}`);
    }
    if (!options.keep) rmSync(out, { recursive: true, force: true });
  }
  return result;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '1000,10000' },
      playbooks: { type: 'string', default: '100' },
      steps: { type: 'string', default: 'validate,bare,site' },
      repeat: { type: 'string', default: '3' },
      work: { type: 'string', default: join(REPO, 'node_modules/.cache/hindsight-bench') },
      out: { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'Usage: node scripts/bench/run.ts [--sizes 1000,10000] [--steps validate,bare,site] [--repeat 3] [--work DIR] [--out FILE] [--keep]',
    );
    return;
  }
  const sizes = values.sizes.split(',').map((s) => Number(s.trim()));
  const steps = new Set(values.steps.split(',').map((s) => s.trim()));
  const unknown = [...steps].filter((s) => !['validate', 'bare', 'site'].includes(s));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1) || unknown.length > 0 || !/^\d+$/.test(values.repeat)) {
    console.error(
      'bench: --sizes takes whole numbers (e.g. 1000,10000); --steps a list of validate, bare, site; --repeat a whole number',
    );
    process.exitCode = 2;
    return;
  }
  const work = resolve(values.work);
  if (!resolve(work).startsWith(REPO)) {
    // Astro keeps prerender chunks in outDir only when it is inside the working directory;
    // elsewhere they go to a shared ./.astro and the chunks cannot resolve node_modules.
    console.error(`bench: --work must be inside ${REPO} (e.g. node_modules/.cache/hindsight-bench)`);
    process.exitCode = 2;
    return;
  }
  const outFile = resolve(values.out ?? join(work, 'results.json'));
  const machine = {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryBytes: totalmem(),
    node: process.version,
    astro: (JSON.parse(readFileSync(join(REPO, 'node_modules/astro/package.json'), 'utf8')) as { version: string })
      .version,
    pagefind: (
      JSON.parse(readFileSync(join(REPO, 'node_modules/pagefind/package.json'), 'utf8')) as { version: string }
    ).version,
  };
  say(
    `Hindsight benchmark: ${sizes.join(', ')} postmortems · ${machine.cores} cores · ${fmtBytes(machine.memoryBytes)} · Node ${machine.node} · Astro ${machine.astro} · Pagefind ${machine.pagefind}`,
  );

  const results: SizeResult[] = [];
  for (const size of sizes) {
    results.push(
      await benchSize(size, {
        playbooks: Number(values.playbooks),
        work,
        steps,
        repeat: Math.max(1, Number(values.repeat)),
        keep: values.keep,
      }),
    );
  }
  console.log(`\n${formatTable(results)}\n`);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(
    outFile,
    `${JSON.stringify({ date: new Date().toISOString(), machine, budgets: BUDGETS, sizes: results }, null, 2)}\n`,
  );
  say(`results written to ${relative(process.cwd(), outFile) || outFile}`);
  const failed = results.flatMap((r) =>
    r.steps.filter((s) => !s.ok).map((s) => `${r.postmortems}: ${s.step}, ${s.mode}`),
  );
  if (failed.length > 0) {
    console.error(`bench: ${failed.length} step(s) failed: ${failed.join('; ')}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
