/**
 * The README is the newcomer's manual: it must name every frontmatter field, every rule, every
 * CLI command and every npm script that exists. This fails when one is added without docs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'astro/zod';
import { createSchemas, parseTaxonomyText, taxonomySchema } from '../../src/schema/index.ts';
import { RULES } from '../../src/kb/rules/index.ts';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const taxonomy = parseTaxonomyText(readFileSync(new URL('content/taxonomy.yaml', root), 'utf8'));
if (!taxonomy.ok) throw new Error(taxonomy.error);
const schemas = createSchemas(taxonomy.taxonomy);

/** Every key of an object schema, and of the object schemas nested in it (arrays included). */
function keysOf(schema: z.ZodType, prefix = ''): string[] {
  const json = z.toJSONSchema(schema, { io: 'input' }) as { properties?: Record<string, unknown> };
  const out: string[] = [];
  const walk = (node: unknown, path: string) => {
    if (!node || typeof node !== 'object') return;
    const n = node as { properties?: Record<string, unknown>; items?: unknown };
    if (n.items) walk(n.items, path);
    for (const [key, child] of Object.entries(n.properties ?? {})) {
      out.push(`${path}${key}`);
      walk(child, `${path}${key}.`);
    }
  };
  walk(json, prefix);
  return out;
}

describe('README', () => {
  it.each([
    ['postmortem', schemas.postmortem],
    ['playbook', schemas.playbook],
    ['path', schemas.path],
    ['taxonomy', taxonomySchema],
  ] as const)('documents every %s field', (_kind, schema) => {
    const missing = keysOf(schema).filter((key) => !readme.includes(`\`${key.split('.').at(-1)}\``));
    expect(missing).toEqual([]);
  });

  it('documents every validation rule', () => {
    expect(RULES.length).toBeGreaterThan(5);
    expect(RULES.map((r) => r.code).filter((code) => !readme.includes(`\`${code}\``))).toEqual([]);
  });

  it('documents every CLI command and npm script', () => {
    const cli = readFileSync(new URL('scripts/hindsight.ts', root), 'utf8');
    const commands = [...cli.matchAll(/^\s+(\w+): \(\) => import\(/gm)].map((m) => m[1]);
    expect(commands.length).toBeGreaterThan(3);
    expect(commands.filter((c) => !readme.includes(`hindsight ${c}`))).toEqual([]);
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> };
    const scripts = Object.keys(pkg.scripts).filter((s) => !['test', 'start'].includes(s));
    expect(scripts.filter((s) => !readme.includes(s))).toEqual([]);
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
  });
});
