/**
 * `hindsight build` (what `npm run build` and `npm start` run): Astro in a child process with a
 * heap sized to the knowledge base, then the search index once Astro has exited. The site and
 * the index must come out as `astro build` makes them, and a knowledge base that fails
 * validation must publish nothing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  heapLimitMb,
  measureContent,
  previousSitePrefix,
  setAsidePreviousSite,
  unsafeOutDir,
} from '../../scripts/commands/build.ts';
import { publishedDocumentPages } from '../../src/search/published.ts';
import { freshOutDir, runBuild, type BuildRun } from './harness.ts';

const SITE_KB = resolve('tests/fixtures/site-kb');
const BROKEN_KB = resolve('tests/fixtures/broken-kb');
const runs: BuildRun[] = [];

/** An output folder holding what an earlier build left: a page, and a file in a subfolder. */
async function previousSite(): Promise<string> {
  const outDir = await freshOutDir();
  await writeFile(join(outDir, 'earlier.html'), '<!doctype html><title>Earlier build</title>');
  await mkdir(join(outDir, 'pagefind'));
  await writeFile(join(outDir, 'pagefind', 'pagefind-entry.json'), '{"earlier":true}');
  return outDir;
}

/** Run `body` with a new temporary folder to hold output folders and their siblings. */
async function inTempParent(body: (parent: string) => Promise<void>): Promise<void> {
  const parent = await mkdtemp(join(tmpdir(), 'hindsight-aside-'));
  try {
    await body(parent);
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
}

/** The hidden siblings a build moves an earlier site to; none may outlive the build. */
function setAside(outDir: string): string[] {
  return readdirSync(dirname(outDir)).filter((name) => name.startsWith(previousSitePrefix(outDir)));
}

afterAll(async () => {
  for (const run of runs) await rm(run.outDir, { recursive: true, force: true });
});

describe('hindsight build', () => {
  it('builds the pages, then indexes every published document for search after Astro exits', async () => {
    const run = await runBuild({ root: SITE_KB, command: 'hindsight', outDir: await previousSite() });
    runs.push(run);
    expect(run.output).toMatch(/hindsight build: astro build with a \d+ MB heap \(\d+ documents\)/);
    expect(run.ok, run.output.slice(-4000)).toBe(true);
    // Astro left the index to the command, and the command wrote it.
    expect(run.output).toContain('search index: built once Astro has exited (hindsight build)');
    const expected = await publishedDocumentPages(SITE_KB);
    expect(run.output).toContain(`indexing ${expected.length} document pages for search (Pagefind)…`);
    expect(run.output).toContain(`indexed ${expected.length} document pages`);
    const entry = JSON.parse(readFileSync(join(run.outDir, 'pagefind', 'pagefind-entry.json'), 'utf8')) as {
      languages: Record<string, { page_count: number }>;
    };
    const pages = Object.values(entry.languages).reduce((sum, language) => sum + language.page_count, 0);
    expect(pages).toBe(expected.length);
    for (const page of expected) expect(existsSync(join(run.outDir, page)), page).toBe(true);
    // The earlier build was set aside, and deleted once Astro said every gate had passed (over
    // IPC), before the index was built; it is gone from the folder and from where it was put.
    expect(run.output).toContain('is set aside until this build passes its checks');
    const deleting = run.output.indexOf('checks passed; deleting the earlier site');
    expect(deleting).toBeGreaterThan(-1);
    expect(deleting).toBeLessThan(run.output.indexOf('indexing '));
    expect(existsSync(join(run.outDir, 'earlier.html'))).toBe(false);
    expect(setAside(run.outDir)).toEqual([]);
  });

  it('keeps the previous site in place when validation fails', async () => {
    const outDir = await previousSite();
    const run = await runBuild({ root: BROKEN_KB, command: 'hindsight', outDir });
    runs.push(run);
    expect(run.exitCode).toBe(1);
    expect(run.output).toContain('is set aside until this build passes its checks');
    expect(run.output).not.toContain('deleting the earlier site');
    expect(run.output).toContain('nothing new was published, and the earlier site is back in');
    expect(readFileSync(join(outDir, 'earlier.html'), 'utf8')).toContain('Earlier build');
    expect(readFileSync(join(outDir, 'pagefind', 'pagefind-entry.json'), 'utf8')).toBe('{"earlier":true}');
    expect(setAside(outDir), basename(outDir)).toEqual([]);
  });

  it('publishes nothing when validation fails, and says why', async () => {
    const run = await runBuild({ root: BROKEN_KB, command: 'hindsight' });
    runs.push(run);
    expect(run.exitCode).toBe(1);
    expect(run.output).toContain('unresolved-reference');
    expect(run.output).toContain('nothing new was published');
    expect(existsSync(join(run.outDir, 'pagefind'))).toBe(false);
    expect(readdirSync(run.outDir).filter((name) => name.endsWith('.html'))).toEqual([]);
  });

  it('builds again without a limit when the heap it chose proves too small', async () => {
    const run = await runBuild({ root: SITE_KB, command: 'hindsight', env: { HINDSIGHT_BUILD_HEAP_MB: '64' } });
    runs.push(run);
    expect(run.output).toContain('astro build with a 64 MB heap (HINDSIGHT_BUILD_HEAP_MB)');
    expect(run.output).toContain('ran out of its 64 MB heap; building again without a limit');
    expect(run.ok, run.output.slice(-4000)).toBe(true);
    expect(existsSync(join(run.outDir, 'pagefind', 'pagefind-entry.json'))).toBe(true);
  });
});

describe('the heap given to astro build', () => {
  it('grows with the knowledge base and is a whole number of 64 MB', () => {
    const small = heapLimitMb({ documents: 50, bytes: 500_000 });
    const large = heapLimitMb({ documents: 10_104, bytes: 46.3 * 1024 ** 2 });
    expect(small).toBeGreaterThanOrEqual(768);
    expect(large).toBeGreaterThan(small);
    // Measured: 10,000 postmortems build in 1.6 GB of heap; more would let the process pass 3 GB.
    expect(large).toBeLessThanOrEqual(1664);
    expect(large % 64).toBe(0);
  });

  it('counts the Markdown documents under content/', () => {
    const measured = measureContent(SITE_KB);
    expect(measured.documents).toBeGreaterThan(0);
    expect(measured.bytes).toBeGreaterThan(measured.documents * 100);
    expect(measureContent(resolve('no-such-folder'))).toEqual({ documents: 0, bytes: 0 });
  });
});

describe('where hindsight build may write', () => {
  it('never into the knowledge base, its content or the Hindsight package', () => {
    const root = resolve('tests/fixtures/site-kb');
    expect(unsafeOutDir(join(root, 'content'), root)).toMatch(/inside content/);
    expect(unsafeOutDir(join(root, 'content', 'postmortems'), root)).toMatch(/inside content/);
    expect(unsafeOutDir(root, root)).toMatch(/holds the knowledge base/);
    expect(unsafeOutDir(resolve('tests'), root)).toMatch(/holds the knowledge base/);
    expect(unsafeOutDir(resolve('.'), resolve('.'))).toMatch(/holds the knowledge base/);
    expect(unsafeOutDir(resolve('src/pages'), root)).toMatch(/Hindsight's own sources/);
    expect(unsafeOutDir(resolve('dist'), resolve('.'))).toBeUndefined();
    expect(unsafeOutDir(join(root, 'dist'), root)).toBeUndefined();
  });
});

describe('the site an earlier build left', () => {
  it('is moved aside at once, put back after a failed build, deleted after a good one', () =>
    inTempParent(async (parent) => {
      const outDir = join(parent, 'dist');
      await mkdir(join(outDir, 'postmortems'), { recursive: true });
      await writeFile(join(outDir, 'postmortems', 'index.html'), 'earlier');
      const failed = setAsidePreviousSite(outDir);
      expect(existsSync(outDir)).toBe(false);
      expect(setAside(outDir)).toHaveLength(1);
      await mkdir(outDir); // what a failed build may leave
      await writeFile(join(outDir, 'half.html'), 'half');
      expect(failed?.restore()).toBe(true);
      expect(readFileSync(join(outDir, 'postmortems', 'index.html'), 'utf8')).toBe('earlier');
      expect(existsSync(join(outDir, 'half.html'))).toBe(false);
      expect(setAside(outDir)).toEqual([]);

      const good = setAsidePreviousSite(outDir);
      await good?.discard();
      expect(good?.restore()).toBe(false); // too late once deleting has begun: nothing to put back
      expect(existsSync(outDir)).toBe(false);
      expect(setAside(outDir)).toEqual([]);
    }));

  it('stays where it is when it is a symbolic link or empty, and leftovers of a killed build go', () =>
    inTempParent(async (parent) => {
      const target = join(parent, 'real-site');
      await mkdir(target);
      await writeFile(join(target, 'index.html'), 'kept');
      const outDir = join(parent, 'dist');
      await symlink(target, outDir);
      await mkdir(join(parent, `${previousSitePrefix(outDir)}12345`)); // left by a killed build
      expect(setAsidePreviousSite(outDir)).toBeUndefined();
      expect(readFileSync(join(outDir, 'index.html'), 'utf8')).toBe('kept');
      await expect.poll(() => setAside(outDir)).toEqual([]);
      const empty = join(parent, 'empty');
      await mkdir(empty);
      expect(setAsidePreviousSite(empty)).toBeUndefined();
      expect(existsSync(empty)).toBe(true);
    }));

  it('puts back the site a killed build had set aside, when the folder it left is empty', () =>
    inTempParent(async (parent) => {
      const outDir = join(parent, 'dist');
      await mkdir(outDir);
      await writeFile(join(outDir, 'index.html'), 'before the killed build');
      expect(setAsidePreviousSite(outDir)).toBeDefined(); // ... and then the build was killed
      await mkdir(outDir); // Astro had only created the folder
      const next = setAsidePreviousSite(outDir);
      // The earlier site came back and was set aside again, so this build can still restore it.
      expect(next).toBeDefined();
      expect(setAside(outDir)).toHaveLength(1);
      expect(next?.restore()).toBe(true);
      expect(readFileSync(join(outDir, 'index.html'), 'utf8')).toBe('before the killed build');
      // A site being deleted is never put back, even into an empty folder.
      const doomed = setAsidePreviousSite(outDir);
      void doomed?.discard();
      await mkdir(outDir);
      setAsidePreviousSite(outDir);
      expect(readdirSync(outDir)).toEqual([]);
    }));
});
