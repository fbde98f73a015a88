/**
 * Reading content files (`src/kb/read.ts`): the reader thread is a speed-up only. Whatever read
 * the files, every path gets exactly its own bytes and SHA-1, or the same refusal, in order,
 * including across the thread's batches (several megabytes of files, so batches fill up
 * mid-list).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES, MIN_FILES_FOR_READER, readFiles, readOutcome } from '../../src/kb/read.ts';

let dir: string;
let paths: string[];
/** Some of the files' contents, by number, to check bytes against. */
const contents = new Map<number, Buffer>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hindsight-read-test-'));
  mkdirSync(join(dir, 'docs'));
  paths = [];
  // Sizes vary (0 to 9,000 bytes, deterministic), about 11 MB in all: the thread's 4 MiB
  // batches fill up in the middle of the list.
  for (let i = 0; i < MIN_FILES_FOR_READER + 500; i++) {
    const path = join(dir, 'docs', `doc-${String(i).padStart(5, '0')}.md`);
    const size = (i * 7919) % 9000;
    const content = Buffer.alloc(size, `file ${i};`);
    writeFileSync(path, content);
    if (i % 97 === 0) contents.set(i, content);
    paths.push(path);
  }
  // Refusals, in the middle of the list: too large, a symbolic link, a missing file.
  const large = join(dir, 'large.md');
  writeFileSync(large, Buffer.alloc(MAX_FILE_BYTES + 1, 'x'));
  const link = join(dir, 'link.md');
  symlinkSync(paths[0] as string, link);
  paths.splice(700, 0, large, link, join(dir, 'missing.md'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

/** An outcome in a comparable shape: bytes as hex, so views and buffers compare equal. */
function plain(outcome: ReturnType<typeof readOutcome>) {
  return 'bytes' in outcome ? { hex: Buffer.from(outcome.bytes).toString('hex'), sha1: outcome.sha1 } : outcome;
}

describe('readFiles', () => {
  it('gives every path its own bytes and SHA-1, in order, read by the thread as read here', async () => {
    const here = await readFiles(paths, { background: false });
    const threaded = await readFiles(paths, { background: true });
    expect(here.threaded).toBe(false);
    // The thread is used wherever there is a second core.
    expect(threaded.threaded).toBe(availableParallelism() > 1);
    expect(threaded.outcomes).toHaveLength(paths.length);
    threaded.outcomes.forEach((outcome, i) => {
      const expected = here.outcomes[i];
      expect(expected).toBeDefined();
      expect(plain(outcome), paths[i]).toEqual(plain(expected as typeof outcome));
    });
  });

  it('reads each file exactly, and refuses what it must', async () => {
    const { outcomes } = await readFiles(paths, { background: true });
    const at = (path: string) => outcomes[paths.indexOf(path)];
    expect(at(join(dir, 'large.md'))).toEqual({ tooLarge: MAX_FILE_BYTES + 1 });
    expect(at(join(dir, 'link.md'))).toEqual({ errno: 'ELOOP' });
    expect(at(join(dir, 'missing.md'))).toEqual({ errno: 'ENOENT' });
    for (const [i, content] of contents) {
      const outcome = at(join(dir, 'docs', `doc-${String(i).padStart(5, '0')}.md`));
      expect(outcome && 'bytes' in outcome && Buffer.from(outcome.bytes).equals(content), `doc ${i}`).toBe(true);
      expect(outcome && 'sha1' in outcome && outcome.sha1).toBe(sha1(content));
    }
  });
});
