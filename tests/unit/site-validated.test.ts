/**
 * The build gate hands what it validated to the pages (`src/site/validated.ts`): a page may reuse
 * a document's analysis only for the same knowledge base, the same file and the very same body.
 */
import { describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../src/kb/load.ts';
import { shareValidatedDocs, validatedDoc } from '../../src/site/validated.ts';
import { resolve } from 'node:path';

describe('validated documents handed to the pages', () => {
  it('reuses a document only for the same root, file and body', async () => {
    const root = resolve('tests/fixtures/site-kb');
    const { kb } = await loadKnowledgeBase(root);
    const doc = kb.docs[0];
    if (!doc) throw new Error('fixture has no documents');
    shareValidatedDocs(root, kb.docs);
    expect(validatedDoc(root, doc.file, doc.body)).toBe(doc);
    // An edited body (the dev server, or a file changed mid-build) is analysed afresh.
    expect(validatedDoc(root, doc.file, `${doc.body}\nedited`)).toBeUndefined();
    expect(validatedDoc(resolve('content'), doc.file, doc.body)).toBeUndefined();
    expect(validatedDoc(root, 'content/postmortems/missing.md', doc.body)).toBeUndefined();
  });
});
