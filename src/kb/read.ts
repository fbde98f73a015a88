/**
 * Reading content files: bounded in size, never through a link swapped in after the walk, never
 * blocked on a pipe; each file's SHA-1 taken as it is read (the parse cache's key).
 *
 * With many files, a reader thread (`./read-worker.ts`) reads them while the caller goes on: the
 * loader parses the cache file meanwhile, the two largest costs of a warm `hindsight validate`
 * (10,000 postmortems: about 150 ms each). This module imports nothing but Node, so the thread
 * starts in a few milliseconds. Results are identical either way, in input order; if the thread
 * cannot start or fails, the files it did not deliver are read here.
 */
import { hash } from 'node:crypto';
import { closeSync, constants, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Largest content file read, in bytes (1 MiB). A postmortem is a few kilobytes. */
export const MAX_FILE_BYTES = 1024 * 1024;

/** Open flags: never follow a link swapped in after the walk, never block on a pipe. */
const optional = constants as Partial<typeof constants>; // O_NOFOLLOW and O_NONBLOCK do not exist on Windows
const OPEN_FLAGS = constants.O_RDONLY | (optional.O_NOFOLLOW ?? 0) | (optional.O_NONBLOCK ?? 0);

/**
 * Read a whole file, but never more than `MAX_FILE_BYTES`: the size is checked on the open file
 * before anything is read. Synchronous on purpose: for thousands of small files, `readFileSync`
 * style reads cost about a seventh of the CPU time of `fs/promises` (measured: 130 ms against
 * 900 ms for 10,000 postmortems).
 *
 * @param allocate where the bytes go; the reader thread gives each file its own buffer, so it can
 *   hand them over without copying
 */
export function readBounded(
  absPath: string,
  allocate: (size: number) => Uint8Array = (size) => Buffer.allocUnsafe(size),
): { bytes: Uint8Array } | { tooLarge: number } {
  const fd = openSync(absPath, OPEN_FLAGS);
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREG' });
    if (info.size > MAX_FILE_BYTES) return { tooLarge: info.size };
    const buffer = allocate(info.size);
    let offset = 0;
    while (offset < info.size) {
      const read = readSync(fd, buffer, offset, info.size - offset, offset);
      if (read === 0) break;
      offset += read;
    }
    return { bytes: buffer.subarray(0, offset) };
  } finally {
    closeSync(fd);
  }
}

/** What reading one file gave: its bytes and their SHA-1 (hex), or why it was not read. */
export type ReadOutcome = { bytes: Uint8Array; sha1: string } | { tooLarge: number } | { errno: string };

/** SHA-1 of bytes, hex: the parse cache's content key. */
export function sha1(bytes: Uint8Array): string {
  return hash('sha1', bytes);
}

/** Read and hash one file. Never throws: a failure is its `errno` (`ENOTREG`: not a regular file). */
export function readOutcome(absPath: string, allocate?: (size: number) => Uint8Array): ReadOutcome {
  try {
    const read = readBounded(absPath, allocate);
    return 'tooLarge' in read ? read : { bytes: read.bytes, sha1: sha1(read.bytes) };
  } catch (err) {
    return { errno: (err as NodeJS.ErrnoException).code ?? 'error' };
  }
}

/** Below this many files, starting a thread costs more than it saves. */
export const MIN_FILES_FOR_READER = 2000;

const READER_URL = new URL('./read-worker.ts', import.meta.url);

/** Whether the reader's entry exists as a file (it does not inside a bundle). */
function readerAvailable(): boolean {
  try {
    return READER_URL.protocol === 'file:' && existsSync(fileURLToPath(READER_URL));
  } catch {
    return false;
  }
}

/** A message from the reader thread: the outcomes for `absPaths[start…]`. */
export interface ReaderMessage {
  start: number;
  outcomes: ReadOutcome[];
}

/** What `readFiles` gives: an outcome per path, in order, and whether a thread read them. */
export interface ReadReport {
  outcomes: ReadOutcome[];
  /** True when the reader thread delivered every file. */
  threaded: boolean;
}

/**
 * Read and hash `absPaths`, in order. With `background` (and enough files, a spare core, the
 * reader's file), a thread reads them and the returned promise settles when it is done, so the
 * caller can do other work first; otherwise they are read here, before this returns. Never
 * rejects.
 */
export function readFiles(absPaths: readonly string[], options: { background: boolean }): Promise<ReadReport> {
  const outcomes = new Array<ReadOutcome | undefined>(absPaths.length);
  let delivered = 0;
  const readRest = (): ReadReport => ({
    threaded: absPaths.length > 0 && delivered === absPaths.length,
    outcomes: absPaths.map((path, i) => (outcomes[i] ??= readOutcome(path))),
  });
  const useThread =
    options.background && absPaths.length >= MIN_FILES_FOR_READER && availableParallelism() > 1 && readerAvailable();
  if (!useThread) return Promise.resolve(readRest());

  return new Promise((resolve) => {
    let settled = false;
    let worker: Worker;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      // Whatever the thread did not deliver (it failed or exited early) is read here.
      resolve(readRest());
    };
    try {
      worker = new Worker(READER_URL, { workerData: { absPaths } });
    } catch {
      resolve(readRest());
      return;
    }
    worker.on('message', (message: ReaderMessage) => {
      message.outcomes.forEach((outcome, i) => {
        outcomes[message.start + i] = outcome;
      });
      delivered += message.outcomes.length;
      if (delivered >= absPaths.length) finish();
    });
    worker.on('error', finish);
    worker.on('exit', finish);
  });
}
