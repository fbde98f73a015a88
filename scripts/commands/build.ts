/**
 * `hindsight build [--root DIR] [--out DIR]`: the production build, in two processes so the
 * whole build never holds the site and the search index in memory at once.
 *
 * 1. `astro build` in a child process: the validation gate, the pages, the sitemap. Its V8 heap
 *    is sized to the knowledge base (`heapLimitMb`), so a 10,000-document build collects its
 *    garbage instead of growing towards V8's default limit; `HINDSIGHT_BUILD_HEAP_MB` or a
 *    `--max-old-space-size` in `NODE_OPTIONS` overrides it. Should the heap still prove too
 *    small, the build is run once more without the limit, and says so.
 * 2. Once Astro has exited and returned its memory, the search index (`indexPublishedSite`, Pagefind)
 *    over the pages it wrote, with the same checks as the in-process indexer.
 *
 * `astro build` on its own still works and indexes in-process (`src/search/integration.ts`);
 * this command is what `npm run build` and `npm start` run.
 * Exit codes: 0 built, 1 the knowledge base or the site failed to build, 2 usage, 3 internal.
 */
import { spawn } from 'node:child_process';
import { lstatSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineCommand } from 'citty';
import { SearchIndexError } from '../../src/search/indexer.ts';
import { DEFER_INDEX_ENV, indexPublishedSite } from '../../src/search/integration.ts';
import { publishedDocumentPages } from '../../src/search/published.ts';
import { GATES_PASSED_MESSAGE } from '../../src/site/integration.ts';
import {
  checkArgs,
  rejectPositionals,
  EXIT,
  resolveRoot,
  rootArg,
  runSafely,
  UsageError,
  type ExitCode,
} from '../lib/cli.ts';

/** The Hindsight package: the Astro project that renders any knowledge base. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ASTRO_BIN = join(PACKAGE_ROOT, 'node_modules/astro/bin/astro.mjs');

const args = {
  root: { ...rootArg.root, description: 'Folder holding content/ (default: HINDSIGHT_ROOT, else the current folder)' },
  out: {
    type: 'string',
    description: 'Folder to write the site to (default: HINDSIGHT_OUT_DIR, else dist/ of the Hindsight package)',
    valueHint: 'DIR',
  },
} as const;

/** Markdown documents under `content/` and their total size, without reading them. */
export function measureContent(root: string): { documents: number; bytes: number } {
  let documents = 0;
  let bytes = 0;
  let entries: string[];
  try {
    entries = readdirSync(join(root, 'content'), { recursive: true, encoding: 'utf8' });
  } catch {
    return { documents, bytes };
  }
  for (const name of entries) {
    if (!name.endsWith('.md')) continue;
    try {
      const stat = statSync(join(root, 'content', name));
      if (!stat.isFile()) continue;
      documents += 1;
      bytes += stat.size;
    } catch {
      // Vanished or unreadable: validation reports it.
    }
  }
  return { documents, bytes };
}

/**
 * The V8 heap limit for `astro build`, in MB: a base for Astro and Vite plus a share per document
 * and per MB of Markdown (Astro keeps every rendered document in its content store). Measured on
 * 10,000 postmortems (46 MB): the build needs less than 1.6 GB of heap, and the process's resident
 * memory stays about 0.9 GB above its heap; without a limit V8 let it grow to 3.2 GB.
 */
export function heapLimitMb(content: { documents: number; bytes: number }): number {
  const mb = 768 + content.documents * 0.05 + (content.bytes / 1024 ** 2) * 6;
  return Math.ceil(mb / 64) * 64;
}

/** The heap limit to pass, or undefined when the user set one (environment or NODE_OPTIONS). */
function chosenHeapLimit(root: string, env: NodeJS.ProcessEnv): { mb: number; why: string } | undefined {
  const explicit = env['HINDSIGHT_BUILD_HEAP_MB'];
  if (explicit !== undefined && explicit !== '') {
    if (!/^\d+$/.test(explicit) || Number(explicit) < 64)
      throw new UsageError(
        `HINDSIGHT_BUILD_HEAP_MB must be a number of megabytes, at least 64 (e.g. 4096); found "${explicit}"`,
      );
    return { mb: Number(explicit), why: 'HINDSIGHT_BUILD_HEAP_MB' };
  }
  if ((env['NODE_OPTIONS'] ?? '').includes('--max-old-space-size')) return undefined;
  const content = measureContent(root);
  return { mb: heapLimitMb(content), why: `${content.documents} documents` };
}

interface ChildOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of its standard error, to recognise running out of heap. */
  stderrTail: string;
}

/**
 * Run `astro build`, its output passed through as it comes. `onGatesPassed` is called once the
 * site's validation and dead-link gates have passed (a message from `src/site/integration.ts`).
 */
function runAstroBuild(
  env: NodeJS.ProcessEnv,
  heapMb: number | undefined,
  onGatesPassed: () => void,
): Promise<ChildOutcome> {
  const execArgs = heapMb === undefined ? [] : [`--max-old-space-size=${heapMb}`];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...execArgs, ASTRO_BIN, 'build', '--root', PACKAGE_ROOT], {
      cwd: PACKAGE_ROOT,
      env,
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    child.on('message', (message: unknown) => {
      if (typeof message === 'object' && message !== null && 'type' in message && message.type === GATES_PASSED_MESSAGE)
        onGatesPassed();
    });
    let tail = '';
    // Piped above; typed as possibly null only because the stdio list has an IPC entry.
    child.stderr?.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-16_384);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolvePromise({ code, signal, stderrTail: tail });
    });
  });
}

function outOfHeap(outcome: ChildOutcome): boolean {
  return /heap out of memory|Reached heap limit|Allocation failed/i.test(outcome.stderrTail);
}

/** a is b or inside b. */
function within(a: string, b: string): boolean {
  const rel = relative(b, a);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Why writing the site into `outDir` could destroy something (Astro replaces what is there), or
 * undefined when it is safe: never the knowledge base, its content, the Hindsight package or a
 * folder holding any of them.
 */
export function unsafeOutDir(outDir: string, root: string): string | undefined {
  const content = join(root, 'content');
  if (within(outDir, content)) return 'it is inside content/, and the build would overwrite documents';
  if (within(root, outDir)) return 'it holds the knowledge base, which the build would overwrite';
  if (within(PACKAGE_ROOT, outDir)) return 'it holds the Hindsight package, which the build would overwrite';
  if (within(outDir, join(PACKAGE_ROOT, 'src')) || within(outDir, join(PACKAGE_ROOT, 'public')))
    return "it is inside Hindsight's own sources";
  return undefined;
}

/** Name prefix of the hidden siblings `setAsidePreviousSite` moves intact previous builds to. */
export function previousSitePrefix(outDir: string): string {
  return `.${basename(outDir)}.hindsight-old-`;
}

/** Name prefix of the siblings being deleted (never put back: their deletion may be half done). */
function discardedSitePrefix(outDir: string): string {
  return `.${basename(outDir)}.hindsight-discarded-`;
}

export interface PreviousSite {
  /** Where the previous site is while the build runs. */
  readonly dir: string;
  /**
   * Put the previous site back in `outDir`, replacing what the failed build wrote. Returns false
   * when it was already being deleted (the build had passed its gates) and there is nothing to
   * put back.
   */
  restore(): boolean;
  /** Delete the previous site (once the new one has passed the gates). Never fails; once only. */
  discard(): Promise<void>;
}

/**
 * Move the site a previous build left in `outDir` to a hidden sibling (a rename: instant), so that
 * Astro starts on an empty folder instead of deleting the old site file by file on its main thread
 * (3.5 s at 10,000 documents). The command puts it back if the build fails before its gates
 * (validation, dead links) have passed, and deletes it once they have, while Astro renders.
 *
 * A build that was killed leaves its sibling behind: if `outDir` is then missing or empty, the
 * newest such sibling is put back first (it is the site that was there), and the others deleted.
 * A sibling is renamed to a "discarded" name before it is deleted, so a half-deleted site is never
 * put back. Only a real folder is moved, never a symbolic link; when it cannot be moved, Astro
 * empties it as before and this returns undefined.
 */
export function setAsidePreviousSite(outDir: string): PreviousSite | undefined {
  const parent = dirname(outDir);
  const remove = (dir: string) => rm(dir, { recursive: true, force: true }).catch(() => undefined);
  const discard = (dir: string): Promise<void> => {
    const doomed = join(parent, `${discardedSitePrefix(outDir)}${uniqueSuffix()}`);
    try {
      renameSync(dir, doomed);
    } catch {
      return Promise.resolve(); // gone already
    }
    return remove(doomed);
  };
  const isNonEmptyFolder = (dir: string): boolean => {
    try {
      return lstatSync(dir).isDirectory() && readdirSync(dir).length > 0;
    } catch {
      return false;
    }
  };
  try {
    const siblings = readdirSync(parent);
    for (const name of siblings) if (name.startsWith(discardedSitePrefix(outDir))) void remove(join(parent, name));
    const left = siblings
      .filter((name) => name.startsWith(previousSitePrefix(outDir)))
      .map((name) => join(parent, name))
      .sort((a, b) => lstatSync(b).mtimeMs - lstatSync(a).mtimeMs);
    if (left[0] && !isNonEmptyFolder(outDir) && !existsAsLink(outDir)) {
      rmSync(outDir, { recursive: true, force: true }); // empty, or missing
      renameSync(left[0], outDir);
      left.shift();
    }
    for (const dir of left) void discard(dir);
  } catch {
    // The parent cannot be listed or a leftover cannot be moved: leave them be.
  }
  if (!isNonEmptyFolder(outDir)) return undefined; // nothing to set aside (or a symbolic link)
  const aside = join(parent, `${previousSitePrefix(outDir)}${uniqueSuffix()}`);
  try {
    renameSync(outDir, aside);
  } catch {
    return undefined; // it cannot be moved: Astro empties it itself
  }
  let discarding: Promise<void> | undefined;
  return {
    dir: aside,
    restore() {
      if (discarding) return false;
      rmSync(outDir, { recursive: true, force: true });
      renameSync(aside, outDir);
      return true;
    },
    discard: () => (discarding ??= discard(aside)),
  };
}

/** True when `path` is a symbolic link (which is never moved or replaced). */
function existsAsLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Unique among this machine's builds: the process id, the time and a random part. */
function uniqueSuffix(): string {
  return `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** After a failed build: put the previous site back, and say what `outDir` now holds. */
function afterFailedBuild(previous: PreviousSite | undefined, outDir: string, why: string): void {
  let back: boolean;
  try {
    back = previous?.restore() ?? false;
  } catch (error) {
    process.stderr.write(
      `hindsight build: could not put the earlier site back in ${shown(outDir)} (${error instanceof Error ? error.message : String(error)}); it is in ${shown(previous?.dir ?? '')}, and the next build puts it back if ${shown(outDir)} is empty\n`,
    );
    return;
  }
  if (back || !previous) {
    process.stderr.write(
      `hindsight build: the site was not built (${why}); nothing new was published${back ? `, and the earlier site is back in ${shown(outDir)}` : ''}\n`,
    );
  } else {
    process.stderr.write(
      `hindsight build: the site was not built (${why}) after its checks had passed and the earlier site was deleted; ${shown(outDir)} holds an incomplete build: do not publish it\n`,
    );
  }
}

function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === '' ? '.' : rel.startsWith('..') ? file : rel;
}

export default defineCommand({
  meta: {
    name: 'build',
    description:
      'Validate and build the static site, then its search index (after Astro exits, so the two never share memory). Exit 0 built, 1 build failed, 2 usage.',
  },
  args,
  async run({ args: parsed, rawArgs }) {
    await runSafely('build', async (): Promise<ExitCode> => {
      checkArgs(rawArgs, args);
      rejectPositionals(parsed._, 'build');
      if (parsed.out === '') throw new UsageError('--out needs a folder, e.g. --out dist');
      // Like the site's own configuration (`src/kb/root.ts`), HINDSIGHT_ROOT names the knowledge base.
      const root = resolveRoot({ root: parsed.root ?? process.env['HINDSIGHT_ROOT'] });
      const outDir = resolve(parsed.out ?? process.env['HINDSIGHT_OUT_DIR'] ?? join(PACKAGE_ROOT, 'dist'));
      const unsafe = unsafeOutDir(outDir, root);
      if (unsafe)
        throw new UsageError(
          `refusing to build into ${shown(outDir)}: ${unsafe}; choose an empty folder such as dist/`,
        );
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        HINDSIGHT_ROOT: root,
        HINDSIGHT_OUT_DIR: outDir,
        [DEFER_INDEX_ENV]: 'defer',
      };
      const started = performance.now();
      const heap = chosenHeapLimit(root, process.env);
      // Which pages the index must hold, read from the frontmatter while Astro starts (a light
      // scan, about 2 s at 10,000 documents, that would otherwise wait for Astro to finish).
      const published = publishedDocumentPages(root);
      published.catch(() => undefined); // awaited, and its error reported, once Astro is done
      const previous = setAsidePreviousSite(outDir);
      if (previous)
        process.stderr.write(
          `hindsight build: the earlier site in ${shown(outDir)} is set aside until this build passes its checks\n`,
        );
      if (heap) process.stderr.write(`hindsight build: astro build with a ${heap.mb} MB heap (${heap.why})\n`);
      // Once the gates have passed, the earlier site goes while Astro renders (on the other core).
      const gatesPassed = () => {
        if (!previous) return;
        process.stderr.write('hindsight build: checks passed; deleting the earlier site\n');
        void previous.discard();
      };
      let outcome: ChildOutcome;
      try {
        outcome = await runAstroBuild(env, heap?.mb, gatesPassed);
        if (outcome.code !== 0 && heap && outOfHeap(outcome)) {
          process.stderr.write(
            `hindsight build: astro build ran out of its ${heap.mb} MB heap; building again without a limit (set HINDSIGHT_BUILD_HEAP_MB to choose one)\n`,
          );
          outcome = await runAstroBuild(env, undefined, gatesPassed);
        }
      } catch (error) {
        afterFailedBuild(
          previous,
          outDir,
          `astro build could not run: ${error instanceof Error ? error.message : String(error)}`,
        );
        return EXIT.internal;
      }
      if (outcome.code !== 0) {
        afterFailedBuild(
          previous,
          outDir,
          `astro build ${outcome.signal ? `was killed by ${outcome.signal}` : `exited with ${outcome.code}`}`,
        );
        return EXIT.problems;
      }

      const discarding = previous?.discard(); // under way already, unless no gate said so
      try {
        // Pagefind reports nothing until it is done (half a minute at 10,000 documents): say what runs.
        let heartbeat: NodeJS.Timeout | undefined;
        const summary = await indexPublishedSite(root, outDir, {
          published,
          onStart: (pages) => {
            process.stderr.write(`hindsight build: indexing ${pages} document pages for search (Pagefind)…\n`);
            const ticking = Date.now();
            heartbeat = setInterval(() => {
              process.stderr.write(
                `hindsight build: still indexing (${Math.round((Date.now() - ticking) / 1000)} s)\n`,
              );
            }, 15_000);
          },
        }).finally(() => {
          clearInterval(heartbeat);
        });
        process.stderr.write(`hindsight build: ${summary}\n`);
      } catch (error) {
        if (!(error instanceof SearchIndexError)) throw error;
        process.stderr.write(`hindsight build: the search index could not be built: ${error.message}\n`);
        return EXIT.problems;
      }
      await discarding;
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stderr.write(`hindsight build: site and search index in ${shown(outDir)} (${seconds} s)\n`);
      return EXIT.ok;
    });
  },
});
