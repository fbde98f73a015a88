import { describe, expect, it } from 'vitest';
import { analyzeBody } from '../../src/kb/markdown.ts';
import { createLinkIndex, resolveLink } from '../../src/kb/links.ts';

describe('analyzeBody', () => {
  it('finds wiki links and relative Markdown links with file positions, and ignores code', () => {
    const body =
      'Intro\n\nSee [[retry-storm|storms]] and [pool](../playbooks/pool.md#confirm).\n\n`[[not-a-link]]`\n\n```mermaid\ngraph TD; A-->B\n```\n';
    const info = analyzeBody(body, 5);
    expect(info.links).toEqual([
      { syntax: 'wiki', raw: 'retry-storm', target: 'retry-storm', position: { line: 7, column: 5 } },
      {
        syntax: 'markdown',
        raw: '../playbooks/pool.md#confirm',
        target: '../playbooks/pool.md',
        fragment: 'confirm',
        position: { line: 7, column: 32 },
      },
    ]);
    expect(info.mermaidBlocks).toBe(1);
  });

  it('resolves links against the known documents only', () => {
    const index = createLinkIndex([
      { kind: 'playbook', id: 'pool', file: 'content/playbooks/pool.md' },
      { kind: 'postmortem', id: 'INC-2026-001', file: 'content/postmortems/INC-2026-001.md' },
    ]);
    const from = 'content/postmortems/INC-2026-001.md';
    const links = analyzeBody('[[pool]] [x](../playbooks/pool.md) [[missing]] [y](../../../etc/passwd.md)').links;
    expect(links.map((link) => resolveLink(link, from, index))).toEqual([
      { ok: true, target: { kind: 'playbook', id: 'pool' } },
      { ok: true, target: { kind: 'playbook', id: 'pool' } },
      { ok: false, reason: 'unknown-id' },
      { ok: false, reason: 'outside-content' },
    ]);
  });

  it('finds images, inline and by reference, with file positions, and ignores code', () => {
    const body =
      'Intro\n\n![latency](img/latency.png "p99") and [![badge](../b.svg)](x.md)\n\n![by ref][graph] `![no](code.png)`\n\n[graph]: ./graph.png\n[unused]: ./unused.png\n';
    expect(analyzeBody(body, 10).images).toEqual([
      { raw: 'img/latency.png', position: { line: 12, column: 1 } },
      { raw: '../b.svg', position: { line: 12, column: 40 } },
      { raw: './graph.png', position: { line: 14, column: 1 } },
    ]);
  });
});
