import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSchemas } from '../../src/schema/index.ts';
import {
  loadKnowledgeBase,
  MAX_CHARACTER_REFERENCES,
  MAX_EMPHASIS_MARKERS,
  MAX_FILE_BYTES,
  parseDocumentFile,
  parseTaxonomyFile,
} from '../../src/kb/load.ts';
import { testdir } from '../helpers/testdir.ts';
import { playbook, postmortem, TAXONOMY, validKb } from '../helpers/kb.ts';

const taxonomy = parseTaxonomyFile(TAXONOMY).taxonomy;
if (!taxonomy) throw new Error('test taxonomy is invalid');
const schemas = createSchemas(taxonomy);
const bytes = (text: string) => new TextEncoder().encode(text);

describe('parseDocumentFile', () => {
  it('loads a valid document with its kind, id, body position and links', () => {
    const result = parseDocumentFile(
      'content/postmortems/INC-2026-001-x.md',
      bytes(postmortem({}, '## Summary\n\nSee [[pool-exhaustion]].\n')),
      schemas,
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.doc).toMatchObject({
      kind: 'postmortem',
      id: 'INC-2026-001',
      file: 'content/postmortems/INC-2026-001-x.md',
    });
    const link = result.doc?.info.links[0];
    expect(link).toMatchObject({ syntax: 'wiki', target: 'pool-exhaustion' });
    expect(link?.position.line).toBe((result.doc?.bodyLine ?? 0) + 2);
  });

  it('takes the kind from the folder, nested folders included', () => {
    const result = parseDocumentFile('content/playbooks/databases/pool-exhaustion.md', bytes(playbook()), schemas);
    expect(result.doc?.kind).toBe('playbook');
  });

  it('rejects a document that fails its schema, keeping the id it claims', () => {
    const result = parseDocumentFile(
      'content/postmortems/INC-2026-001-x.md',
      bytes(postmortem({ severity: 'SEV7' })),
      schemas,
    );
    expect(result.doc).toBeUndefined();
    expect(result.rejected).toEqual({
      kind: 'postmortem',
      file: 'content/postmortems/INC-2026-001-x.md',
      id: 'INC-2026-001',
    });
    expect(result.diagnostics).toMatchObject([{ code: 'schema', field: 'severity', line: 6, column: 11 }]);
  });

  it('reports empty, binary and invalid UTF-8 files', () => {
    const file = 'content/postmortems/x.md';
    expect(parseDocumentFile(file, new Uint8Array(), schemas).diagnostics).toMatchObject([{ code: 'file-empty' }]);
    expect(parseDocumentFile(file, new Uint8Array([0x89, 0x50, 0, 0]), schemas).diagnostics).toMatchObject([
      { code: 'binary-file' },
    ]);
    const invalid = new Uint8Array([...bytes('---\nid: x\n---\nab'), 0xc3, 0x28]);
    expect(parseDocumentFile(file, invalid, schemas).diagnostics).toMatchObject([
      { code: 'invalid-utf8', line: 4, column: 3 },
    ]);
  });

  it('finds a NUL byte anywhere in the file, and says on which line', () => {
    const text = postmortem({}, `## Summary\n\n${'Plenty of text before it.\n'.repeat(1000)}Then é\u0000 here.\n`);
    const nul = text.indexOf('\u0000');
    expect(nul).toBeGreaterThan(8192);
    const line = text.slice(0, nul).split('\n').length;
    expect(parseDocumentFile('content/postmortems/INC-2026-001-x.md', bytes(text), schemas).diagnostics).toMatchObject([
      { code: 'binary-file', line, column: 7 },
    ]);
  });

  it('says UTF-16 text is UTF-16 (not binary), with or without a byte-order mark', () => {
    const text = postmortem();
    const le = Buffer.from(`\uFEFF${text}`, 'utf16le');
    const be = Buffer.from(Buffer.from(text, 'utf16le').map((_, i, all) => all[i ^ 1] ?? 0));
    for (const [encoded, order] of [
      [le, 'little-endian'],
      [be, 'big-endian'],
    ] as const) {
      const { diagnostics } = parseDocumentFile('content/postmortems/INC-2026-001-x.md', encoded, schemas);
      expect(diagnostics).toMatchObject([
        { code: 'invalid-utf8', line: 1, message: 'UTF-16 text: save the file as UTF-8', found: `UTF-16 (${order})` },
      ]);
    }
  });

  it('refuses a body quoted too deeply before the Markdown parser sees it', () => {
    const result = parseDocumentFile(
      'content/playbooks/pool-exhaustion.md',
      bytes(playbook({}, `${'> '.repeat(200)}x\n`)),
      schemas,
    );
    expect(result.doc).toBeUndefined();
    // The playbook's frontmatter takes lines 1-12, so the body (and the deep quote) starts on line 13.
    expect(result.diagnostics).toMatchObject([{ code: 'markdown-too-deep', line: 13 }]);
  });

  it('refuses a paragraph crowded with emphasis markers, but not the same text in a code block', () => {
    const crowded = `Intro.\n\n${'*a_ '.repeat(MAX_EMPHASIS_MARKERS / 2 + 1)}\n`;
    const result = parseDocumentFile('content/playbooks/pool-exhaustion.md', bytes(playbook({}, crowded)), schemas);
    expect(result.doc).toBeUndefined();
    expect(result.diagnostics).toMatchObject([{ code: 'markdown-too-complex', line: 15 }]);
    const fenced = `Intro.\n\n\`\`\`\n${'*a_ '.repeat(MAX_EMPHASIS_MARKERS / 2 + 1)}\n\`\`\`\n`;
    expect(
      parseDocumentFile('content/playbooks/pool-exhaustion.md', bytes(playbook({}, fenced)), schemas).doc,
    ).toBeDefined();
    const snake = `${'snake_case_word '.repeat(MAX_EMPHASIS_MARKERS)}\n`;
    expect(
      parseDocumentFile('content/playbooks/pool-exhaustion.md', bytes(playbook({}, snake)), schemas).doc,
    ).toBeDefined();
  });

  it('refuses a paragraph with thousands of character references (the parser would blow up)', () => {
    const many = `Intro.\n\n${'a &amp; b &#38;\n'.repeat(MAX_CHARACTER_REFERENCES / 2 + 1)}`;
    const result = parseDocumentFile('content/playbooks/pool-exhaustion.md', bytes(playbook({}, many)), schemas);
    expect(result.diagnostics).toMatchObject([{ code: 'markdown-too-complex', line: 15 }]);
    expect(result.diagnostics[0]?.message).toContain('character references');
    const separate = 'a &amp; b &#38;\n\n'.repeat(MAX_CHARACTER_REFERENCES);
    const ok = parseDocumentFile('content/playbooks/pool-exhaustion.md', bytes(playbook({}, separate)), schemas);
    expect(ok.diagnostics).toEqual([]);
  });

  it('returns diagnostics and never throws, for any bytes (property)', () => {
    const header = fc.constantFrom('', '---\n', '---\nid: x\n---\n', '\uFEFF---\r\n', '---js\n', '+++\n');
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 2048 }), fc.string({ maxLength: 400 }), (head, raw, text) => {
        for (const input of [raw, bytes(head + text), new Uint8Array([...bytes(head), ...raw])]) {
          const result = parseDocumentFile('content/postmortems/INC-2026-001.md', input, schemas);
          expect(Array.isArray(result.diagnostics)).toBe(true);
          // Exactly one of: a document, or a rejection with at least one error.
          if (result.doc) expect(result.diagnostics).toEqual([]);
          else expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('loadKnowledgeBase', () => {
  it('loads every document and sorts them by file', async () => {
    const { kb, diagnostics, files } = await loadKnowledgeBase(testdir(validKb()));
    expect(diagnostics).toEqual([]);
    expect(files).toEqual([
      'content/paths/first-week.md',
      'content/playbooks/pool-exhaustion.md',
      'content/postmortems/INC-2026-001-checkout-pool.md',
    ]);
    expect(kb.docs.map((d) => d.id)).toEqual(['first-week', 'pool-exhaustion', 'INC-2026-001']);
    expect(kb.byId.get('pool-exhaustion')?.kind).toBe('playbook');
  });

  it('lists documents that failed in `rejected` and leaves them out of the knowledge base', async () => {
    const root = testdir({ ...validKb(), 'content/playbooks/broken.md': playbook({ id: 'broken', owners: [] }) });
    const { kb, rejected, diagnostics } = await loadKnowledgeBase(root);
    expect(kb.byId.has('broken')).toBe(false);
    expect(rejected).toEqual([{ kind: 'playbook', file: 'content/playbooks/broken.md', id: 'broken' }]);
    expect(diagnostics).toMatchObject([{ code: 'schema', file: 'content/playbooks/broken.md', field: 'owners' }]);
  });

  it('maps frontmatter fields to file positions through `locate`', async () => {
    const { locate } = await loadKnowledgeBase(testdir(validKb()));
    expect(locate('content/postmortems/INC-2026-001-checkout-pool.md', ['action_items', 0, 'due'])).toEqual({
      line: 24,
      column: 10,
    });
    expect(locate('content/nope.md', ['id'])).toEqual({ line: 1, column: 1 });
  });

  it('refuses files over the size limit without reading them', async () => {
    const huge = postmortem() + 'x'.repeat(MAX_FILE_BYTES);
    const { diagnostics, rejected } = await loadKnowledgeBase(
      testdir({ ...validKb(), 'content/postmortems/INC-2026-002-huge.md': huge }),
    );
    expect(diagnostics).toMatchObject([
      { code: 'file-too-large', file: 'content/postmortems/INC-2026-002-huge.md', line: 1 },
    ]);
    expect(diagnostics[0]?.message).toContain('1 MiB limit');
    expect(rejected).toEqual([{ kind: 'postmortem', file: 'content/postmortems/INC-2026-002-huge.md' }]);
  });

  it('refuses symbolic links that lead outside content/, follows those that stay inside', async () => {
    const outside = testdir({ 'secret.md': postmortem({ id: 'INC-2026-009', title: 'Outside the knowledge base' }) });
    const root = testdir(validKb());
    symlinkSync(join(outside, 'secret.md'), join(root, 'content/postmortems/INC-2026-009-link.md'));
    symlinkSync(join(root, 'content/playbooks/pool-exhaustion.md'), join(root, 'content/playbooks/alias.md'));
    symlinkSync(outside, join(root, 'content/playbooks/outside-folder'));
    symlinkSync(join(root, 'content/paths'), join(root, 'content/playbooks/inside-folder'));
    symlinkSync(join(root, 'nowhere.md'), join(root, 'content/playbooks/dangling.md'));
    const { kb, diagnostics } = await loadKnowledgeBase(root);
    expect(kb.byId.has('INC-2026-009')).toBe(false);
    expect(diagnostics.map((d) => [d.code, d.file]).sort((a, b) => String(a[1]).localeCompare(String(b[1])))).toEqual([
      ['file-unreadable', 'content/playbooks/dangling.md'],
      ['symlink-folder', 'content/playbooks/inside-folder'],
      ['symlink-outside', 'content/playbooks/outside-folder'],
      ['symlink-outside', 'content/postmortems/INC-2026-009-link.md'],
    ]);
    // The inside link is loaded (and unique-id will name both files).
    expect(kb.docs.filter((d) => d.id === 'pool-exhaustion').map((d) => d.file)).toEqual([
      'content/playbooks/alias.md',
      'content/playbooks/pool-exhaustion.md',
    ]);
  });

  it('follows a taxonomy link inside content/, and names one leading outside as such (not ELOOP)', async () => {
    const inside = testdir({ ...validKb(), 'content/shared/taxonomy.yaml': TAXONOMY });
    rmSync(join(inside, 'content/taxonomy.yaml'));
    symlinkSync(join(inside, 'content/shared/taxonomy.yaml'), join(inside, 'content/taxonomy.yaml'));
    expect((await loadKnowledgeBase(inside)).diagnostics).toEqual([]);

    const elsewhere = testdir({ 'taxonomy.yaml': TAXONOMY });
    const outside = testdir(validKb());
    rmSync(join(outside, 'content/taxonomy.yaml'));
    symlinkSync(join(elsewhere, 'taxonomy.yaml'), join(outside, 'content/taxonomy.yaml'));
    const { diagnostics } = await loadKnowledgeBase(outside);
    expect(diagnostics[0]).toMatchObject({ code: 'symlink-outside', file: 'content/taxonomy.yaml', line: 1 });
    expect(diagnostics[0]?.message).toContain('leading outside content/');
    expect(JSON.stringify(diagnostics)).not.toContain('ELOOP');

    const dangling = testdir(validKb());
    rmSync(join(dangling, 'content/taxonomy.yaml'));
    symlinkSync(join(dangling, 'nowhere.yaml'), join(dangling, 'content/taxonomy.yaml'));
    expect((await loadKnowledgeBase(dangling)).diagnostics[0]).toMatchObject({
      code: 'file-unreadable',
      message: 'the symbolic link points to nothing',
    });
  });

  it('lists the other files under content/ as assets (for image checks), never documents', async () => {
    const outside = testdir({ 'secret.png': 'x' });
    const root = testdir({
      ...validKb(),
      'content/postmortems/img/latency.png': 'png',
      'content/images/shared/diagram.svg': '<svg/>',
      'content/images/notes.md': '# not a document',
      'content/images/.hidden.png': 'x',
      'content/logo.png': 'png',
    });
    symlinkSync(join(outside, 'secret.png'), join(root, 'content/images/secret.png'));
    const { assets, diagnostics, files } = await loadKnowledgeBase(root);
    expect(assets).toEqual([
      'content/images/shared/diagram.svg',
      'content/logo.png',
      'content/postmortems/img/latency.png',
    ]);
    // An image next to the documents is expected there: no "ignored file" warning.
    expect(diagnostics).toEqual([]);
    expect(files).not.toContain('content/images/notes.md');
  });

  it('does not hang on a named pipe', async () => {
    const root = testdir(validKb());
    execFileSync('mkfifo', [join(root, 'content/postmortems/INC-2026-003-pipe.md')]);
    const { diagnostics } = await loadKnowledgeBase(root);
    expect(diagnostics).toMatchObject([{ code: 'file-unreadable', file: 'content/postmortems/INC-2026-003-pipe.md' }]);
  });

  it('handles odd file names: other extensions, hidden files, spaces and uppercase', async () => {
    const root = testdir({
      ...validKb(),
      'content/postmortems/INC-2026-004.MD': postmortem({ id: 'INC-2026-004' }),
      'content/postmortems/.INC-2026-005.md': postmortem({ id: 'INC-2026-005' }),
      'content/postmortems/diagram.png': 'an image: an asset, not a stray file',
      'content/postmortems/notes.txt': 'a stray file',
      'content/playbooks/Retry Storm.md': playbook({ id: 'retry-storm' }),
    });
    mkdirSync(join(root, 'content/playbooks/.git'));
    writeFileSync(join(root, 'content/playbooks/.git/HEAD.md'), 'ignored');
    const { kb, diagnostics } = await loadKnowledgeBase(root);
    expect(diagnostics.map((d) => [d.code, d.severity, d.file])).toEqual([
      ['ignored-file', 'warning', 'content/postmortems/.INC-2026-005.md'],
      ['not-markdown-extension', 'error', 'content/postmortems/INC-2026-004.MD'],
      ['ignored-file', 'warning', 'content/postmortems/notes.txt'],
    ]);
    // Loaded; the id-matches-filename rule reports the name.
    expect(kb.byId.get('retry-storm')?.file).toBe('content/playbooks/Retry Storm.md');
  });

  it('reports a missing or invalid taxonomy with positions, and does not check documents against a schema', async () => {
    const missing = testdir({ 'content/postmortems/INC-2026-001-x.md': postmortem() });
    expect((await loadKnowledgeBase(missing)).diagnostics.map((d) => d.code)).toEqual([
      'taxonomy-missing',
      'taxonomy-invalid',
    ]);
    const invalid = testdir({
      ...validKb(),
      'content/taxonomy.yaml': TAXONOMY.replace('  - id: SEV2', '  - id: SEV1'),
    });
    const { diagnostics, kb } = await loadKnowledgeBase(invalid);
    expect(diagnostics).toMatchObject([
      { code: 'schema', file: 'content/taxonomy.yaml', line: 20, column: 9, field: 'severities[1].id' },
      {
        code: 'taxonomy-invalid',
        message: '3 documents were not checked against their schema because the taxonomy is invalid',
      },
    ]);
    expect(kb.docs).toEqual([]);
  });
});
