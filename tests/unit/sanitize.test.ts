import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { htmlToHast, markdownToHtml, type Features, type HastPluginEntry, type MarkdownToHtmlResult } from 'satteri';
import type { Element, Nodes } from 'hast';
import { MARKDOWN_FEATURES } from '../../src/kb/markdown.ts';
import { createLinkIndex } from '../../src/kb/links.ts';
import { markdownPipeline } from '../../src/markdown/index.ts';
import hindsightSanitize, { sanitizeHtmlFragment, sanitizeSchema } from '../../src/markdown/sanitize.ts';
import { ALL_BODY_PAYLOADS, HTML_PAYLOADS } from '../fixtures/hostile/xss-payloads.ts';

const FEATURES = { ...MARKDOWN_FEATURES, rawHtml: true, smartPunctuation: false };

/** Render like the site does, with the sanitizer as the only plugin. */
function render(markdown: string, hastPlugins: HastPluginEntry[] = [hindsightSanitize()], rawHtml = true): string {
  // Synchronous: the sanitizer's visitors are.
  return (markdownToHtml(markdown, { features: { ...FEATURES, rawHtml }, hastPlugins }) as MarkdownToHtmlResult).html;
}

/** Render with the site's real pipeline (`src/markdown/index.ts`): links, sanitizer, Prism, Mermaid. */
async function renderWithSite(markdown: string): Promise<string> {
  const options = await markdownPipeline({
    context: () => ({ root: '/kb', base: '/kb/', production: true, index: createLinkIndex([]), docs: new Map() }),
    onDeadLink: () => undefined,
  });
  const result = await markdownToHtml(markdown, {
    features: (options.features ?? {}) as Features,
    mdastPlugins: options.mdastPlugins ?? [],
    hastPlugins: options.hastPlugins ?? [],
  });
  return result.html;
}

function elements(node: Nodes, out: Element[] = []): Element[] {
  if (node.type === 'element') out.push(node);
  if ('children' in node) for (const child of node.children) elements(child, out);
  return out;
}

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
const DANGEROUS_TAGS = new Set([
  'script',
  'style',
  'iframe',
  'frame',
  'object',
  'embed',
  'applet',
  'form',
  'button',
  'textarea',
  'select',
  'meta',
  'base',
  'link',
  'svg',
  'math',
  'template',
  'noscript',
  'body',
  'html',
  'head',
  'title',
  'video',
  'audio',
  'source',
  'marquee',
  'dialog',
  'x-widget',
]);

/**
 * What a browser would do with the HTML: parse it and list every way it could run script or
 * load something: dangerous elements, event handlers, style, URL attributes with a scheme other
 * than http(s)/mailto (resolved the way browsers resolve them, so entity, case and whitespace
 * tricks count).
 */
function problems(html: string, { strictAllowlist }: { strictAllowlist: boolean }): string[] {
  const found: string[] = [];
  const allowed = new Set(sanitizeSchema.tagNames);
  for (const el of elements(htmlToHast(html, { fragment: true }))) {
    if (DANGEROUS_TAGS.has(el.tagName)) found.push(`<${el.tagName}>`);
    if (strictAllowlist && !allowed.has(el.tagName)) found.push(`<${el.tagName}> not in the allowlist`);
    if (el.tagName === 'input' && el.properties['type'] !== 'checkbox')
      found.push('<input> that is not a disabled checkbox');
    for (const [key, value] of Object.entries(el.properties)) {
      const name = key.toLowerCase();
      if (name.startsWith('on')) found.push(`${el.tagName}[${key}]`);
      if (['style', 'srcdoc', 'formaction', 'action', 'srcset', 'target', 'popover'].includes(name))
        found.push(`${el.tagName}[${key}]`);
      if (['href', 'src', 'cite', 'longdesc', 'data', 'poster', 'background', 'xlinkhref'].includes(name)) {
        const url = String(value);
        const protocol = new URL(url, 'https://kb.example.com/kb/page/').protocol;
        if (!SAFE_PROTOCOLS.has(protocol)) found.push(`${el.tagName}[${key}=${JSON.stringify(url)}]`);
      }
      if ((name === 'id' || name === 'name') && !String(value).startsWith('user-content-'))
        found.push(`${el.tagName}[${key}] not prefixed`);
    }
  }
  return found;
}

describe('the sanitizer against the payload corpus', () => {
  it.each(ALL_BODY_PAYLOADS.map((p) => [p.id, p.markdown] as const))(
    '%s: nothing that can run survives',
    (_id, markdown) => {
      const html = render(markdown);
      expect(problems(html, { strictAllowlist: true })).toEqual([]);
    },
  );

  it.each(ALL_BODY_PAYLOADS.map((p) => [p.id, p.markdown] as const))(
    '%s: also through the site pipeline',
    async (_id, markdown) => {
      const html = await renderWithSite(`Intro paragraph.\n\n${markdown}\n\nOutro paragraph.`);
      expect(problems(html, { strictAllowlist: false })).toEqual([]);
      expect(html).toContain('Intro paragraph.');
    },
  );

  it('keeps the text of unwrapped elements and drops scripts with their content', () => {
    expect(render('<marquee>breaking news</marquee> <x-widget>widget text</x-widget>')).toBe(
      '<p>breaking news widget text</p>\n',
    );
    expect(render('Before <script>steal()</script> after')).toBe('<p>Before  after</p>\n');
    expect(render('<style>p{color:red}</style>\n\nParagraph')).toBe('\n<p>Paragraph</p>\n');
  });

  it('is safe even when raw HTML arrives unparsed (rawHtml off): each fragment is sanitized alone', () => {
    for (const payload of HTML_PAYLOADS) {
      expect(
        problems(render(payload.markdown, [hindsightSanitize()], false), { strictAllowlist: true }),
        payload.id,
      ).toEqual([]);
    }
  });
});

describe('the sanitizer keeps what authors legitimately write', () => {
  it('details, kbd, sup, sub, line breaks in tables and table alignment (as align, not style)', () => {
    const markdown = [
      '<details>',
      '<summary>Full log</summary>',
      '',
      '**bold** inside',
      '',
      '</details>',
      '',
      'Press <kbd>Ctrl</kbd>+<kbd>C</kbd>; H<sub>2</sub>O; x<sup>2</sup>.',
      '',
      '| Left | Right |',
      '|:-----|------:|',
      '| a<br>b | 1 |',
    ].join('\n');
    expect(render(markdown)).toBe(
      [
        '<details>',
        '<summary>Full log</summary>',
        '<p><strong>bold</strong> inside</p>',
        '</details>',
        '<p>Press <kbd>Ctrl</kbd>+<kbd>C</kbd>; H<sub>2</sub>O; x<sup>2</sup>.</p>',
        '<table>',
        '<thead>',
        '<tr>',
        '<th align="left">Left</th>',
        '<th align="right">Right</th>',
        '</tr>',
        '</thead>',
        '<tbody>',
        '<tr>',
        '<td align="left">a<br>b</td>',
        '<td align="right">1</td>',
        '</tr>',
        '</tbody>',
        '</table>',
        '',
      ].join('\n'),
    );
  });

  it('links (http, https, mailto, relative, fragments), images, code language classes and task lists', () => {
    const html = render(
      '[a](https://status.example.com/x?y=1) [b](mailto:oncall@example.com) [c](../playbooks/retry-storm.md#confirm) [d](#timeline)\n\n![graph](./p99.png "p99")\n\n- [x] done\n- [ ] todo\n\n```sql\nSELECT 1;\n```\n',
    );
    expect(html).toContain('<a href="https://status.example.com/x?y=1">a</a>');
    expect(html).toContain('<a href="mailto:oncall@example.com">b</a>');
    expect(html).toContain('<a href="../playbooks/retry-storm.md#confirm">c</a>');
    expect(html).toContain('<a href="#timeline">d</a>');
    expect(html).toContain('<img src="./p99.png" alt="graph" title="p99">');
    expect(html).toContain('<li class="task-list-item"><input type="checkbox" checked disabled> done</li>');
    expect(html).toContain('<code class="language-sql">SELECT 1;');
  });

  it('footnote links still reach their notes (ids are prefixed once, matching the links)', () => {
    const html = render('A claim.[^src]\n\n[^src]: The source.\n');
    const anchors = elements(htmlToHast(html, { fragment: true }));
    const ids = new Set(anchors.map((el) => el.properties['id']).filter((id) => id !== undefined));
    const hrefs = anchors
      .map((el) => el.properties['href'])
      .filter((h): h is string => typeof h === 'string' && h.startsWith('#'));
    expect(hrefs.length).toBeGreaterThanOrEqual(2);
    for (const href of hrefs) expect(ids, href).toContain(href.slice(1));
  });

  it('author ids are prefixed so they cannot clobber globals', () => {
    expect(render('<h2 id="location">Where</h2>')).toBe('<h2 id="user-content-location">Where</h2>\n');
  });

  it('a Markdown-only body (no "<") still loses javascript: links', () => {
    expect(render('[x](javascript:alert(1)) and [[javascript:alert(1)]]')).toBe(
      '<p><a>x</a> and <a>javascript:alert(1)</a></p>\n',
    );
  });
});

describe('sanitizeHtmlFragment', () => {
  it('can be used for any other HTML built from content', () => {
    const tree = sanitizeHtmlFragment('<p onclick="x()">hi <img src="javascript:y()" alt="a"></p>');
    expect(tree).toEqual({
      type: 'root',
      children: [
        {
          type: 'element',
          tagName: 'p',
          properties: {},
          children: [
            { type: 'text', value: 'hi ' },
            { type: 'element', tagName: 'img', properties: { alt: 'a' }, children: [] },
          ],
        },
      ],
    });
  });
});

describe('property: any HTML built from hostile parts comes out safe', () => {
  const tags = [
    'a',
    'img',
    'div',
    'p',
    'span',
    'script',
    'style',
    'iframe',
    'svg',
    'math',
    'details',
    'table',
    'td',
    'form',
    'input',
    'object',
    'template',
    'noscript',
    'textarea',
    'x-y',
    'h2',
    'code',
    'pre',
    'kbd',
    'base',
    'meta',
    'link',
  ];
  const attrNames = [
    'href',
    'src',
    'onerror',
    'onclick',
    'ONLOAD',
    'style',
    'id',
    'name',
    'class',
    'title',
    'srcdoc',
    'action',
    'formaction',
    'xlink:href',
    'data-x',
    'target',
    'srcset',
  ];
  const urls = [
    'javascript:__xssHit(1)',
    'JAVASCRIPT:x',
    ' javascript:x',
    'java\tscript:x',
    '&#106;avascript:x',
    'data:text/html,<script>x</script>',
    'vbscript:x',
    'https://ok.example.com/',
    '/relative',
    '#frag',
    'mailto:a@b.c',
    '//evil.example/x',
  ];
  const attr = fc
    .tuple(fc.constantFrom(...attrNames), fc.oneof(fc.constantFrom(...urls), fc.string({ maxLength: 12 })))
    .map(([n, v]) => `${n}="${v.replace(/"/g, '&quot;')}"`);
  const html: fc.Memo<string> = fc.memo((depth) =>
    fc.oneof(
      { depthSize: 'small' },
      fc.string({ maxLength: 20 }),
      fc
        .tuple(
          fc.constantFrom(...tags),
          fc.array(attr, { maxLength: 3 }),
          fc.array(depth > 0 ? html(depth - 1) : fc.string({ maxLength: 10 }), { maxLength: 3 }),
          fc.boolean(),
        )
        .map(
          ([tag, attrs, children, close]) =>
            `<${tag} ${attrs.join(' ')}>${children.join('')}${close ? `</${tag}>` : ''}`,
        ),
    ),
  );

  it('holds for generated fragments, inline and as blocks', () => {
    fc.assert(
      fc.property(fc.array(html(3), { minLength: 1, maxLength: 4 }), fc.boolean(), (parts, block) => {
        const markdown = parts.join(block ? '\n\n' : ' ');
        expect(problems(render(markdown), { strictAllowlist: true })).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
