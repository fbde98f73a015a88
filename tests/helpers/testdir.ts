/**
 * Temporary folders built from an inline map of files (the `testdir()` idea from changesets'
 * test utilities): `await testdir({ 'content/taxonomy.yaml': '…' })` returns the folder's path.
 * Folders are removed when the test process exits.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';

const created: string[] = [];
process.on('exit', () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** Write `files` (path → text or bytes) under a new temporary folder and return its path. */
export function testdir(files: Record<string, string | Uint8Array>, prefix = 'hindsight-test-'): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  created.push(root);
  for (const [path, content] of Object.entries(files)) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return root;
}

/** Every file under `dir`, relative, POSIX separators, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const abs = join(folder, entry.name);
      if (entry.isDirectory()) walk(abs);
      else out.push(relative(dir, abs).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}
