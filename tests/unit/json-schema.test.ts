/**
 * The exported JSON Schema is generated from the zod schemas and the taxonomy, never edited by
 * hand. The committed copies in public/schema/ must match what `hindsight schema` generates
 * now (like changesets' config json-schema.test.ts), so a schema change without a regeneration
 * fails here, and editors never autocomplete stale values.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTaxonomyFile } from '../../src/kb/load.ts';
import {
  createJsonSchemas,
  JSON_SCHEMA_DIR,
  JSON_SCHEMA_NAMES,
  renderJsonSchemaFiles,
} from '../../src/schema/json-schema.ts';
import { TAXONOMY as SMALL_TAXONOMY } from '../helpers/kb.ts';
import { hindsight, kbdir, listFiles, REPO, TAXONOMY } from './cli-testdir.ts';

function taxonomyOf(text: string) {
  const parsed = parseTaxonomyFile(text);
  if (!parsed.taxonomy) throw new Error(JSON.stringify(parsed.diagnostics));
  return parsed.taxonomy;
}

describe('committed JSON Schema files', () => {
  it.each(renderJsonSchemaFiles(taxonomyOf(TAXONOMY)).map((f) => [f.file, f.text] as const))(
    '%s matches the schemas (run `npx hindsight schema` after changing src/schema or the taxonomy)',
    (file, expected) => {
      const committed = readFileSync(join(REPO, JSON_SCHEMA_DIR, file), 'utf8');
      expect(committed).toBe(expected);
    },
  );
});

describe('generated JSON Schema', () => {
  const schemas = createJsonSchemas(taxonomyOf(TAXONOMY));

  it('describes what authors may write: required fields, no unknown keys, defaults optional', () => {
    const pm = schemas.postmortem as {
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, { description?: string }>;
    };
    expect(pm.additionalProperties).toBe(false);
    expect(pm.required).toEqual(
      expect.arrayContaining([
        'id',
        'title',
        'status',
        'summary',
        'severity',
        'category',
        'trigger',
        'services',
        'started',
        'detection',
        'impact',
        'authors',
      ]),
    );
    // Fields with defaults (tags, action_items, …) may be left out.
    expect(pm.required).not.toContain('tags');
    expect(pm.required).not.toContain('action_items');
    // Every field carries its description, which editors show on hover.
    for (const [name, property] of Object.entries(pm.properties))
      expect({ name, description: typeof property.description }).toEqual({ name, description: 'string' });
  });

  it('takes its enums from the taxonomy, so another organisation gets its own values', () => {
    const small = createJsonSchemas(taxonomyOf(SMALL_TAXONOMY));
    const severity = (s: Record<string, unknown>) =>
      (s['properties'] as Record<string, { enum?: string[] }>)['severity']?.enum;
    expect(severity(schemas.postmortem)).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4']);
    expect(severity(small.postmortem)).toEqual(['SEV1', 'SEV2']);
    const services = (small.playbook['properties'] as Record<string, { items?: { enum?: string[] } }>)['services']
      ?.items?.enum;
    expect(services).toEqual(['checkout-api', 'orders-db']);
  });

  it('covers all four files', () => {
    expect(Object.keys(schemas).sort()).toEqual([...JSON_SCHEMA_NAMES].sort());
    expect(schemas.taxonomy['title']).toMatch(/taxonomy/i);
  });
});

describe('hindsight schema', () => {
  it('writes the four files under public/schema, then reports them unchanged', () => {
    const root = kbdir();
    const first = hindsight(['schema'], root);
    expect(first.code).toBe(0);
    expect(listFiles(root)).toEqual([
      'content/taxonomy.yaml',
      'public/schema/path.schema.json',
      'public/schema/playbook.schema.json',
      'public/schema/postmortem.schema.json',
      'public/schema/taxonomy.schema.json',
    ]);
    expect(first.stdout).toMatch(/public\/schema\/postmortem\.schema\.json {2}written/);
    // The bundled taxonomy gives exactly the committed files.
    expect(readFileSync(join(root, 'public/schema/postmortem.schema.json'), 'utf8')).toBe(
      readFileSync(join(REPO, 'public/schema/postmortem.schema.json'), 'utf8'),
    );
    const second = hindsight(['schema'], root);
    expect(second.stdout).toMatch(/postmortem\.schema\.json {2}unchanged/);
  });

  it('--out writes elsewhere; --check exits 1 on drift and writes nothing', () => {
    const root = kbdir();
    expect(hindsight(['schema', '--out', 'editor'], root).code).toBe(0);
    expect(hindsight(['schema', '--out', 'editor', '--check'], root).code).toBe(0);
    const file = join(root, 'editor/playbook.schema.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"SEV1"', '"SEV0"').replace('software-bug', 'bug'));
    const drifted = readFileSync(file, 'utf8');
    const check = hindsight(['schema', '--out', 'editor', '--check'], root);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/Out of date[\s\S]*editor\/playbook\.schema\.json/);
    expect(readFileSync(file, 'utf8')).toBe(drifted);
    expect(hindsight(['schema', '--check'], root).code).toBe(1); // public/schema was never written
  });

  it('refuses an invalid taxonomy (exit 1) and bad usage (exit 2), writing nothing', () => {
    const root = kbdir({ 'content/taxonomy.yaml': TAXONOMY.replace('rank: 1', 'rank: first') });
    const run = hindsight(['schema'], root);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/content\/taxonomy\.yaml:\d+:\d+/);
    expect(listFiles(root)).toEqual(['content/taxonomy.yaml']);
    const typo = hindsight(['schema', '--outt', 'x'], root);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/did you mean --out\?/);
    expect(hindsight(['schema', 'extra'], root).code).toBe(2);
  });
});

describe('editor settings (.vscode/)', () => {
  // VS Code settings are JSON with comments; only whole-line comments are used there.
  const settings = JSON.parse(
    readFileSync(join(REPO, '.vscode/settings.json'), 'utf8')
      .split('\n')
      .filter((line) => !line.trim().startsWith('//'))
      .join('\n'),
  ) as Record<string, unknown>;

  it('map every YAML schema to a committed file and to files that exist', () => {
    const schemas = settings['yaml.schemas'] as Record<string, string[]>;
    expect(Object.keys(schemas).length).toBeGreaterThan(0);
    for (const [schema, globs] of Object.entries(schemas)) {
      expect(existsSync(join(REPO, schema))).toBe(true);
      for (const glob of globs) if (!glob.includes('*')) expect(existsSync(join(REPO, glob))).toBe(true);
    }
  });

  it('turn on frontmatter IntelliSense for content collections and recommend the extensions', () => {
    expect(settings['astro.content-intellisense']).toBe(true);
    const extensions = JSON.parse(readFileSync(join(REPO, '.vscode/extensions.json'), 'utf8')) as {
      recommendations: string[];
    };
    for (const id of ['astro-build.astro-vscode', 'redhat.vscode-yaml'])
      expect(extensions.recommendations).toContain(id);
  });
});
