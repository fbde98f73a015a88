/**
 * Astro content collections: one per document kind, loaded with the glob loader from the
 * knowledge base's `content/` folder and validated by the same schemas as the CLI.
 */
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createSchemas, parseTaxonomyText, KINDS, TAXONOMY_FILE } from './schema/index.ts';
import { knowledgeBaseRoot } from './kb/root.ts';

const root = knowledgeBaseRoot();
const taxonomyResult = parseTaxonomyText(readFileSync(join(root, TAXONOMY_FILE), 'utf8'));
if (!taxonomyResult.ok) {
  throw new Error(`${TAXONOMY_FILE}: ${taxonomyResult.error}; run \`npx hindsight validate\` for details`);
}
const schemas = createSchemas(taxonomyResult.taxonomy);

function collectionFor(kind: keyof typeof KINDS) {
  return defineCollection({
    loader: glob({
      pattern: '**/*.md',
      base: pathToFileURL(join(root, 'content', KINDS[kind]) + '/'),
      // The document id from frontmatter is the entry id: links, URLs and search all use it.
      generateId: ({ entry, data }) => (typeof data['id'] === 'string' ? data['id'] : entry.replace(/\.md$/, '')),
    }),
    schema: schemas[kind],
  });
}

export const collections = {
  postmortems: collectionFor('postmortem'),
  playbooks: collectionFor('playbook'),
  paths: collectionFor('path'),
};
