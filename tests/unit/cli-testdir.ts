/**
 * Running the real `hindsight` command in temporary folders (changesets' `testdir()` idea; the
 * folders come from `tests/helpers/testdir.ts`): a knowledge base is an inline map of files, the
 * command runs as a child process on the pinned Node, and a test looks at the exit code, the
 * output and the files.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFiles, testdir } from '../helpers/testdir.ts';

export { listFiles, testdir };

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const HINDSIGHT = join(REPO, 'scripts', 'hindsight.ts');
export const NODE = join(REPO, 'node_modules', '.bin', 'node');
/** The bundled taxonomy, so test knowledge bases use the real vocabulary. */
export const TAXONOMY = readFileSync(join(REPO, 'content', 'taxonomy.yaml'), 'utf8');

/** A knowledge base with the bundled taxonomy plus `files`. */
export function kbdir(files: Record<string, string> = {}): string {
  return testdir({ 'content/taxonomy.yaml': TAXONOMY, ...files });
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `hindsight <args>` in `cwd`, without a terminal and without colour. */
export function hindsight(args: readonly string[], cwd: string, input?: string): RunResult {
  const result = spawnSync(NODE, [HINDSIGHT, ...args], {
    cwd,
    encoding: 'utf8',
    input: input ?? '',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
