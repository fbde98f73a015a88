/**
 * Property-based tests (fast-check): whatever a content file holds (any bytes, YAML-looking
 * noise, or well-formed frontmatter with wrong values), `validateKnowledgeBase` returns
 * diagnostics and never throws; every diagnostic is well-formed; the file is either loaded or
 * has an error (never silently dropped); and validation finishes within a bound. The bound is
 * enforced by running validation in a worker thread that is terminated when it overruns, so the
 * test fails on a hang without any timed assertion.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeKb, playbook, REPO_ROOT } from '../fixtures/hostile/kb.ts';
import type { WorkerReply, WorkerRequest } from '../fixtures/hostile/validate-worker.ts';

/** Far above a normal validation of this small knowledge base (tens of milliseconds). */
const BOUND_MS = 15_000;
const FILE = 'content/postmortems/INC-2026-900-generated.md';

let kb: { root: string; cleanup: () => Promise<void> };
let worker: Worker;
let nextId = 0;

function startWorker(): Worker {
  return new Worker(join(REPO_ROOT, 'tests/fixtures/hostile/validate-worker.ts'));
}

/** Validate in the worker; rejects (and replaces the worker) when it takes longer than the bound. */
function validateBounded(bound = BOUND_MS): Promise<WorkerReply> {
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      worker = startWorker();
      reject(new Error(`validation did not finish within ${bound} ms`));
    }, bound);
    const onMessage = (reply: WorkerReply) => {
      if (reply.id !== id) return;
      clearTimeout(timer);
      worker.off('message', onMessage);
      resolve(reply);
    };
    worker.on('message', onMessage);
    worker.postMessage({ id, root: kb.root, file: FILE } satisfies WorkerRequest);
  });
}

/** Write `content` as the generated document, validate, and check the properties. */
async function check(content: string | Uint8Array): Promise<void> {
  await writeFile(join(kb.root, FILE), content);
  const reply = await validateBounded();
  expect(reply.threw).toBeUndefined();
  const diagnostics = reply.diagnostics ?? [];
  for (const d of diagnostics) {
    expect(d.code).toMatch(/^[a-z0-9-]+$/);
    expect(['error', 'warning']).toContain(d.severity);
    expect(Number.isInteger(d.line) && d.line >= 1, JSON.stringify(d)).toBe(true);
    expect(Number.isInteger(d.column) && d.column >= 1, JSON.stringify(d)).toBe(true);
    expect(d.message.length).toBeGreaterThan(0);
    expect(d.code).not.toBe('internal-error');
  }
  // Never silently dropped: either it is a document now, or it says why not.
  const own = diagnostics.filter((d) => d.file === FILE && d.severity === 'error');
  expect(reply.loaded === true || own.length > 0, 'the file was neither loaded nor reported').toBe(true);
  // The valid neighbour is never affected (except that it is named when the file claims its id).
  expect(diagnostics.filter((d) => d.file === 'content/playbooks/retry-storm.md' && d.code !== 'unique-id')).toEqual(
    [],
  );
}

beforeAll(async () => {
  kb = await makeKb({ 'content/playbooks/retry-storm.md': playbook('retry-storm') }, 'h6-property-');
  await mkdir(join(kb.root, 'content/postmortems'), { recursive: true });
  worker = startWorker();
});

afterAll(async () => {
  await worker.terminate();
  await kb.cleanup();
});

const YAML_NOISE = fc.string({
  unit: fc.constantFrom(
    ...'-:[]{}&*!|>\'"#%@`,?\n\t .0123456789abcxyz_<=~\\'.split(''),
    '---',
    '...',
    '!!',
    '<<',
    'null',
    'true',
    'ü',
    '\u2028',
    '\ufeff',
  ),
  maxLength: 300,
});

/** Values of every shape, so that every field gets every kind of wrong value. */
const ANY_VALUE: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(
    'SEV1',
    'SEV9',
    'software-bug',
    'unknown',
    'alert',
    'checkout-api',
    '2026-02-30',
    '2026-03-04T09:02:00',
    'INC-2026-001',
    'retry-storm',
    'javascript:alert(1)',
    '<script>x</script>',
    'AKIAQWERTYUIOPASDFGH',
  ),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

const POSTMORTEM_KEYS = [
  'id',
  'title',
  'status',
  'summary',
  'severity',
  'category',
  'trigger',
  'services',
  'started',
  'detected',
  'mitigated',
  'resolved',
  'detection',
  'impact',
  'failure_modes',
  'related',
  'action_items',
  'authors',
  'reviewers',
  'tags',
  'allowlist',
  '__proto__',
  'titel',
];

const BODY = fc
  .array(
    fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.constantFrom(
        '## Summary',
        '## Timeline',
        '[[retry-storm]]',
        '[[nope]]',
        '[x](../playbooks/retry-storm.md)',
        '[x](../../../../etc/passwd.md)',
        '<script>x</script>',
        '```mermaid\ngraph TD; A-->B\n```',
        '> '.repeat(50) + 'deep',
        '| a |\n|---|\n| b |',
        '[^1]\n\n[^1]: note',
      ),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join('\n\n'));

describe('validation of any content file', () => {
  it('any bytes: diagnostics, no exception, bounded time', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), check), { numRuns: 300 });
  }, 300_000);

  it('any bytes after a frontmatter opening', async () => {
    const withOpening = fc
      .uint8Array({ maxLength: 2048 })
      .map((bytes) => Buffer.concat([Buffer.from('---\nid: INC-2026-900\n'), bytes]));
    await fc.assert(fc.asyncProperty(withOpening, check), { numRuns: 150 });
  }, 300_000);

  it('YAML-looking noise as frontmatter', async () => {
    await fc.assert(
      fc.asyncProperty(YAML_NOISE, BODY, (yaml, body) => check(`---\n${yaml}\n---\n${body}`)),
      { numRuns: 150 },
    );
  }, 300_000);

  it('well-formed frontmatter with any value in any field', async () => {
    const frontmatter = fc.dictionary(fc.constantFrom(...POSTMORTEM_KEYS), ANY_VALUE, {
      maxKeys: POSTMORTEM_KEYS.length,
    });
    await fc.assert(
      fc.asyncProperty(frontmatter, BODY, fc.boolean(), (data, body, crlf) => {
        const text = `---\n${stringify({ id: 'INC-2026-900', ...data })}---\n${body}\n`;
        return check(crlf ? text.replace(/\n/g, '\r\n') : text);
      }),
      { numRuns: 300 },
    );
  }, 300_000);
});

describe('the bound is enforced', () => {
  it('a validation that never finishes would fail the property, not hang the run', async () => {
    // A worker that never answers stands in for a hang: the bound rejects and a fresh worker takes over.
    const stuck = join(await mkdtemp(join(tmpdir(), 'h6-stuck-')), 'stuck.mjs');
    await writeFile(stuck, "import { parentPort } from 'node:worker_threads'; parentPort.on('message', () => {});\n");
    const real = worker;
    worker = new Worker(stuck);
    await expect(validateBounded(500)).rejects.toThrow(/did not finish within 500 ms/);
    // The stuck worker was replaced by a working one.
    await writeFile(join(kb.root, FILE), '');
    expect((await validateBounded()).diagnostics?.some((d) => d.code === 'file-empty')).toBe(true);
    await worker.terminate();
    worker = real;
    await rm(stuck, { force: true });
  }, 60_000);
});
