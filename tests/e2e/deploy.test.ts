/**
 * Deploy recipes (scripts/deploy/README.md), tested on real builds of the bundled knowledge base:
 *
 * - a root host (Netlify, an S3 bucket) gets a build for `/`, GitHub Pages a build for a sub-path
 *   (`/kb/` here, the build the e2e global setup already made): in both, every internal `href`,
 *   `src` and `srcset` of every page, every `url()` of every stylesheet and every sitemap entry
 *   resolves, against the base, to a file of the output; nothing points outside the base; no page
 *   loads a script, style or image from another origin;
 * - `npm run preview` serves a build under its base (and nothing outside it);
 * - the Netlify recipe sends the headers the site needs (`HOST_HEADERS` in src/site/csp.ts) and
 *   caches only content-hashed files for long; the S3 recipe uploads in a safe order with the
 *   right Cache-Control per kind of file.
 *
 * One build per base per run: `/kb/` comes from the global setup, `/` is built once here.
 * No browser is needed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, posix } from 'node:path';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { parse as parseToml } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_HEADERS } from '../../src/site/csp.ts';
import { listFiles, testdir } from '../helpers/testdir.ts';
import { defaultSite, REPO_ROOT, runBuild, type BuiltSite } from './harness.ts';

type Element = DefaultTreeAdapterMap['element'];
type ParentNode = DefaultTreeAdapterMap['parentNode'];

/** The origin the builds are made for (astro.config.mjs default, unless HINDSIGHT_SITE is set). */
const SITE_ORIGIN = new URL(process.env['HINDSIGHT_SITE'] ?? 'http://localhost:4321').origin;

/** Every element of a parsed document, `<template>` contents included. */
function* elements(node: ParentNode): Generator<Element> {
  for (const child of node.childNodes) {
    if (!('tagName' in child)) continue;
    yield child;
    yield* elements(child);
    if (child.tagName === 'template' && 'content' in child) yield* elements(child.content);
  }
}

interface Reference {
  /** The page or stylesheet it is in, relative to the output folder. */
  from: string;
  /** How it is used: `a[href]`, `script[src]`, `css url()`, `sitemap`. */
  kind: string;
  url: string;
}

/** Attributes that name a URL, by the element they matter on. */
const URL_ATTRIBUTES: Record<string, readonly string[]> = {
  href: ['a', 'link', 'area', 'base'],
  src: ['script', 'img', 'iframe', 'source', 'audio', 'video', 'track', 'embed', 'input'],
  poster: ['video'],
  action: ['form'],
  data: ['object'],
};
/** Kinds that load a resource into the page (as opposed to navigating to it). */
const LOADS =
  /^(?:script|img|iframe|source|audio|video|track|embed|input|object|link\[(?:stylesheet|preload|modulepreload|icon|manifest)[^\]]*\])/;

function pageReferences(html: string, from: string): Reference[] {
  const refs: Reference[] = [];
  for (const element of elements(parse(html))) {
    const attrs = new Map(element.attrs.map((a) => [a.name, a.value]));
    for (const [attribute, tags] of Object.entries(URL_ATTRIBUTES)) {
      const value = attrs.get(attribute);
      if (value === undefined || !tags.includes(element.tagName)) continue;
      const rel = element.tagName === 'link' ? `[${attrs.get('rel') ?? ''}]` : '';
      refs.push({ from, kind: `${element.tagName}${rel}[${attribute}]`, url: value });
    }
    const srcset = attrs.get('srcset');
    if (srcset !== undefined) {
      for (const candidate of srcset.split(',')) {
        const url = candidate.trim().split(/\s+/)[0];
        if (url) refs.push({ from, kind: `${element.tagName}[srcset]`, url });
      }
    }
    if (element.tagName === 'meta' && attrs.get('http-equiv')?.toLowerCase() === 'refresh') {
      const url = /url=(.+)$/i.exec(attrs.get('content') ?? '')?.[1];
      if (url) refs.push({ from, kind: 'meta[refresh]', url: url.trim() });
    }
  }
  return refs;
}

function cssReferences(css: string, from: string): Reference[] {
  return [...css.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)].map((m) => ({
    from,
    kind: 'css url()',
    url: m[2] ?? '',
  }));
}

interface Crawl {
  pages: number;
  checked: number;
  broken: string[];
  outsideBase: string[];
  thirdPartyLoads: string[];
}

/**
 * Resolve every reference of a built site against its base, as a static host would serve it:
 * `/kb/postmortems/x/` is `postmortems/x/index.html`; `/kb/postmortems/x` (no slash) is served by
 * hosts as a redirect to the folder, so it counts when the folder has an `index.html`.
 */
function crawl(site: BuiltSite): Crawl {
  const files = listFiles(site.outDir);
  const fileSet = new Set(files);
  const refs: Reference[] = [];
  for (const file of files) {
    if (file.endsWith('.html')) refs.push(...pageReferences(readFileSync(join(site.outDir, file), 'utf8'), file));
    else if (file.endsWith('.css')) refs.push(...cssReferences(readFileSync(join(site.outDir, file), 'utf8'), file));
    else if (/^sitemap-\d+\.xml$/.test(file)) {
      for (const m of readFileSync(join(site.outDir, file), 'utf8').matchAll(/<loc>([^<]+)<\/loc>/g)) {
        refs.push({ from: file, kind: 'sitemap', url: m[1] ?? '' });
      }
    }
  }
  const result: Crawl = {
    pages: files.filter((f) => f.endsWith('.html')).length,
    checked: 0,
    broken: [],
    outsideBase: [],
    thirdPartyLoads: [],
  };
  for (const ref of refs) {
    if (/^(?:#|mailto:|tel:|data:|blob:)/i.test(ref.url) || ref.url === '') continue;
    const pageUrl = `${SITE_ORIGIN}${site.base}${ref.from.replace(/(?:^|\/)index\.html$/, '/').replace(/^\//, '')}`;
    const url = new URL(ref.url, pageUrl);
    const where = `${ref.from}: ${ref.kind} "${ref.url}"`;
    if (url.origin !== SITE_ORIGIN) {
      if (LOADS.test(ref.kind)) result.thirdPartyLoads.push(where);
      continue;
    }
    result.checked += 1;
    const path = decodeURIComponent(url.pathname);
    if (!path.startsWith(site.base)) {
      result.outsideBase.push(where);
      continue;
    }
    const inside = path.slice(site.base.length);
    const candidates =
      inside === '' || inside.endsWith('/') ? [`${inside}index.html`] : [inside, `${inside}/index.html`];
    if (!candidates.some((c) => fileSet.has(posix.normalize(c)))) result.broken.push(`${where} → ${path}`);
  }
  return result;
}

let root: BuiltSite;
let sub: BuiltSite;

beforeAll(async () => {
  sub = defaultSite();
  const run = await runBuild({ base: '/' });
  if (!run.ok) throw new Error(`build for / failed:\n${run.output.slice(-4000)}`);
  root = { outDir: run.outDir, base: '/', root: REPO_ROOT };
});

describe.each([
  ['a root host (Netlify, S3): base /', () => root],
  ['a sub-path host (GitHub Pages): base /kb/', () => sub],
])('%s', (_, site) => {
  let result: Crawl;
  beforeAll(() => {
    result = crawl(site());
    console.info(
      `${site().base}: ${String(result.pages)} pages, ${String(result.checked)} internal references checked`,
    );
  });

  it('builds the whole site', () => {
    expect(result.pages).toBeGreaterThan(40);
    expect(result.checked).toBeGreaterThan(result.pages * 5);
  });

  it('every internal href, src, stylesheet url() and sitemap entry resolves to a file of the output', () => {
    expect(result.broken).toEqual([]);
  });

  it('nothing points outside the base', () => {
    expect(result.outsideBase).toEqual([]);
  });

  it('no page loads anything from another origin', () => {
    expect(result.thirdPartyLoads).toEqual([]);
  });
});

describe('the crawler itself', () => {
  it('finds a broken link, a link outside the base and a third-party script', () => {
    const outDir = testdir({
      'index.html':
        '<a href="guide/">ok</a><a href="missing/">broken</a><a href="/elsewhere/">outside</a><script src="https://cdn.example.com/x.js"></script><link rel="stylesheet" href="_astro/a.css"><a href="https://example.org/">external link is fine</a>',
      'guide/index.html': '<img srcset="../_astro/a.png 1x, ../_astro/b.png 2x">',
      '_astro/a.css': 'body { background: url("/kb/_astro/gone.png") }',
      '_astro/a.png': '',
    });
    const result = crawl({ outDir, base: '/kb/', root: outDir });
    expect([...result.broken].sort()).toEqual([
      '_astro/a.css: css url() "/kb/_astro/gone.png" → /kb/_astro/gone.png',
      'guide/index.html: img[srcset] "../_astro/b.png" → /kb/_astro/b.png',
      'index.html: a[href] "missing/" → /kb/missing/',
    ]);
    expect(result.outsideBase).toEqual(['index.html: a[href] "/elsewhere/"']);
    expect(result.thirdPartyLoads).toEqual(['index.html: script[src] "https://cdn.example.com/x.js"']);
  });
});

/** A free TCP port on 127.0.0.1. */
async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        done(port);
      });
    });
  });
}

describe('npm run preview', () => {
  let stop: () => void = () => undefined;
  let origin = '';
  let output = '';

  beforeAll(async () => {
    const port = await freePort();
    // Vitest's own variables must not leak into Astro's Vite.
    const inherited = Object.entries(process.env).filter(([key]) => !/^(?:VITEST|VITEST_.*|TEST)$/.test(key));
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(inherited),
      HINDSIGHT_OUT_DIR: sub.outDir,
      HINDSIGHT_BASE: sub.base,
      ASTRO_TELEMETRY_DISABLED: '1',
    };
    const child = spawn('npm', ['run', 'preview', '--', '--port', String(port), '--host', '127.0.0.1'], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    stop = () => {
      // npm starts astro as a child: stop the whole process group.
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    };
    origin = `http://127.0.0.1:${String(port)}`;
    for (let attempt = 0; attempt < 120; attempt++) {
      if (child.exitCode !== null) throw new Error(`npm run preview exited early:\n${output}`);
      try {
        await fetch(`${origin}${sub.base}`);
        return;
      } catch {
        await new Promise((done) => setTimeout(done, 500));
      }
    }
    throw new Error(`npm run preview did not answer within 60 s:\n${output}`);
  });
  afterAll(() => {
    stop();
  });

  it('serves the build under its base', async () => {
    const home = await fetch(`${origin}${sub.base}`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain(`href="${sub.base}`);
    const page = await fetch(`${origin}${sub.base}postmortems/`);
    expect(page.status).toBe(200);
    const css = readdirSync(join(sub.outDir, '_astro')).find((f) => f.endsWith('.css'));
    expect(css).toBeDefined();
    expect((await fetch(`${origin}${sub.base}_astro/${css ?? ''}`)).status).toBe(200);
  });

  it('does not serve the site outside its base', async () => {
    const outside = await fetch(`${origin}/postmortems/`, { redirect: 'manual' });
    expect(outside.status).toBe(404);
  });
});

describe('Netlify recipe (scripts/deploy/netlify.toml)', () => {
  const config = parseToml(readFileSync(join(REPO_ROOT, 'scripts', 'deploy', 'netlify.toml'), 'utf8')) as {
    build: { command: string; publish: string; environment: Record<string, string> };
    headers: { for: string; values: Record<string, string> }[];
  };

  it('builds with the validating build script into dist/, for the root', () => {
    expect(config.build.command).toContain('npm run build');
    expect(config.build.publish).toBe('dist');
    expect(config.build.environment['HINDSIGHT_BASE']).toBe('/');
    expect(config.build.environment['NODE_VERSION']).toBe('24');
  });

  it('sends every header the site asks hosts for (HOST_HEADERS), on every path', () => {
    const all = config.headers.find((h) => h.for === '/*');
    expect(all?.values).toEqual(HOST_HEADERS);
  });

  it('caches for long only the content-hashed bundles, which the build really puts in _astro/', () => {
    const long = config.headers.filter((h) => (h.values['Cache-Control'] ?? '').includes('max-age=31536000'));
    expect(long.map((h) => h.for)).toEqual(['/_astro/*']);
    // The bundles are hashed: a name like Base.DTaES8dj.css changes whenever its content does.
    const bundles = readdirSync(join(root.outDir, '_astro')).filter((f) => /\.(?:js|css)$/.test(f));
    expect(bundles.length).toBeGreaterThan(0);
    for (const name of bundles) expect(name).toMatch(/\.[A-Za-z0-9_-]{8}\.(?:js|css)$/);
  });
});

describe('S3 recipe (scripts/deploy/s3-sync.sh)', () => {
  const script = join(REPO_ROOT, 'scripts', 'deploy', 's3-sync.sh');

  /** Run the script with a stand-in `aws` that records its arguments, one call per line. */
  function run(args: readonly string[]) {
    const dir = testdir({});
    const log = join(dir, 'calls.log');
    const fake = join(dir, 'aws');
    writeFileSync(fake, `#!/bin/sh\nfor a in "$@"; do printf '%s|' "$a" >> "${log}"; done\necho >> "${log}"\n`);
    chmodSync(fake, 0o755);
    const result = spawnSync('sh', [script, ...args], { env: { ...process.env, AWS: fake }, encoding: 'utf8' });
    const calls = existsSync(log)
      ? readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((line) => line.replace(/\|$/, '').split('|'))
      : [];
    return { code: result.status, stderr: result.stderr, calls };
  }

  it('uploads hashed bundles, other files, the index, pages, then deletes, with the right Cache-Control', () => {
    const { code, calls } = run(['kb-bucket', root.outDir, 'E123']);
    expect(code).toBe(0);
    const summary = calls.map((c) => {
      const at = c.indexOf('--cache-control');
      const cache = at === -1 ? '' : (c[at + 1] ?? '');
      return [c.slice(0, 4).join(' ').replace(root.outDir, 'dist'), cache, c.includes('--delete') ? 'delete' : ''];
    });
    expect(summary).toEqual([
      ['s3 sync dist/_astro s3://kb-bucket/_astro', 'public, max-age=31536000, immutable', ''],
      ['s3 sync dist s3://kb-bucket', 'public, max-age=300', ''],
      ['s3 sync dist/pagefind s3://kb-bucket/pagefind', 'public, max-age=0, must-revalidate', ''],
      ['s3 sync dist s3://kb-bucket', 'public, max-age=0, must-revalidate', ''],
      ['s3 sync dist s3://kb-bucket', 'public, max-age=300', 'delete'],
      ['cloudfront create-invalidation --distribution-id E123', '', ''],
    ]);
    // The short-lived pass leaves out exactly what the other passes cover.
    expect(calls[1]).toEqual(expect.arrayContaining(['--exclude', '_astro/*', 'pagefind/*', '*.html']));
    expect(calls[3]).toEqual(expect.arrayContaining(['--exclude', '*', '--include', '*.html']));
    expect(existsSync(join(root.outDir, 'pagefind'))).toBe(true);
  });

  it('refuses to run without a bucket or a build', () => {
    expect(run([]).code).toBe(2);
    const empty = testdir({ 'nothing.txt': '' });
    const noBuild = run(['kb-bucket', empty]);
    expect(noBuild.code).toBe(2);
    expect(noBuild.stderr).toContain('build the site first');
    expect(noBuild.calls).toEqual([]);
    expect(statSync(empty).isDirectory()).toBe(true);
  });
});
