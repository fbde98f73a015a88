/**
 * `hindsight validate` as people and CI run it: the real command, as a child process, in
 * temporary knowledge bases built from inline maps of files. Exit codes, what goes to stdout and
 * stderr, and never a stack trace.
 */
import { existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT, runSafely, UsageError } from '../../scripts/lib/cli.ts';
import { playbook, postmortem, validKb } from '../helpers/kb.ts';
import { testdir } from '../helpers/testdir.ts';
import { spawnSync } from 'node:child_process';
import { HINDSIGHT, hindsight, NODE } from './cli-testdir.ts';

const STACK = /\n\s+at .+:\d+:\d+/;
const NOW = ['--now', '2026-06-01'];

function validate(root: string, ...args: string[]) {
  const result = hindsight(['validate', '--root', root, ...NOW, ...args], root);
  expect(result.stdout + result.stderr).not.toMatch(STACK);
  return result;
}

describe('hindsight validate', () => {
  it('exits 0 with a one-line summary on a clean knowledge base', () => {
    const result = validate(testdir(validKb()));
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('No problems in 4 files\n');
    expect(result.stderr).toBe('');
  });

  it('exits 1 on errors, with file:line:column, the field, expected/found, a code frame and a summary', () => {
    const root = testdir({
      ...validKb(),
      'content/postmortems/INC-2026-001-checkout-pool.md': postmortem({ severity: 'SEV-2' }),
    });
    const result = validate(root);
    expect(result.code).toBe(1);
    const out = result.stdout;
    expect(out).toContain(
      'content/postmortems/INC-2026-001-checkout-pool.md:6:11  error  "severity" has a value that is not allowed  schema',
    );
    expect(out).toContain('  field:    severity');
    expect(out).toContain('  expected: one of "SEV1", "SEV2"');
    expect(out).toContain('  found:    "SEV-2"');
    expect(out).toContain('  hint:     did you mean "SEV2"?');
    expect(out).toMatch(/> {1,2}6 \| severity: SEV-2\n\s+\| {11}\^/);
    expect(out.trimEnd().split('\n').at(-1)).toBe('1 error, 0 warnings in 4 files');
  });

  it('exits 0 on warnings, and 1 with --strict', () => {
    const root = testdir({
      ...validKb(),
      'content/playbooks/pool-exhaustion.md': playbook(
        {},
        '## Confirm\n\nSee [[pool-exhaustion#no-such-heading]].\n\n## Mitigate now\n\nx\n\n## Fix for good\n\nx\n',
      ),
    });
    const lenient = validate(root);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain('unresolved-link');
    expect(lenient.stdout.trimEnd().split('\n').at(-1)).toBe('0 errors, 1 warning in 4 files');
    expect(validate(root, '--strict').code).toBe(1);
  });

  it('reports date reminders as warnings that --strict ignores and --fail-on-reminders does not', () => {
    const root = testdir({
      ...validKb(),
      'content/playbooks/pool-exhaustion.md': playbook({ last_reviewed: '2025-01-01' }),
    });
    const lenient = validate(root);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain('warning  playbook last reviewed 516 days ago (limit 180)  playbook-stale');
    expect(lenient.stdout.trimEnd().split('\n').at(-1)).toBe('0 errors, 1 warning in 4 files (1 is a date reminder)');
    // A commit that changed nothing must not fail CI because the calendar moved on.
    expect(validate(root, '--strict').code).toBe(0);
    expect(validate(root, '--strict', '--fail-on-reminders').code).toBe(1);
    expect(validate(root, '--fail-on-reminders').code).toBe(1);
    expect(validate(root, '--format', 'github').stdout).toMatch(
      /^::notice file=content\/playbooks\/pool-exhaustion\.md,/m,
    );
    expect(validate(root, '--stale-days', '600').stdout).toBe('No problems in 4 files\n');
  });

  it('reports only the files named on the command line, resolving references against everything', () => {
    const root = testdir({
      ...validKb(),
      'content/postmortems/INC-2026-002-bad.md': postmortem({ id: 'INC-2026-002', failure_modes: ['pool-exhaustoin'] }),
    });
    expect(validate(root, 'content/postmortems/INC-2026-001-checkout-pool.md').code).toBe(0);
    const bad = validate(root, join(root, 'content/postmortems/INC-2026-002-bad.md'));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('did you mean "pool-exhaustion"?');
    expect(bad.stdout).toContain('1 error, 0 warnings in 1 file');
  });

  it('writes JSON with a summary and every diagnostic', () => {
    const root = testdir({
      ...validKb(),
      'content/playbooks/pool-exhaustion.md': playbook({ owners: [], tags: ['Not A Slug'] }),
    });
    const result = validate(root, '--format', 'json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      summary: Record<string, number>;
      diagnostics: { code: string; field?: string; line: number }[];
    };
    expect(report.summary).toEqual({ errors: 2, warnings: 0, reminders: 0, filesWithProblems: 1, filesChecked: 4 });
    expect(report.diagnostics.map((d) => [d.field, d.line])).toEqual([
      ['owners', 9],
      ['tags[0]', 12],
    ]);
  });

  it('writes GitHub workflow annotations, escaped so one diagnostic is one line', () => {
    const root = testdir({ ...validKb(), 'content/playbooks/pool-exhaustion.md': playbook({ category: 'bug' }) });
    const result = validate(root, '--format', 'github');
    expect(result.code).toBe(1);
    const [annotation, summary, ...rest] = result.stdout.trimEnd().split('\n');
    expect(rest).toEqual([]);
    expect(annotation).toMatch(
      /^::error file=content\/playbooks\/pool-exhaustion\.md,line=6,col=11,title=hindsight schema \(category\)::"category" has a value that is not allowed%0Aexpected: one of /,
    );
    expect(annotation).toContain('%0Ahint: did you mean "software-bug"?');
    expect(summary).toBe('1 error, 0 warnings in 4 files');
  });

  it('reports hostile files and keeps going: nothing runs, nothing outside content/ is shown', () => {
    const outside = testdir({ 'private.md': 'TOP-SECRET-MARKER-42\n' });
    const root = testdir({
      ...validKb(),
      'content/postmortems/INC-2026-005-js.md':
        "---js\n{ id: require('fs').writeFileSync('" + join(outside, 'pwned') + "', 'x') }\n---\n",
      'content/postmortems/INC-2026-006-binary.md': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]),
    });
    symlinkSync(join(outside, 'private.md'), join(root, 'content/postmortems/INC-2026-007-link.md'));
    const result = validate(root);
    expect(result.code).toBe(1);
    expect(existsSync(join(outside, 'pwned'))).toBe(false);
    expect(result.stdout).not.toContain('TOP-SECRET-MARKER-42');
    expect(result.stdout).toContain('INC-2026-005-js.md:1:4  error  frontmatter language "js" is not supported');
    expect(result.stdout).toContain('INC-2026-006-binary.md:1:5  error  the file is binary');
    expect(result.stdout).toContain('INC-2026-007-link.md:1:1  error  the symbolic link leads outside content/');
    // The valid documents were still checked.
    expect(result.stdout).toContain('3 errors, 0 warnings');
  });

  it('stops quietly when its output is cut short by a closed pipe (`| head`)', () => {
    const files: Record<string, string> = { ...validKb() };
    // Well over a pipe buffer (64 KiB) of output, so writes are still pending when `head` exits.
    for (let i = 100; i < 400; i++)
      files[`content/postmortems/INC-2026-${i}.md`] = postmortem({ id: `INC-2026-${i}`, severity: 'SEV9' });
    const root = testdir(files);
    const result = spawnSync(
      'bash',
      ['-c', `set -o pipefail; "${NODE}" "${HINDSIGHT}" validate --root "${root}" | head -c 100 > /dev/null`],
      {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(EXIT.problems);
  });

  describe('usage errors exit 2 with one line on stderr and nothing on stdout', () => {
    const root = testdir(validKb());
    const cases: [string[], RegExp][] = [
      [['--fromat', 'json'], /unknown option --fromat; did you mean --format\?/],
      [['--format', 'xml'], /unknown format "xml"; expected one of text, json, github/],
      [['--stale-days', 'soon'], /--stale-days expects a whole number of days/],
      [['--now', '2026-02-30'], /--now expects a date such as 2026-05-01/],
      [['--strict=yes'], /--strict/],
      [['content/postmortems/nope.md'], /no such file: content\/postmortems\/nope\.md/],
      [['--root'], /--root/],
    ];
    for (const [args, message] of cases) {
      it(args.join(' '), () => {
        const result = hindsight(['validate', ...(args[0] === '--root' ? [] : ['--root', root]), ...args], root);
        expect(result.code).toBe(EXIT.usage);
        expect(result.stdout).toBe('');
        expect(result.stderr).toMatch(message);
        expect(result.stderr).not.toMatch(STACK);
      });
    }

    it('a root without content/', () => {
      const empty = testdir({ 'README.md': 'not a knowledge base' });
      const result = hindsight(['validate'], empty);
      expect(result.code).toBe(EXIT.usage);
      expect(result.stderr).toContain('has no content/ folder; pass --root with the folder that holds content/');
    });
  });
});

describe('runSafely', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = 0;
  });

  it('turns an unexpected error into one line and exit code 3, without a stack trace', async () => {
    const writes: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });
    await runSafely('validate', () => {
      throw new TypeError('cannot read properties of undefined');
    });
    expect(process.exitCode).toBe(EXIT.internal);
    expect(writes.join('')).toBe(
      'hindsight validate: internal error: cannot read properties of undefined\n' +
        'This is a bug in Hindsight, not in your content. Run again with HINDSIGHT_DEBUG=1 for details, and please report it.\n',
    );
  });

  it('turns a usage error into exit code 2 and passes other exit codes through', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await runSafely('validate', () => {
      throw new UsageError('bad');
    });
    expect(process.exitCode).toBe(EXIT.usage);
    await runSafely('validate', () => EXIT.problems);
    expect(process.exitCode).toBe(EXIT.problems);
  });
});
