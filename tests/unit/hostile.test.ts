/**
 * Hostile and broken input: every broken document in tests/fixtures/hostile/kb gets its own
 * precise diagnostic (tests/fixtures/hostile/expected.json), one broken file never hides or
 * changes another's result, nothing in a content file ever runs, nothing outside content/ is read
 * or shown, and the CLI reports it all without a stack trace and with the documented exit code.
 *
 * Exit codes of `hindsight validate`: 0 clean, 1 problems (errors; warnings too with --strict),
 * 2 usage (bad flag, missing root), 3 internal error.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/kb/diagnostics.ts';
import { MAX_FILE_BYTES } from '../../src/kb/load.ts';
import { validateKnowledgeBase } from '../../src/kb/validate.ts';
import { makeKb, playbook, REPO_ROOT } from '../fixtures/hostile/kb.ts';

interface Expected {
  code: string;
  line?: number;
  column?: number;
  field?: string;
  severity?: 'error' | 'warning';
  /** Text the message or a related entry must mention (the other file of a duplicate id). */
  mentions?: string;
}
interface Case {
  file: string;
  why: string;
  expect: Expected[];
  /** Every code the file may get; default: exactly the expected codes. */
  codes?: string[];
}
interface Expectations {
  valid: string[];
  cases: Case[];
}

const FIXTURE = join(REPO_ROOT, 'tests/fixtures/hostile/kb');
const NOW = new Date('2026-04-01T12:00:00Z');
const PWNED = '/tmp/h6-hostile-pwned';
const NODE = join(REPO_ROOT, 'node_modules/.bin/node');
const CLI = join(REPO_ROOT, 'scripts/hindsight.ts');
const expectations = JSON.parse(
  await readFile(join(REPO_ROOT, 'tests/fixtures/hostile/expected.json'), 'utf8'),
) as Expectations;

/** Cases made at run time: they cannot (or should not) be committed. */
async function addRuntimeCases(root: string, outside: string): Promise<Case[]> {
  const pm = join(root, 'content/postmortems');
  const pb = join(root, 'content/playbooks');
  await writeFile(
    join(outside, 'secret.md'),
    playbook('outside-secret', { body: 'OUTSIDE-MARKER: must never be read\n' }),
  );
  await symlink('/etc/passwd', join(pm, 'INC-2026-270-passwd.md'));
  await symlink(join(outside, 'secret.md'), join(pb, 'outside-secret.md'));
  await symlink(outside, join(pb, 'outside-folder'));
  await symlink(join(root, 'content/paths'), join(pb, 'inside-folder'));
  await symlink(join(pm, 'INC-2026-299-nowhere.md'), join(pm, 'INC-2026-271-dangling.md'));
  await symlink(join(pm, 'INC-2026-272-loop-b.md'), join(pm, 'INC-2026-272-loop-a.md'));
  await symlink(join(pm, 'INC-2026-272-loop-a.md'), join(pm, 'INC-2026-272-loop-b.md'));
  await run('mkfifo', [join(pm, 'INC-2026-273-fifo.md')]);
  await writeFile(join(pm, 'INC-2026-274-huge.md'), `---\nid: INC-2026-274\n---\n${'x'.repeat(MAX_FILE_BYTES)}`);
  // 1,000 nested block mappings (half a megabyte of indentation, so made here rather than committed).
  const deep = Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i + 1)}x:`).join('\n');
  await writeFile(join(pm, 'INC-2026-213-deep-block.md'), `---\nid: INC-2026-213\nimpact:\n${deep} 1\n---\n# Deep\n`);
  return [
    {
      file: 'content/postmortems/INC-2026-270-passwd.md',
      why: 'symbolic link to /etc/passwd',
      expect: [{ code: 'symlink-outside', line: 1 }],
    },
    {
      file: 'content/playbooks/outside-secret.md',
      why: 'symbolic link to a document outside the knowledge base',
      expect: [{ code: 'symlink-outside', line: 1 }],
    },
    {
      file: 'content/playbooks/outside-folder',
      why: 'symbolic link to a folder outside',
      expect: [{ code: 'symlink-outside', line: 1 }],
    },
    {
      file: 'content/playbooks/inside-folder',
      why: 'symbolic link to a folder inside',
      expect: [{ code: 'symlink-folder', line: 1 }],
    },
    {
      file: 'content/postmortems/INC-2026-271-dangling.md',
      why: 'symbolic link to nothing',
      expect: [{ code: 'file-unreadable', line: 1 }],
    },
    {
      file: 'content/postmortems/INC-2026-272-loop-a.md',
      why: 'symbolic link loop',
      expect: [{ code: 'file-unreadable', line: 1 }],
    },
    {
      file: 'content/postmortems/INC-2026-272-loop-b.md',
      why: 'symbolic link loop',
      expect: [{ code: 'file-unreadable', line: 1 }],
    },
    {
      file: 'content/postmortems/INC-2026-273-fifo.md',
      why: 'a named pipe (reading it would block forever)',
      expect: [{ code: 'file-unreadable', line: 1 }],
    },
    {
      file: 'content/postmortems/INC-2026-274-huge.md',
      why: 'over the 1 MiB size limit',
      expect: [{ code: 'file-too-large', line: 1 }],
    },
    {
      file: 'content/postmortems/INC-2026-213-deep-block.md',
      why: '1,000 nested block mappings: refused before parsing',
      expect: [{ code: 'yaml-too-deep', line: 404, column: 401 }],
    },
  ];
}

function run(
  command: string,
  args: string[],
  timeoutMs = 60_000,
): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

const validateCli = (...args: string[]) => run(NODE, [CLI, 'validate', ...args]);

/** A Node.js stack frame or an uncaught error header: never acceptable in CLI output. */
const STACK_TRACE =
  /^\s+at .+(?:\(|\s)\S+:\d+:\d+\)?$|^(?:TypeError|RangeError|ReferenceError|SyntaxError|Error): |node:internal/m;

function matches(d: Diagnostic, e: Expected): boolean {
  return (
    d.code === e.code &&
    (e.line === undefined || d.line === e.line) &&
    (e.column === undefined || d.column === e.column) &&
    (e.field === undefined || d.field === e.field) &&
    (e.severity === undefined || d.severity === e.severity) &&
    (e.mentions === undefined || d.message.includes(e.mentions) || (d.related ?? []).some((r) => r.file === e.mentions))
  );
}

function summary(list: Diagnostic[]): string[] {
  return list.map(
    (d) => `${d.line}:${d.column} ${d.severity} ${d.code}${d.field ? ` [${d.field}]` : ''}: ${d.message}`,
  );
}

let root: string;
let outside: string;
let cases: Case[];
let all: Awaited<ReturnType<typeof validateKnowledgeBase>>;

beforeAll(async () => {
  await rm(PWNED, { force: true });
  root = await mkdtemp(join(tmpdir(), 'h6-hostile-'));
  outside = await mkdtemp(join(tmpdir(), 'h6-outside-'));
  await cp(FIXTURE, root, { recursive: true });
  cases = [...expectations.cases, ...(await addRuntimeCases(root, outside))];
  all = await validateKnowledgeBase(root, { now: NOW });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('every broken document gets its own precise diagnostic', () => {
  it('the fixture has at least 40 broken documents, each with expectations', async () => {
    expect(expectations.cases.length).toBeGreaterThanOrEqual(40);
    const onDisk: string[] = [];
    for (const folder of ['postmortems', 'playbooks', 'paths']) {
      for (const name of await readdir(join(FIXTURE, 'content', folder))) onDisk.push(`content/${folder}/${name}`);
    }
    const described = new Set([...expectations.valid, ...expectations.cases.map((c) => c.file)]);
    expect(onDisk.filter((f) => !described.has(f))).toEqual([]);
  });

  it.each(expectations.cases.map((c) => [c.file, c] as const))('%s', (_file, c) => {
    const mine = all.diagnostics.filter((d) => d.file === c.file);
    for (const e of c.expect) {
      expect(
        mine.some((d) => matches(d, e)),
        `${c.why}: expected ${JSON.stringify(e)}, got\n${summary(mine).join('\n')}`,
      ).toBe(true);
    }
    const allowed = new Set(c.codes ?? c.expect.map((e) => e.code));
    expect(
      mine.filter((d) => !allowed.has(d.code)).map((d) => `${d.code}: ${d.message}`),
      c.why,
    ).toEqual([]);
  });

  it('files made at run time: links out of content/, loops, a pipe, an oversized file', () => {
    for (const c of cases.slice(expectations.cases.length)) {
      const mine = all.diagnostics.filter((d) => d.file === c.file);
      for (const e of c.expect)
        expect(
          mine.some((d) => matches(d, e)),
          `${c.why}: ${summary(mine).join('; ')}`,
        ).toBe(true);
    }
  });

  it('the valid documents next to them load untouched (the run goes on past every broken file)', () => {
    for (const file of expectations.valid) {
      expect(all.diagnostics.filter((d) => d.file === file)).toEqual([]);
      expect(
        all.kb.docs.some((doc) => doc.file === file),
        file,
      ).toBe(true);
    }
  });
});

describe('one broken file never changes what another gets', () => {
  it('each case validated alone gets exactly what it got among all the others', async () => {
    const baseline: Record<string, string | Uint8Array> = {};
    for (const file of expectations.valid) baseline[file] = await readFile(join(FIXTURE, file));
    for (const c of expectations.cases) {
      if (c.expect.some((e) => e.code === 'unique-id')) continue; // needs its twin
      const kb = await makeKb({ ...baseline, [c.file]: await readFile(join(FIXTURE, c.file)) }, 'h6-alone-');
      try {
        const alone = await validateKnowledgeBase(kb.root, { now: NOW });
        expect(summary(alone.diagnostics.filter((d) => d.file === c.file)), c.file).toEqual(
          summary(all.diagnostics.filter((d) => d.file === c.file)),
        );
        for (const file of expectations.valid)
          expect(
            alone.diagnostics.filter((d) => d.file === file),
            `${file} next to ${c.file}`,
          ).toEqual([]);
      } finally {
        await kb.cleanup();
      }
    }
  });
});

describe('reading content never runs it and never reaches outside content/', () => {
  it('no frontmatter engine, tag or key ran code or polluted prototypes', () => {
    expect(existsSync(PWNED)).toBe(false);
    expect(process.env['H6_PWNED']).toBeUndefined();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect((Object.prototype as unknown as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('nothing from outside content/ was loaded or quoted', () => {
    const text = JSON.stringify(all);
    expect(text).not.toContain('OUTSIDE-MARKER');
    expect(text).not.toContain('root:x:0:0');
    expect(all.kb.docs.some((d) => d.id === 'outside-secret')).toBe(false);
  });

  it('a kind folder that is a symbolic link out of content/ is refused, and nothing in it is read', async () => {
    const kb = await makeKb({ 'content/playbooks/retry-storm.md': playbook('retry-storm') }, 'h6-kindlink-');
    const elsewhere = await mkdtemp(join(tmpdir(), 'h6-elsewhere-'));
    try {
      await writeFile(join(elsewhere, 'leaked.md'), playbook('leaked', { body: 'OUTSIDE-MARKER\n' }));
      await symlink(elsewhere, join(kb.root, 'content/paths'));
      const result = await validateKnowledgeBase(kb.root, { now: NOW });
      expect(result.diagnostics).toEqual([
        expect.objectContaining({ code: 'symlink-outside', file: 'content/paths', severity: 'error' }),
      ]);
      expect(result.files).toEqual(['content/playbooks/retry-storm.md']);
      expect(JSON.stringify(result)).not.toContain('OUTSIDE-MARKER');
    } finally {
      await kb.cleanup();
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('a taxonomy that is a symbolic link to /etc/passwd is refused without quoting it', async () => {
    const kb = await makeKb({ 'content/playbooks/retry-storm.md': playbook('retry-storm') }, 'h6-taxlink-');
    try {
      await rm(join(kb.root, 'content/taxonomy.yaml'));
      await symlink('/etc/passwd', join(kb.root, 'content/taxonomy.yaml'));
      const result = await validateKnowledgeBase(kb.root, { now: NOW });
      const taxonomy = result.diagnostics.filter((d) => d.file === 'content/taxonomy.yaml');
      expect(taxonomy.map((d) => d.code)).toEqual(['symlink-outside', 'taxonomy-invalid']);
      expect(taxonomy[0]?.message).toContain('symbolic link leading outside content/');
      const cli = await validateCli('--root', kb.root);
      expect(cli.code).toBe(1);
      expect(`${JSON.stringify(result)}${cli.stdout}${cli.stderr}`).not.toMatch(/root:x:0:0|daemon:x:/);
    } finally {
      await kb.cleanup();
    }
  });
});

describe('the CLI on the hostile knowledge base', () => {
  it('exits 1, names every broken file, prints no stack trace, and finishes in bounded time', async () => {
    const result = await validateCli('--root', root, '--now', '2026-04-01');
    expect(result.timedOut).toBe(false);
    expect(result.code).toBe(1);
    expect(`${result.stdout}\n${result.stderr}`).not.toMatch(STACK_TRACE);
    for (const c of cases) expect(result.stdout, c.file).toContain(c.file);
    expect(result.stdout).not.toContain('OUTSIDE-MARKER');
    expect(result.stdout).not.toMatch(/root:x:0:0/);
  });

  it('JSON output carries the same diagnostics as the library', async () => {
    const result = await validateCli('--root', root, '--now', '2026-04-01', '--format', 'json');
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout) as { diagnostics: Diagnostic[] };
    const key = (d: Diagnostic) => `${d.file}:${d.line}:${d.column}:${d.code}`;
    expect(parsed.diagnostics.map(key).sort()).toEqual(all.diagnostics.map(key).sort());
  });

  it('GitHub annotations: one line per diagnostic, even for hostile file names and messages', async () => {
    const result = await validateCli('--root', root, '--now', '2026-04-01', '--format', 'github');
    expect(result.code).toBe(1);
    const annotations = result.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations.length).toBe(all.diagnostics.length);
  });

  it('documents its exit codes: 0 clean, 2 usage errors', async () => {
    const clean = await makeKb({ 'content/playbooks/retry-storm.md': playbook('retry-storm') }, 'h6-clean-');
    try {
      const ok = await validateCli('--root', clean.root, '--now', '2026-04-01');
      expect(ok.code, ok.stdout + ok.stderr).toBe(0);
      const badFormat = await validateCli('--root', clean.root, '--format', 'xml');
      expect(badFormat.code).toBe(2);
      const noRoot = await validateCli('--root', join(clean.root, 'does-not-exist'));
      expect(noRoot.code).toBe(2);
      for (const r of [badFormat, noRoot]) expect(`${r.stdout}${r.stderr}`).not.toMatch(STACK_TRACE);
    } finally {
      await clean.cleanup();
    }
  });
});

describe('nothing is lost', () => {
  const newCli = (...args: string[]) => run(NODE, [CLI, 'new', ...args, '--yes', '--now', '2026-04-01']);

  it('`hindsight new` refuses to replace an existing file, whatever the file holds', async () => {
    const occupied = '---\nid: something-else\n---\nNotes someone has not committed yet.\n';
    const kb = await makeKb(
      { 'content/playbooks/retry-storm.md': playbook('retry-storm'), 'content/playbooks/cache-stampede.md': occupied },
      'h6-new-',
    );
    try {
      const before = await readFile(join(kb.root, 'content/playbooks/retry-storm.md'), 'utf8');
      const sameId = await newCli('playbook', 'Retry storm', '--root', kb.root);
      expect(sameId.code).toBe(1);
      expect(await readFile(join(kb.root, 'content/playbooks/retry-storm.md'), 'utf8')).toBe(before);

      const sameFile = await newCli('playbook', 'Cache stampede', '--root', kb.root);
      expect(sameFile.code).toBe(1);
      expect(await readFile(join(kb.root, 'content/playbooks/cache-stampede.md'), 'utf8')).toBe(occupied);
      for (const r of [sameId, sameFile]) expect(`${r.stdout}${r.stderr}`).not.toMatch(STACK_TRACE);
    } finally {
      await kb.cleanup();
    }
  });

  it('two `hindsight new postmortem` at once never write over each other', async () => {
    const kb = await makeKb({ 'content/playbooks/retry-storm.md': playbook('retry-storm') }, 'h6-race-');
    try {
      const results = await Promise.all(
        [1, 2, 3].map((n) => newCli('postmortem', `Checkout outage number ${n}`, '--root', kb.root)),
      );
      const written = results.filter((r) => r.code === 0);
      expect(written.length).toBeGreaterThanOrEqual(1);
      for (const r of results) expect([0, 1], r.stdout + r.stderr).toContain(r.code);
      const files = await readdir(join(kb.root, 'content/postmortems'));
      expect(files).toHaveLength(written.length);
      const titles = await Promise.all(files.map((f) => readFile(join(kb.root, 'content/postmortems', f), 'utf8')));
      const numbers = titles.map((t) => /Checkout outage number (\d)/.exec(t)?.[1]);
      expect(new Set(numbers).size).toBe(files.length);
    } finally {
      await kb.cleanup();
    }
  });
});
