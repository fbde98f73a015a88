/**
 * The validator as a whole: the deliberately broken knowledge base in `tests/fixtures/broken-kb/`
 * (one edge case per file, the log4brains `ro-project` idea) must yield every expected
 * diagnostic at the right line and column, with nothing extra; a valid knowledge base is clean;
 * `files` narrows what is reported without narrowing what references resolve against.
 * `UPDATE_FIXTURES=1` rewrites `expected.json` (review the diff).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateKnowledgeBase } from '../../src/kb/validate.ts';
import { testdir } from '../helpers/testdir.ts';
import { playbook, postmortem, TAXONOMY, validKb } from '../helpers/kb.ts';

const BROKEN = join(import.meta.dirname, '../fixtures/broken-kb');
const NOW = new Date('2026-06-01T12:00:00Z');

function walk(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(dir, `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

describe('the broken knowledge base', () => {
  it('yields every expected diagnostic at the right place, and nothing else', async () => {
    const { diagnostics } = await validateKnowledgeBase(BROKEN, { now: NOW });
    const actual = diagnostics.map(({ code, severity, file, line, column, field }) => ({
      code,
      severity,
      file,
      line,
      column,
      ...(field ? { field } : {}),
    }));
    const expectedFile = join(BROKEN, 'expected.json');
    if (process.env['UPDATE_FIXTURES'] === '1' || !existsSync(expectedFile)) {
      writeFileSync(expectedFile, `${JSON.stringify(actual, null, 2)}\n`);
    }
    expect(actual).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')));
  });

  it('reports something for every broken file, and nothing for the valid ones', async () => {
    const { diagnostics } = await validateKnowledgeBase(BROKEN, { now: NOW });
    const reported = new Set(diagnostics.map((d) => d.file));
    const valid = new Set([
      'content/taxonomy.yaml',
      'content/postmortems/INC-2026-001-baseline.md',
      'content/playbooks/pool-exhaustion.md',
      'content/playbooks/draft-playbook.md',
    ]);
    const files = walk(BROKEN)
      .filter((f) => f.startsWith('content/'))
      .sort();
    expect(files.length).toBeGreaterThanOrEqual(45);
    for (const file of files) {
      if (valid.has(file)) expect(reported.has(file), file).toBe(false);
      else expect(reported.has(file), file).toBe(true);
    }
  });

  it('never evaluates frontmatter code', async () => {
    const { diagnostics } = await validateKnowledgeBase(BROKEN, { now: NOW });
    expect(existsSync('/tmp/hindsight-pwned')).toBe(false);
    const js = diagnostics.find((d) => d.file.endsWith('INC-2026-104-js-engine.md'));
    expect(js).toMatchObject({ code: 'frontmatter-language', line: 1 });
  });

  it('explains a schema error with field, expected value, what was found and a suggestion', async () => {
    const { diagnostics } = await validateKnowledgeBase(BROKEN, { now: NOW });
    const severity = diagnostics.find(
      (d) => d.file.endsWith('INC-2026-121-unknown-enums.md') && d.field === 'severity',
    );
    expect(severity).toMatchObject({
      code: 'schema',
      line: 6,
      column: 11,
      found: '"SEV-1"',
      hint: 'did you mean "SEV1"?',
    });
    expect(severity?.expected).toContain('"SEV1", "SEV2"');
    const key = diagnostics.find((d) => d.file.endsWith('INC-2026-124-unknown-keys.md') && d.field === 'sevrity');
    expect(key).toMatchObject({ code: 'unknown-key', hint: 'did you mean "severity"?' });
    const zone = diagnostics.find((d) => d.file.endsWith('INC-2026-123-no-zone.md') && d.field === 'started');
    expect(zone?.hint).toContain('"2026-03-04T02:14:00Z"');
  });

  it('names both files of a duplicate id', async () => {
    const { diagnostics } = await validateKnowledgeBase(BROKEN, { now: NOW });
    const dup = diagnostics.filter((d) => d.code === 'unique-id');
    expect(dup.map((d) => d.file)).toEqual([
      'content/postmortems/INC-2026-130-first.md',
      'content/postmortems/INC-2026-130-second-branch.md',
    ]);
    expect(dup[0]?.message).toContain('INC-2026-130-second-branch.md');
    expect(dup[0]?.related?.[0]).toMatchObject({ file: 'content/postmortems/INC-2026-130-second-branch.md', line: 2 });
  });
});

describe('validateKnowledgeBase', () => {
  it('is clean on a valid knowledge base and loads every document', async () => {
    const root = testdir(validKb());
    const { diagnostics, kb } = await validateKnowledgeBase(root, { now: NOW });
    expect(diagnostics).toEqual([]);
    expect(kb.docs.map((d) => d.id).sort()).toEqual(['INC-2026-001', 'first-week', 'pool-exhaustion']);
  });

  it('reports only the given files, but still resolves references against the whole knowledge base', async () => {
    const root = testdir({
      ...validKb(),
      'content/postmortems/INC-2026-002-bad.md': postmortem({
        id: 'INC-2026-002',
        failure_modes: ['no-such-playbook'],
      }),
    });
    const all = await validateKnowledgeBase(root, { now: NOW });
    expect(all.diagnostics.map((d) => d.file)).toEqual(['content/postmortems/INC-2026-002-bad.md']);
    const onlyGood = await validateKnowledgeBase(root, {
      now: NOW,
      files: ['content/postmortems/INC-2026-001-checkout-pool.md'],
    });
    expect(onlyGood.diagnostics).toEqual([]);
    const folder = await validateKnowledgeBase(root, { now: NOW, files: [join(root, 'content/postmortems')] });
    expect(folder.diagnostics).toHaveLength(1);
  });

  it('always reports taxonomy problems, even when asked about one document', async () => {
    const root = testdir({ ...validKb(), 'content/taxonomy.yaml': TAXONOMY.replace('rank: 2', 'rank: second') });
    const { diagnostics } = await validateKnowledgeBase(root, {
      now: NOW,
      files: ['content/playbooks/pool-exhaustion.md'],
    });
    expect(diagnostics.map((d) => d.code).sort()).toEqual(['schema', 'taxonomy-invalid']);
    expect(diagnostics.find((d) => d.code === 'schema')).toMatchObject({
      file: 'content/taxonomy.yaml',
      field: 'severities[1].rank',
      line: 21,
      column: 11,
    });
  });

  it('uses the injected "now" and stale-days threshold', async () => {
    const root = testdir({
      ...validKb(),
      'content/playbooks/pool-exhaustion.md': playbook({ last_reviewed: '2026-01-01' }),
    });
    const lenient = await validateKnowledgeBase(root, { now: NOW, staleAfterDays: 365 });
    expect(lenient.diagnostics).toEqual([]);
    const strict = await validateKnowledgeBase(root, { now: NOW, staleAfterDays: 30 });
    expect(strict.diagnostics.map((d) => [d.code, d.severity])).toEqual([['playbook-stale', 'warning']]);
  });
});
