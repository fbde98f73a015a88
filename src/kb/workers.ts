/**
 * Parse many document files: first from the content-hash cache (`./cache.ts`), then the rest
 * with the pure `parseAndCheckFile` (parse, then what the rules can work out from the file alone,
 * so the cache keeps that too), spread over worker threads when there are enough of them to pay
 * for starting the threads.
 *
 * Results are identical whichever path produced them (the same function runs everywhere) and
 * come back in input order. Workers are a speed-up only: if one cannot start or fails, its
 * files are parsed on the main thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createSchemas, type Schemas, type Taxonomy } from '../schema/index.ts';
import { defaultCacheFile, openParseCache, type ParseCache } from './cache.ts';
import { parseAndCheckFile, type ParsedFile } from './load.ts';

/** A file to parse: root-relative POSIX path and its bytes. */
export interface FileInput {
  relPath: string;
  bytes: Uint8Array;
  /** SHA-1 of `bytes` (hex), when the reader already took it (`./read.ts`). */
  sha1?: string;
}

export interface ParseOptions {
  /** Knowledge-base root, to find its cache file. */
  root: string;
  /**
   * `false` disables the cache; a string is the cache file; a cache already opened (by the
   * loader, while its reader thread read the files) is used as is. Default: the default cache
   * file, unless the environment sets `HINDSIGHT_PARSE_CACHE=0` (for benchmarks and debugging).
   */
  cache?: boolean | string | ParseCache;
  /**
   * Worker threads. `'auto'` (default): one fewer than the available cores (the main thread
   * parses too), and none when fewer than `MIN_FILES_FOR_WORKERS` files need parsing.
   * A number forces that many (0 = main thread only). The environment can set the default with
   * `HINDSIGHT_PARSE_THREADS` (a number or `auto`).
   */
  threads?: number | 'auto';
  /** Called as files are done, for progress output. */
  onProgress?: (done: number, total: number) => void;
}

/** Below this many files to parse, starting threads costs more than it saves. */
export const MIN_FILES_FOR_WORKERS = 600;

/** Files per message to a worker: big enough to amortise messaging, small enough to balance. */
const BATCH_SIZE = 50;

/**
 * Batches a worker holds at once: while it parses one, the next is already waiting, so it never
 * idles while the main thread is busy parsing a batch of its own.
 */
const IN_FLIGHT = 2;

const WORKER_URL = new URL('./parse-worker.ts', import.meta.url);

export interface ParseReport {
  results: ParsedFile[];
  /** Files answered from the cache. */
  cached: number;
  /** Files parsed in this run. */
  parsed: number;
  /** Worker threads used (0 = main thread only). */
  threads: number;
  /** The cache file, when caching was on. */
  cacheFile?: string;
}

/** The defaults the environment may set (see `ParseOptions`). */
function fromEnvironment(env: NodeJS.ProcessEnv = process.env): Pick<ParseOptions, 'cache' | 'threads'> {
  const threads = env['HINDSIGHT_PARSE_THREADS'];
  return {
    ...(env['HINDSIGHT_PARSE_CACHE'] === '0' ? { cache: false } : {}),
    ...(threads !== undefined && /^\d+$/.test(threads) ? { threads: Number(threads) } : {}),
  };
}

/** `options` over the environment's defaults: what `parseFiles` will do. */
export function parseSettings(
  options: Pick<ParseOptions, 'cache' | 'threads'>,
): Pick<ParseOptions, 'cache' | 'threads'> {
  return {
    ...fromEnvironment(),
    ...(options.cache !== undefined ? { cache: options.cache } : {}),
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
  };
}

/** The cache file `ParseOptions.cache` points at, or undefined when caching is off. */
export function cacheFileFor(root: string, cache: ParseOptions['cache']): string | undefined {
  if (cache === false) return undefined;
  if (typeof cache === 'object') return cache.file;
  return typeof cache === 'string' ? cache : defaultCacheFile(root);
}

/**
 * Open the parse cache the settings ask for (`ParseOptions.cache`), or undefined when caching is
 * off or unavailable.
 */
export function openCache(
  root: string,
  taxonomy: Taxonomy | undefined,
  cache: ParseOptions['cache'],
): ParseCache | undefined {
  if (cache === false) return undefined;
  if (typeof cache === 'object') return cache;
  return openParseCache(root, taxonomy, typeof cache === 'string' ? { file: cache } : {});
}

function threadCount(option: ParseOptions['threads'], misses: number): number {
  if (typeof option === 'number') return Math.max(0, Math.floor(option));
  if (misses < MIN_FILES_FOR_WORKERS) return 0;
  return Math.min(Math.max(availableParallelism() - 1, 0), 7, Math.floor(misses / BATCH_SIZE));
}

/** Whether the worker entry exists as a file (it does not inside a bundle). */
function workersAvailable(): boolean {
  try {
    return WORKER_URL.protocol === 'file:' && existsSync(fileURLToPath(WORKER_URL));
  } catch {
    return false;
  }
}

/**
 * Parse `files` against the schemas built from `taxonomy` (undefined when the taxonomy is
 * invalid: frontmatter is then only checked for syntax). Never throws for bad content.
 */
export async function parseFiles(
  files: readonly FileInput[],
  taxonomy: Taxonomy | undefined,
  given: ParseOptions,
): Promise<ParseReport> {
  const options = { ...fromEnvironment(), ...given };
  const results = new Array<ParsedFile>(files.length);
  const cache = openCache(options.root, taxonomy, options.cache);
  const pending: number[] = [];
  files.forEach((file, index) => {
    const hit = cache?.get(file.relPath, file.bytes, file.sha1);
    if (hit) results[index] = hit;
    else pending.push(index);
  });
  let done = files.length - pending.length;
  options.onProgress?.(done, files.length);

  let schemas: Schemas | undefined | null = null;
  const parseHere = (index: number): void => {
    if (schemas === null) schemas = taxonomy ? createSchemas(taxonomy) : undefined;
    const file = files[index] as FileInput;
    results[index] = parseAndCheckFile(file.relPath, file.bytes, schemas, taxonomy);
  };

  const threads = workersAvailable() ? threadCount(options.threads ?? 'auto', pending.length) : 0;
  if (threads === 0) {
    for (const index of pending) {
      parseHere(index);
      done += 1;
      if (done % 500 === 0) options.onProgress?.(done, files.length);
    }
  } else {
    const batches: number[][] = [];
    for (let i = 0; i < pending.length; i += BATCH_SIZE) batches.push(pending.slice(i, i + BATCH_SIZE));
    const finishBatch = (batch: number[]): void => {
      done += batch.length;
      options.onProgress?.(done, files.length);
    };
    await runPool(threads, taxonomy, batches, files, results, parseHere, finishBatch);
  }
  options.onProgress?.(files.length, files.length);

  if (cache) {
    for (const index of pending) {
      const file = files[index] as FileInput;
      cache.set(file.relPath, file.bytes, results[index] as ParsedFile, file.sha1);
    }
    cache.save();
  }
  return {
    results,
    cached: files.length - pending.length,
    parsed: pending.length,
    threads,
    ...(cache ? { cacheFile: cache.file } : {}),
  };
}

/**
 * The file with bytes that fill their own buffer: a view into a larger one (a reader thread's
 * batch, Node's buffer pool) would send the whole buffer to the worker.
 */
function ownBytes(file: FileInput): FileInput {
  const { bytes } = file;
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? file
    : { ...file, bytes: new Uint8Array(bytes) };
}

/**
 * Hand batches to `threads` workers while the main thread takes batches too (between its turns
 * the event loop delivers worker results). A worker that fails to start or errors gives its
 * batch back to the main thread.
 */
async function runPool(
  threads: number,
  taxonomy: Taxonomy | undefined,
  batches: number[][],
  files: readonly FileInput[],
  results: ParsedFile[],
  parseHere: (index: number) => void,
  finishBatch: (batch: number[]) => void,
): Promise<void> {
  let next = 0;
  const take = (): number[] | undefined => (next < batches.length ? batches[next++] : undefined);
  const local = (batch: number[]): void => {
    for (const index of batch) parseHere(index);
    finishBatch(batch);
  };

  const runWorker = (): Promise<void> =>
    new Promise((resolve) => {
      let worker: Worker;
      try {
        worker = new Worker(WORKER_URL, { workerData: { taxonomy } });
      } catch {
        resolve();
        return;
      }
      // Batches sent and not answered yet, oldest first (a worker answers in order).
      const inFlight: { id: number; batch: number[] }[] = [];
      let id = 0;
      const fill = (): void => {
        while (inFlight.length < IN_FLIGHT) {
          const batch = take();
          if (!batch) break;
          id += 1;
          inFlight.push({ id, batch });
          worker.postMessage({ id, files: batch.map((index) => ownBytes(files[index] as FileInput)) });
        }
        if (inFlight.length === 0) void worker.terminate();
      };
      const fail = (): void => {
        // Parse what the worker was holding here, then let the other loops finish the rest.
        for (const { batch } of inFlight.splice(0)) local(batch);
        void worker.terminate();
        resolve();
      };
      worker.on('message', (message: { id: number; results?: ParsedFile[]; error?: string }) => {
        const oldest = inFlight[0];
        if (oldest?.id !== message.id || !message.results) {
          fail();
          return;
        }
        inFlight.shift();
        message.results.forEach((result, i) => {
          results[oldest.batch[i] as number] = result;
        });
        finishBatch(oldest.batch);
        fill();
      });
      worker.on('error', fail);
      worker.on('exit', () => {
        if (inFlight.length > 0) fail();
        else resolve();
      });
      fill();
    });

  const mainThread = async (): Promise<void> => {
    for (let batch = take(); batch; batch = take()) {
      local(batch);
      // Let worker messages in between batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };

  await Promise.all([...Array.from({ length: threads }, runWorker), mainThread()]);
}
