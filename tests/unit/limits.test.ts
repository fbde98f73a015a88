/**
 * The ceiling: a knowledge base too large for one Astro site is told so, with the way out
 * (sharding), before the build fails deep inside Astro with "Invalid string length".
 */
import { describe, expect, it } from 'vitest';
import { assertDocumentLimit, checkDocumentLimit, MAX_CONTENT_BYTES, MAX_DOCUMENTS } from '../../src/kb/limits.ts';

const typicalBytes = (documents: number) => documents * 4_700;

describe('document limit', () => {
  it('says nothing for an ordinary knowledge base', () => {
    expect(checkDocumentLimit({ documents: 10_100, bytes: typicalBytes(10_100) })).toBeUndefined();
  });

  it('warns when a knowledge base gets close to the limit', () => {
    const near = checkDocumentLimit({ documents: Math.ceil(MAX_DOCUMENTS * 0.85), bytes: typicalBytes(1000) });
    expect(near).toMatchObject({ code: 'near-document-limit', severity: 'warning' });
    expect(near?.hint).toMatch(/shard|split/i);
  });

  it('refuses too many documents, naming the limit and how to shard', () => {
    const over = checkDocumentLimit({ documents: MAX_DOCUMENTS + 1, bytes: typicalBytes(MAX_DOCUMENTS + 1) });
    expect(over).toMatchObject({ code: 'too-many-documents', severity: 'error', file: 'content' });
    expect(over?.expected).toContain(MAX_DOCUMENTS.toLocaleString('en-US'));
    expect(over?.hint).toMatch(/Pagefind/);
  });

  it('refuses fewer but much longer documents that would fill the content store as fast', () => {
    expect(checkDocumentLimit({ documents: 5_000, bytes: MAX_CONTENT_BYTES + 1 })?.severity).toBe('error');
  });

  it('throws a readable error for the site build, and nothing below the limit', () => {
    expect(() => {
      assertDocumentLimit({ documents: 100, bytes: 100_000 });
    }).not.toThrow();
    expect(() => {
      assertDocumentLimit({ documents: MAX_DOCUMENTS * 2, bytes: typicalBytes(MAX_DOCUMENTS * 2) });
    }).toThrow(/too large to build as one site[\s\S]*Pagefind/);
  });
});
