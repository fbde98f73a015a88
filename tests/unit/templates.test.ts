/**
 * The templates in templates/: each has every frontmatter field of its kind and the required
 * sections, carries the guidance it promises, and scaffolds (through the real `hindsight new`)
 * into a draft that `hindsight validate` accepts with no errors and no warnings.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, isMap, isScalar } from 'yaml';
import { describe, expect, it } from 'vitest';
import { analyzeBody } from '../../src/kb/markdown.ts';
import { createSchemas, REQUIRED_SECTIONS, type Kind } from '../../src/schema/index.ts';
import { parseTaxonomyFile } from '../../src/kb/load.ts';
import { validateKnowledgeBase } from '../../src/kb/validate.ts';
import { hindsight, kbdir, NODE, REPO, TAXONOMY } from './cli-testdir.ts';

const KINDS: Kind[] = ['postmortem', 'playbook', 'path'];

function bundledTaxonomy() {
  const { taxonomy } = parseTaxonomyFile(TAXONOMY);
  if (!taxonomy) throw new Error('the bundled taxonomy is invalid');
  return taxonomy;
}
const NOW = '2026-03-04';

function template(kind: Kind) {
  const text = readFileSync(join(REPO, 'templates', `${kind}.md`), 'utf8');
  const match = /^---\n([\s\S]*?\n)---\n/.exec(text);
  if (!match) throw new Error(`templates/${kind}.md has no frontmatter`);
  const bodyLine = (match[0].match(/\n/g) ?? []).length + 1;
  return { text, yaml: match[1] ?? '', body: text.slice(match[0].length), bodyLine };
}

/** Keys written in a YAML mapping, nested mappings as `parent.child`. */
function keysOf(yamlText: string): string[] {
  const doc = parseDocument(yamlText);
  const out: string[] = [];
  const walk = (node: unknown, prefix: string) => {
    if (!isMap(node)) return;
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      out.push(prefix + key);
      walk(pair.value, `${prefix}${key}.`);
    }
  };
  walk(doc.contents, '');
  return out;
}

describe.each(KINDS)('templates/%s.md', (kind) => {
  const schemas = createSchemas(bundledTaxonomy());

  it('lists every frontmatter field of its kind', () => {
    const shape = schemas[kind].shape as Record<
      string,
      {
        _zod: {
          def: {
            type: string;
            shape?: Record<string, unknown>;
            innerType?: { _zod: { def: { shape?: Record<string, unknown> } } };
          };
        };
      }
    >;
    const expected: string[] = [];
    for (const [key, field] of Object.entries(shape)) {
      expected.push(key);
      const nested = field._zod.def.shape;
      if (nested) for (const child of Object.keys(nested)) expected.push(`${key}.${child}`);
    }
    expect(keysOf(template(kind).yaml).sort()).toEqual(expected.sort());
  });

  it('has the required sections as level-2 headings', () => {
    const { body, bodyLine } = template(kind);
    const headings = analyzeBody(body, bodyLine)
      .headings.filter((h) => h.depth === 2)
      .map((h) => h.text);
    for (const section of REQUIRED_SECTIONS[kind]) expect(headings).toContain(section);
  });

  it('scaffolds a draft that validates with no errors and no warnings', async () => {
    // A path needs a document to point at: scaffold a playbook first.
    const root = kbdir();
    if (kind === 'path') expect(hindsight(['new', 'playbook', 'Retry storm', '--now', NOW], root).code).toBe(0);
    const run = hindsight(['new', kind, `A ${kind} made from the template`, '--now', NOW], root);
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    const file = run.stdout.trim();
    expect(file).toMatch(new RegExp(`^content/${kind}s/`));
    const { diagnostics, kb } = await validateKnowledgeBase(root, { now: new Date(`${NOW}T12:00:00Z`) });
    expect(diagnostics).toEqual([]);
    const doc = kb.docs.find((d) => d.file === file);
    expect(doc?.data.status).toBe('draft');
    // It passes the Markdown lint `npm run check` runs over content/.
    const lint = spawnSync(
      NODE,
      [
        join(REPO, 'node_modules/.bin/markdownlint-cli2'),
        '--config',
        join(REPO, 'tests/content.markdownlint-cli2.jsonc'),
        file,
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(lint.stderr).not.toMatch(/error/);
    expect(lint.status).toBe(0);
    // Required sections survive scaffolding.
    const headings = doc?.info.headings.filter((h) => h.depth === 2).map((h) => h.text) ?? [];
    for (const section of REQUIRED_SECTIONS[kind]) expect(headings).toContain(section);
  });
});

describe('templates/postmortem.md guidance', () => {
  const { text } = template('postmortem');

  it('explains how to classify, with a one-line test for every real category', () => {
    const taxonomy = bundledTaxonomy();
    for (const category of taxonomy.categories.filter((c) => !c.draft_only)) {
      expect(text).toMatch(new RegExp(`^- ${category.id}: .{20,}$`, 'm'));
    }
  });

  it('asks for blameless writing, contributing factors and luck', () => {
    expect(text).toMatch(/Blameless/);
    expect(text).toMatch(/Rarely one root cause/);
    expect(text).toMatch(/## Where we got lucky/);
    expect(text).toMatch(/## What went well/);
  });
});
