/**
 * End-to-end harness: build a knowledge base into a temporary folder, serve it with a real static
 * file server under a sub-path, drive real Chromium against it, and check pages with axe-core.
 *
 * The default site (the bundled knowledge base, built once per `vitest` run under `/kb/`) is
 * built and served by `./global-setup.ts`; a test reaches it with `defaultSite()`. A test that
 * needs another knowledge base builds and serves its own with `buildSite()` + `serveSite()`
 * (or `useSite()` in a `beforeAll`).
 *
 * ```ts
 * import { afterAll, beforeAll, expect, it } from 'vitest';
 * import { defaultSite, launchBrowser, openPage, runAxe, seriousViolations } from './harness.ts';
 *
 * let site: ServedSite;
 * let browser: Browser;
 * beforeAll(async () => { site = defaultSite(); browser = await launchBrowser(); });
 * afterAll(async () => { await browser.close(); });
 *
 * it('opens the home page', async () => {
 *   const session = await openPage(browser, site, '');   // path relative to the base
 *   expect(await session.page.title()).toContain('Hindsight');
 *   expect(session.consoleErrors).toEqual([]);
 *   expect(session.thirdPartyRequests()).toEqual([]);
 *   expect(seriousViolations(await runAxe(session.page))).toEqual([]);
 *   await session.close();
 * });
 * ```
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { AxeResults, Result as AxeResult, RunOptions } from 'axe-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { launchChromium } from '../../scripts/lib/browser.ts';

/** The repository root (where `astro.config.mjs` lives). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The sub-path every e2e build is served under, so base-path bugs show up in tests. */
export const E2E_BASE = '/kb/';

/** A built site on disk. */
export interface BuiltSite {
  /** Folder holding the built files (`index.html`, `postmortems/…`). */
  outDir: string;
  /** The base the site was built for, with leading and trailing slash, e.g. `/kb/`. */
  base: string;
  /** The knowledge-base root that was built (folder holding `content/`). */
  root: string;
}

/** A built site served over HTTP. */
export interface ServedSite extends BuiltSite {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  /** Absolute URL of the site's base, e.g. `http://127.0.0.1:41234/kb/`. */
  url: string;
}

export interface BuildOptions {
  /** Folder holding `content/`; default the repository (the bundled knowledge base). */
  root?: string;
  /** Base path; default `/kb/`. */
  base?: string;
  /** Build output folder; default a fresh folder under `node_modules/.cache/hindsight-e2e/`. */
  outDir?: string;
  /** Extra environment for `astro build` (e.g. `{ HINDSIGHT_SITE: 'https://kb.example.com' }`). */
  env?: Record<string, string>;
  /**
   * What builds: `astro` (default; `astro build`, search indexed in-process) or `hindsight`
   * (`hindsight build`, what `npm run build` runs: Pagefind after Astro exits).
   */
  command?: 'astro' | 'hindsight';
}

/** The result of a build that may fail: exit code and everything it printed. */
export interface BuildRun {
  ok: boolean;
  exitCode: number | null;
  /** stdout and stderr interleaved, as a person would have seen them. */
  output: string;
  outDir: string;
}

/**
 * A fresh build folder inside the repository (under `node_modules/.cache/`, ignored by git).
 * Not in /tmp: when `outDir` is outside the working directory, Astro puts its prerender bundle
 * in `<repo>/.astro/.prerender/`, shared by every such build, so two concurrent builds (two
 * people running tests) overwrite each other's chunks ("Cannot find module …/.prerender/…").
 */
/** A new, empty output folder for one build (inside the repository, as Astro needs). */
export async function freshOutDir(): Promise<string> {
  const parent = join(REPO_ROOT, 'node_modules', '.cache', 'hindsight-e2e');
  await mkdir(parent, { recursive: true });
  return mkdtemp(join(parent, 'dist-'));
}

/** Node 24 (pinned in devDependencies); Astro 7 does not run on the machine's Node 20. */
function nodeBinary(): string {
  const pinned = join(REPO_ROOT, 'node_modules', '.bin', 'node');
  return existsSync(pinned) ? pinned : process.execPath;
}

/** Variables Vitest sets for itself, left out of a build's environment. */
const VITEST_ENV = new Set([
  'VITEST',
  'VITEST_MODE',
  'VITEST_POOL_ID',
  'VITEST_WORKER_ID',
  'TEST',
  'MODE',
  'DEV',
  'PROD',
  'SSR',
  'BASE_URL',
]);

/**
 * Run `astro build` for a knowledge base and report what happened, without throwing on a failed
 * build (tests of the build gate assert on `ok` and `output`). Each run gets its own cache folder.
 */
export async function runBuild(options: BuildOptions = {}): Promise<BuildRun> {
  const outDir = options.outDir ?? (await freshOutDir());
  const cacheDir = await mkdtemp(join(tmpdir(), 'hindsight-e2e-cache-'));
  const merged: NodeJS.ProcessEnv = {
    ...process.env,
    ASTRO_TELEMETRY_DISABLED: '1',
    NODE_ENV: 'production',
    HINDSIGHT_ROOT: resolve(options.root ?? REPO_ROOT),
    HINDSIGHT_BASE: options.base ?? E2E_BASE,
    HINDSIGHT_OUT_DIR: outDir,
    HINDSIGHT_CACHE_DIR: cacheDir,
    ...options.env,
  };
  // Vitest sets these (its own Vite's import.meta.env among them); they must not leak into the build.
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(merged).filter(([key]) => !VITEST_ENV.has(key)));
  const script =
    options.command === 'hindsight'
      ? [join(REPO_ROOT, 'scripts', 'hindsight.ts'), 'build']
      : [join(REPO_ROOT, 'node_modules', 'astro', 'bin', 'astro.mjs'), 'build'];
  const child = spawn(nodeBinary(), script, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exitCode = await new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('close', done);
  });
  await rm(cacheDir, { recursive: true, force: true });
  return { ok: exitCode === 0, exitCode, output, outDir };
}

/** Build a knowledge base; throws with the build's output when the build fails. */
export async function buildSite(options: BuildOptions = {}): Promise<BuiltSite> {
  const run = await runBuild(options);
  if (!run.ok) {
    throw new Error(
      `${options.command ?? 'astro'} build failed (exit ${run.exitCode}) for ${options.root ?? REPO_ROOT}:\n${run.output.slice(-8000)}`,
    );
  }
  return { outDir: run.outDir, base: options.base ?? E2E_BASE, root: resolve(options.root ?? REPO_ROOT) };
}

/** A served site plus a way to stop its server. */
export interface SiteServer extends ServedSite {
  close: () => Promise<void>;
}

/**
 * Serve a built site with sirv (a real static file server, as any host would) on 127.0.0.1 and a
 * random port, under the site's base. Paths outside the base are 404; a missing page under the
 * base gets the site's `404.html` with status 404, as static hosts do.
 */
export async function serveSite(site: BuiltSite): Promise<SiteServer> {
  const base = site.base.endsWith('/') ? site.base : `${site.base}/`;
  const files = sirv(site.outDir, { dev: false, etag: true, dotfiles: false });
  const notFoundPage = join(site.outDir, '404.html');
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (!url.startsWith(base) && `${url}/` !== base) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('outside the site base');
      return;
    }
    req.url = `/${url.slice(base.length)}`;
    files(req, res, () => {
      readFile(notFoundPage)
        .then((body) => res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end(body))
        .catch(() => res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    ...site,
    base,
    origin,
    url: `${origin}${base}`,
    close: () =>
      new Promise<void>((done, fail) => {
        server.close((error) => {
          if (error) fail(error);
          else done();
        });
      }),
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The bundled knowledge base, built and served once per run by `tests/e2e/global-setup.ts`. */
    hindsightSite: ServedSite;
    /** Set instead of `hindsightSite` when the default build failed (with the build's output). */
    hindsightSiteError: string;
  }
}

/**
 * The default site (bundled knowledge base under `/kb/`), built and served by the global setup.
 * Throws the build's output when that build failed; call it inside a test or hook, not at the
 * top of a file, so that only the tests that need it fail.
 */
export function defaultSite(): ServedSite {
  const error = inject('hindsightSiteError');
  if (error) throw new Error(`the default e2e site could not be built:\n${error}`);
  return inject('hindsightSite');
}

/**
 * Build and serve another knowledge base for one test file. Call in `beforeAll` and close it in
 * `afterAll`: `site = await useSite({ root: 'tests/fixtures/site-kb' })`.
 */
export async function useSite(options: BuildOptions = {}): Promise<SiteServer> {
  return serveSite(await buildSite(options));
}

/**
 * For a test file of its own knowledge base: build and serve it and launch Chromium before the
 * file's tests, close both and delete the build after them. Read `site` and `browser` in tests
 * or later hooks; reading them before the build is done throws.
 */
export function useSiteAndBrowser(options: BuildOptions = {}): {
  readonly site: SiteServer;
  readonly browser: Browser;
} {
  let site: SiteServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    const [served, launched] = await Promise.allSettled([useSite(options), launchBrowser()]);
    if (served.status === 'fulfilled') site = served.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (served.status === 'rejected') throw served.reason;
    if (launched.status === 'rejected') throw launched.reason;
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    if (site) await rm(site.outDir, { recursive: true, force: true });
  });
  return {
    get site() {
      if (!site) throw new Error('the site is not built yet: read it inside a test');
      return site;
    },
    get browser() {
      if (!browser) throw new Error('Chromium is not running yet: read it inside a test');
      return browser;
    },
  };
}

/** Launch Debian's Chromium headless with the project's flags (a fresh temporary profile). */
export function launchBrowser(): Promise<Browser> {
  return launchChromium();
}

/** One page in its own browser context, with everything it logged and requested. */
export interface PageSession {
  page: Page;
  context: BrowserContext;
  /** Console messages of type `error`, and uncaught page errors, as text. */
  consoleErrors: string[];
  /** Every URL the page requested (documents, scripts, styles, images, fetches). */
  requests: string[];
  /** Requests that left the site's origin (should always be empty). */
  thirdPartyRequests: () => string[];
  /** Absolute URL for a path relative to the site base. */
  urlFor: (path: string) => string;
  close: () => Promise<void>;
}

export interface OpenPageOptions extends BrowserContextOptions {
  /** Wait for this load state after navigation; default `load`. */
  waitUntil?: 'load' | 'domcontentloaded' | 'networkidle';
}

/**
 * Open `path` (relative to the site's base, e.g. `postmortems/INC-2026-001/`) in a fresh context.
 * Context options pass through: `colorScheme: 'dark'`, `viewport: { width: 390, height: 844 }`,
 * `javaScriptEnabled: false`, `reducedMotion`, …
 */
export async function openPage(
  browser: Browser,
  site: ServedSite,
  path: string,
  options: OpenPageOptions = {},
): Promise<PageSession> {
  const { waitUntil = 'load', ...contextOptions } = options;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  context.on('request', (request) => requests.push(request.url()));
  const urlFor = (p: string) => new URL(p.replace(/^\//, ''), site.url).href;
  await page.goto(urlFor(path), { waitUntil });
  return {
    page,
    context,
    consoleErrors,
    requests,
    thirdPartyRequests: () =>
      requests.filter((url) => {
        if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return false;
        return new URL(url).origin !== site.origin;
      }),
    urlFor,
    close: () => context.close(),
  };
}

let axeSource: string | undefined;

/**
 * Run axe-core in the page (WCAG 2 A/AA rules by default). Injected through the DevTools protocol,
 * so the site's Content-Security-Policy does not get in the way.
 */
export async function runAxe(page: Page, options: RunOptions = {}): Promise<AxeResults> {
  axeSource ??= await readFile(join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const runOptions: RunOptions = {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    ...options,
  };
  return page.evaluate<AxeResults, Record<string, unknown>>(
    (opts) =>
      (globalThis as unknown as { axe: { run: (c: Document, o: unknown) => Promise<AxeResults> } }).axe.run(
        document,
        opts,
      ),
    runOptions as unknown as Record<string, unknown>,
  );
}

/** Serious and critical axe violations, as readable one-liners (empty when the page is clean). */
export function seriousViolations(results: AxeResults): string[] {
  return results.violations
    .filter((v: AxeResult) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v: AxeResult) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 5)
          .join(', ')}`,
    );
}

/** Every same-origin link on the page, resolved, without fragments, de-duplicated. */
export async function internalLinks(page: Page, site: ServedSite): Promise<string[]> {
  const hrefs = await page.$$eval('a[href]', (anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
  const links = new Set<string>();
  for (const href of hrefs) {
    const url = new URL(href);
    if (url.origin !== site.origin) continue;
    url.hash = '';
    links.add(url.href);
  }
  return [...links];
}
