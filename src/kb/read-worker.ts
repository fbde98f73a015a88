/**
 * Reader-thread entry for `readFiles` in `./read.ts`: reads and hashes the files it is given, in
 * order, with the same `readOutcome` the main thread uses, and hands the bytes over in batches.
 * The files of a batch are read into one buffer, transferred with the batch rather than copied
 * (a buffer per file costs more to allocate than to read). Imports nothing but `./read.ts`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readOutcome, type ReadOutcome, type ReaderMessage } from './read.ts';

/** Bytes per batch: the main thread is busy meanwhile, so few and large. */
const BATCH_BYTES = 4 * 1024 * 1024;

const { absPaths } = workerData as { absPaths: string[] };

let buffer = new Uint8Array(BATCH_BYTES);
let used = 0;
let start = 0;
let outcomes: ReadOutcome[] = [];

/** Send the outcomes so far with the buffer their bytes are in. */
function flush(): void {
  const message: ReaderMessage = { start, outcomes };
  parentPort?.postMessage(message, [buffer.buffer]);
  start += outcomes.length;
  outcomes = [];
}

/** Room for one file in the current batch's buffer, starting a new batch when it is full. */
function allocate(size: number): Uint8Array {
  if (used + size > buffer.length) {
    flush();
    buffer = new Uint8Array(Math.max(BATCH_BYTES, size));
    used = 0;
  }
  const view = buffer.subarray(used, used + size);
  used += size;
  return view;
}

for (const path of absPaths) {
  // Read first: reading may flush the batch, which replaces `outcomes`.
  const outcome = readOutcome(path, allocate);
  outcomes.push(outcome);
}
flush();
