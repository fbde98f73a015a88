/**
 * The site's Markdown pipeline (`src/markdown/index.ts`) as Astro runs it: knowledge-base links
 * become site URLs under the base, dead links are reported with file and line, Mermaid blocks
 * become figures the browser draws.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { markdownToHtml, type Features } from 'satteri';
import { createLinkIndex } from '../../src/kb/links.ts';
import { markdownPipeline, type DeadLink, type LinkableDoc } from '../../src/markdown/index.ts';

const root = mkdtempSync(join(tmpdir(), 'hindsight-md-'));
mkdirSync(join(root, 'content', 'postmortems'), { recursive: true });

const docs: LinkableDoc[] = [
  {
    kind: 'playbook',
    id: 'retry-storm',
    file: 'content/playbooks/retry-storm.md',
    title: 'Retry storm',
    status: 'published',
  },
  {
    kind: 'postmortem',
    id: 'INC-2026-001',
    file: 'content/postmortems/INC-2026-001-x.md',
    title: 'Checkout down',
    status: 'published',
  },
  { kind: 'playbook', id: 'half-done', file: 'content/playbooks/half-done.md', title: 'Half done', status: 'draft' },
];

/** Render a body the way Astro does: frontmatter stripped, file URL and frontmatter passed along. */
async function render(body: string, options: { production?: boolean; status?: string } = {}) {
  const dead: DeadLink[] = [];
  const file = join(root, 'content', 'postmortems', 'INC-2026-002-y.md');
  const frontmatter = `---\nid: INC-2026-002\nstatus: ${options.status ?? 'published'}\n---\n\n`;
  writeFileSync(file, frontmatter + body);
  const pipeline = await markdownPipeline({
    context: () => ({
      root,
      base: '/kb/',
      production: options.production ?? true,
      index: createLinkIndex(docs),
      docs: new Map(docs.map((d) => [d.id, d])),
    }),
    onDeadLink: (d) => dead.push(d),
  });
  const { html } = await markdownToHtml(body, {
    features: (pipeline.features ?? {}) as Features,
    mdastPlugins: pipeline.mdastPlugins ?? [],
    hastPlugins: pipeline.hastPlugins ?? [],
    fileURL: pathToFileURL(file),
    data: {
      astro: {
        frontmatter: { status: options.status ?? 'published' },
        headings: [],
        localImagePaths: new Set(),
        remoteImagePaths: new Set(),
      },
    },
  });
  return { html, dead };
}

describe('knowledge-base links', () => {
  it('turns wiki links into site URLs under the base, labelled with the target title', async () => {
    const { html, dead } = await render(
      'See [[retry-storm]], [[INC-2026-001|the outage]] and [[retry-storm#Mitigate now]].',
    );
    expect(html).toContain('<a href="/kb/playbooks/retry-storm/">Retry storm</a>');
    expect(html).toContain('<a href="/kb/postmortems/INC-2026-001/">the outage</a>');
    expect(html).toContain('<a href="/kb/playbooks/retry-storm/#mitigate-now">Retry storm § Mitigate now</a>');
    expect(dead).toEqual([]);
  });

  it('turns relative .md links into site URLs and leaves other links alone', async () => {
    const { html, dead } = await render(
      '[a](../playbooks/retry-storm.md#confirm) [b](https://example.com/x.md) [c](#local) [d](mailto:a@example.com)',
    );
    expect(html).toContain('<a href="/kb/playbooks/retry-storm/#confirm">a</a>');
    expect(html).toContain('href="https://example.com/x.md"');
    expect(html).toContain('href="#local"');
    expect(dead).toEqual([]);
  });

  it('reports a dead link with its file, line and column, and does not render it as a link', async () => {
    const { html, dead } = await render('First line.\n\nThen [[retry-strom]] and [x](../playbooks/nope.md).\n');
    expect(dead).toEqual([
      {
        file: 'content/postmortems/INC-2026-002-y.md',
        line: 8,
        column: 6,
        link: '[[retry-strom]]',
        reason: 'no document has this id',
      },
      {
        file: 'content/postmortems/INC-2026-002-y.md',
        line: 8,
        column: 26,
        link: '../playbooks/nope.md',
        reason: 'no document at this path',
      },
    ]);
    expect(html).not.toContain('retry-strom"');
    expect(html).toMatch(/<del title="Dead link: no document has this id">retry-strom<\/del>/);
  });

  it('treats a link to an unpublished document as dead in production, but not in the dev server', async () => {
    expect((await render('[[half-done]]')).dead.map((d) => d.reason)).toEqual(['"half-done" is draft, not published']);
    const dev = await render('[[half-done]]', { production: false });
    expect(dev.dead).toEqual([]);
    expect(dev.html).toContain('<a href="/kb/playbooks/half-done/">Half done</a>');
  });

  it('does not report links in documents that are not published (they are not built)', async () => {
    expect((await render('[[nothing-here]]', { status: 'draft' })).dead).toEqual([]);
  });

  it('reports links that climb out of content/', async () => {
    expect((await render('[x](../../../etc/passwd.md)')).dead.map((d) => d.reason)).toEqual([
      'the path leads outside content/',
    ]);
  });
});

describe('Mermaid and code', () => {
  it('turns a mermaid block into a figure with its source, and highlights other code with classes only', async () => {
    const { html } = await render('```mermaid\ngraph TD; A-->B\n```\n\n```js\nconst a = 1;\n```\n');
    expect(html).toContain(
      '<figure class="mermaid" data-mermaid=""><pre class="mermaid-source"><code>graph TD; A--&gt;B</code></pre></figure>',
    );
    expect(html).toContain('<span class="token keyword">const</span>');
    expect(html).not.toContain('style=');
  });

  it('keeps commands and quotes in prose literal (no smart punctuation)', async () => {
    const { html } = await render('Run it with --force and "quotes".');
    expect(html).toContain('--force and "quotes"');
  });
});
