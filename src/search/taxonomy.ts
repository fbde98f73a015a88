/**
 * The knowledge base's taxonomy for search rendering (severity ranks for sorting, labels for
 * chips), read once per build with the same file and parser as the content collections.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { knowledgeBaseRoot } from '../kb/root.ts';
import { parseTaxonomyText, TAXONOMY_FILE, type Taxonomy } from '../schema/index.ts';

let cached: Taxonomy | undefined;

/**
 * The taxonomy of the knowledge base being built. An invalid taxonomy has already failed the
 * build in `src/content.config.ts`; this throws the same message if it is reached anyway.
 */
export function searchTaxonomy(): Taxonomy {
  if (cached) return cached;
  const result = parseTaxonomyText(readFileSync(join(knowledgeBaseRoot(), TAXONOMY_FILE), 'utf8'));
  if (!result.ok) throw new Error(`${TAXONOMY_FILE}: ${result.error}; run \`npx hindsight validate\` for details`);
  cached = result.taxonomy;
  return cached;
}

/** Display labels for filter values, as the search page embeds them for the client. */
export function searchLabels(taxonomy: Taxonomy) {
  return {
    values: {
      kind: { postmortem: 'Postmortem', playbook: 'Playbook', path: 'Onboarding path' },
      category: Object.fromEntries(taxonomy.categories.map((c) => [c.id, c.label])),
      severity: Object.fromEntries(taxonomy.severities.map((s) => [s.id, s.label])),
      service: Object.fromEntries(taxonomy.services.map((s) => [s.id, s.name])),
      status: { published: 'Published', 'in-review': 'In review', draft: 'Draft' },
    },
    severityRank: Object.fromEntries(taxonomy.severities.map((s) => [s.id, s.rank])),
  };
}
