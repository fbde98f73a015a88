/**
 * File-local rules (`Rule.checkDocument`: sensitive-data, published-complete, id-matches-filename)
 * run while a file is parsed and are cached with the parse. A warm run must report exactly what a
 * cold run reports, down to every field and the order; and an edited file must be checked again,
 * alone, while the other files' findings come from the cache.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FILE_RULES, RULES, type Rule } from '../../src/kb/rules/index.ts';
import { validateKnowledgeBase } from '../../src/kb/validate.ts';
import { loadKnowledgeBase } from '../../src/kb/load.ts';
import { locateField, parseFrontmatter } from '../../src/kb/frontmatter.ts';
import type { Diagnostic } from '../../src/kb/diagnostics.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures');
const NOW = new Date('2026-06-01T12:00:00Z');

/** The broken knowledge base and every rule's fixture: diagnostics of every kind. */
const KNOWLEDGE_BASES = [
  'broken-kb',
  ...readdirSync(join(FIXTURES, 'rules'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `rules/${entry.name}`)
    .sort(),
];

let work: string;
const ENV = ['HINDSIGHT_CACHE_DIR', 'HINDSIGHT_PARSE_CACHE', 'HINDSIGHT_PARSE_THREADS'] as const;
const saved = new Map<string, string | undefined>();
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'hindsight-rule-cache-'));
  for (const name of ENV) saved.set(name, process.env[name]);
  process.env['HINDSIGHT_CACHE_DIR'] = join(work, 'cache');
  delete process.env['HINDSIGHT_PARSE_CACHE'];
  // Main thread only, so the spies below see every call.
  process.env['HINDSIGHT_PARSE_THREADS'] = '0';
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const name of ENV) {
    const value = saved.get(name);
    if (value === undefined) Reflect.deleteProperty(process.env, name);
    else process.env[name] = value;
  }
  rmSync(work, { recursive: true, force: true });
});

/** A private copy of a fixture knowledge base (its cache file is then this test's own). */
function copyOf(fixture: string): string {
  const root = join(work, 'kb');
  cpSync(join(FIXTURES, fixture), root, { recursive: true });
  return root;
}

/** Count calls of every file-local rule's per-document check (the real check still runs). */
function spyOnFileRules(): { calls: () => { rule: string; file: string }[] } {
  const calls: { rule: string; file: string }[] = [];
  for (const rule of FILE_RULES as Required<Rule>[]) {
    const original = rule.checkDocument;
    vi.spyOn(rule, 'checkDocument').mockImplementation((doc, context) => {
      calls.push({ rule: rule.code, file: doc.file });
      return original(doc, context);
    });
  }
  return { calls: () => calls };
}

async function diagnosticsOf(root: string): Promise<Diagnostic[]> {
  return (await validateKnowledgeBase(root, { now: NOW })).diagnostics;
}

/**
 * The reference: every rule run directly over the loaded knowledge base (`rule.check`). Copies of
 * the rules are not the registered file-local rules, so no finding from parsing is used.
 */
async function directDiagnosticsOf(root: string): Promise<Diagnostic[]> {
  return (await validateKnowledgeBase(root, { now: NOW, rules: RULES.map((rule) => ({ ...rule })) })).diagnostics;
}

describe('file-local rules in the parse cache', () => {
  it('has file-local rules to cache', () => {
    expect(FILE_RULES.map((rule) => rule.code)).toEqual(
      expect.arrayContaining(['sensitive-data', 'published-complete', 'id-matches-filename']),
    );
  });

  for (const fixture of KNOWLEDGE_BASES) {
    it(`${fixture}: a warm run reports exactly what a cold run, an uncached run and the rules run directly report`, async () => {
      const root = copyOf(fixture);
      const spy = spyOnFileRules();
      const cold = await diagnosticsOf(root);
      const checkedCold = spy.calls().length;
      const warm = await diagnosticsOf(root);
      // Nothing changed: no file-local rule ran again.
      expect(spy.calls().length).toBe(checkedCold);
      process.env['HINDSIGHT_PARSE_CACHE'] = '0';
      const uncached = await diagnosticsOf(root);

      const direct = await directDiagnosticsOf(root);

      expect(cold).toStrictEqual(direct);
      expect(warm).toStrictEqual(direct);
      expect(uncached).toStrictEqual(direct);
    });
  }

  it('found something to compare: every file-local rule reports in these fixtures', async () => {
    const codes = new Set<string>();
    for (const fixture of KNOWLEDGE_BASES) {
      for (const d of await diagnosticsOf(copyOf(fixture))) codes.add(d.code);
      rmSync(join(work, 'kb'), { recursive: true, force: true });
    }
    for (const rule of FILE_RULES) expect(codes, rule.code).toContain(rule.code);
  });

  it('checks an edited file again, alone, and changes only its findings', async () => {
    const root = copyOf('rules/sensitive-data');
    const before = await diagnosticsOf(root);
    const edited = 'content/postmortems/INC-2026-001-checkout-pool.md';
    const others = (list: Diagnostic[]) => list.filter((d) => d.file !== edited);
    const secrets = (list: Diagnostic[]) => list.filter((d) => d.file === edited && d.code === 'sensitive-data');

    const spy = spyOnFileRules();
    const text = readFileSync(join(root, edited), 'utf8');
    writeFileSync(join(root, edited), `${text}\nThe leaked key was AKIAZ7QWERTYUIOPASDF, rotated since.\n`);
    const after = await diagnosticsOf(root);

    // Each file-local rule ran once, on the edited file only.
    expect(spy.calls()).toEqual(FILE_RULES.map((rule) => ({ rule: rule.code, file: edited })));
    expect(others(after)).toStrictEqual(others(before));
    expect(secrets(after)).toHaveLength(secrets(before).length + 1);
    expect(secrets(after).find((d) => d.found?.startsWith('"AKIA'))?.message).toBe(
      'possible AWS access key ID in a published document',
    );

    // And the edit back: the cache now answers with the new findings, and nothing runs.
    const again = await diagnosticsOf(root);
    expect(again).toStrictEqual(after);
    expect(spy.calls()).toHaveLength(FILE_RULES.length);
  });

  it('places findings at the positions worked out while parsing exactly where the YAML puts them', async () => {
    let checked = 0;
    for (const fixture of ['broken-kb', 'rules/action-item-overdue', 'rules/playbook-stale']) {
      const root = copyOf(fixture);
      await loadKnowledgeBase(root); // cold: positions worked out and cached
      const load = await loadKnowledgeBase(root); // warm: positions from the cache
      for (const doc of load.kb.docs) {
        const source = parseFrontmatter(readFileSync(join(root, doc.file), 'utf8'), doc.file).source;
        for (const rule of RULES) {
          for (const path of rule.locatesFields?.(doc) ?? []) {
            expect(load.locate(doc.file, path), `${doc.file} ${path.join('.')}`).toEqual(
              locateField(source, path, 'value'),
            );
            checked += 1;
          }
        }
      }
      rmSync(root, { recursive: true, force: true });
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('reports a file-local rule that throws as an internal error, and does not cache its silence', async () => {
    const root = copyOf('rules/sensitive-data');
    const rule = FILE_RULES.find((r) => r.code === 'sensitive-data') as Required<Rule>;
    const original = rule.checkDocument;
    const broken = vi.spyOn(rule, 'checkDocument').mockImplementation(() => {
      throw new Error('boom');
    });
    const failed = await diagnosticsOf(root);
    expect(failed.filter((d) => d.code === 'internal-error').map((d) => d.message)).toEqual([
      'rule "sensitive-data" failed: boom',
    ]);
    expect(failed.some((d) => d.code === 'sensitive-data')).toBe(false);

    // Fixed (a new version): the same files, warm, report the findings again.
    broken.mockImplementation(original);
    const fixed = await diagnosticsOf(root);
    expect(fixed.some((d) => d.code === 'internal-error')).toBe(false);
    expect(fixed.some((d) => d.code === 'sensitive-data')).toBe(true);
  });
});
