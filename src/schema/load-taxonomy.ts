/**
 * Parse `content/taxonomy.yaml` text into a validated taxonomy. Pure: the caller reads the file.
 * YAML 1.2 core schema (no custom tags, no timestamps), alias expansion capped.
 */
import { parse } from 'yaml';
import { taxonomySchema, type Taxonomy } from './taxonomy.ts';

export type TaxonomyResult =
  | { ok: true; taxonomy: Taxonomy }
  | { ok: false; error: string; issues: { path: (string | number)[]; message: string }[] };

export function parseTaxonomyText(text: string): TaxonomyResult {
  let raw: unknown;
  try {
    raw = parse(text, { maxAliasCount: 100, uniqueKeys: true, prettyErrors: true });
  } catch (error) {
    return { ok: false, error: `invalid YAML: ${(error as Error).message}`, issues: [] };
  }
  const result = taxonomySchema.safeParse(raw);
  if (result.success) return { ok: true, taxonomy: result.data };
  return {
    ok: false,
    error: 'taxonomy does not match its schema',
    issues: result.error.issues.map((i) => ({
      path: i.path.filter((p): p is string | number => typeof p !== 'symbol'),
      message: i.message,
    })),
  };
}
