/**
 * One fixture knowledge base per rule, in `tests/fixtures/rules/<rule-code>/`, walked by a loop
 * (the remark-gfm fixture idea). Each folder holds `content/` and `expected.json`: every
 * diagnostic the whole validator reports for it, as `{ code, severity, file, line, column }`.
 * Run with `UPDATE_FIXTURES=1` to rewrite the expected files after a deliberate change, then
 * review the diff.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/kb/rules/index.ts';
import { validateKnowledgeBase } from '../../src/kb/validate.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/rules');
const NOW = new Date('2026-06-01T12:00:00Z');
const UPDATE = process.env['UPDATE_FIXTURES'] === '1';

const folders = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe('rule fixtures', () => {
  it('has a fixture folder for every registered rule', () => {
    expect(folders).toEqual(expect.arrayContaining(RULES.map((rule) => rule.code)));
  });

  for (const name of folders) {
    it(`${name}: reports exactly the expected diagnostics`, async () => {
      const root = join(FIXTURES, name);
      const { diagnostics } = await validateKnowledgeBase(root, { now: NOW });
      const actual = diagnostics.map(({ code, severity, file, line, column }) => ({
        code,
        severity,
        file,
        line,
        column,
      }));
      const expectedFile = join(root, 'expected.json');
      if (UPDATE || !existsSync(expectedFile)) writeFileSync(expectedFile, `${JSON.stringify(actual, null, 2)}\n`);
      const expected: unknown = JSON.parse(readFileSync(expectedFile, 'utf8'));
      expect(actual).toEqual(expected);
      // The fixture exercises the rule it is named after.
      if (RULES.some((rule) => rule.code === name)) expect(actual.map((d) => d.code)).toContain(name);
    });
  }
});
