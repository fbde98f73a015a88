/**
 * Worker-thread entry for `./workers.ts`: builds the schemas once from the taxonomy it is given,
 * then parses batches of files with the same pure `parseAndCheckFile` the main thread uses.
 * A batch that throws is answered with the error text; the main thread then parses that batch
 * itself, so a worker can never lose a file or change a result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createSchemas, type Taxonomy } from '../schema/index.ts';
import { parseAndCheckFile } from './load.ts';

interface Batch {
  id: number;
  files: { relPath: string; bytes: Uint8Array }[];
}

const taxonomy = (workerData as { taxonomy?: Taxonomy } | undefined)?.taxonomy;
const schemas = taxonomy ? createSchemas(taxonomy) : undefined;

parentPort?.on('message', (batch: Batch) => {
  try {
    const results = batch.files.map((file) => parseAndCheckFile(file.relPath, file.bytes, schemas, taxonomy));
    parentPort?.postMessage({ id: batch.id, results });
  } catch (error) {
    parentPort?.postMessage({ id: batch.id, error: error instanceof Error ? error.message : String(error) });
  }
});
