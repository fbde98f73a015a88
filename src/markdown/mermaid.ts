/**
 * Sätteri hast plugin: fenced `mermaid` code blocks become
 * `<figure class="mermaid" data-mermaid><pre class="mermaid-source"><code>…</code></pre></figure>`.
 *
 * With JavaScript off (and in print before a diagram is drawn) the source stays readable as a
 * code block; `src/components/MermaidDiagrams.astro` draws the diagrams in the browser, keeps the
 * source in a disclosure, and shows a clear error in place of a diagram that does not parse.
 * Syntax highlighting must exclude `mermaid` (see `astro.config.mjs`), so the block arrives here
 * as `<pre><code class="language-mermaid">`.
 */
import { defineHastPlugin } from 'satteri';

export const mermaidPlugin = defineHastPlugin({
  name: 'hindsight-mermaid',
  element: {
    filter: ['pre'],
    visit(node, ctx) {
      const code = node.children.find((child) => child.type === 'element' && child.tagName === 'code');
      if (code?.type !== 'element') return;
      const classes = code.properties['className'];
      if (!Array.isArray(classes) || !classes.includes('language-mermaid')) return;
      const source = ctx.textContent(code).replace(/\n$/, '');
      return {
        type: 'element',
        tagName: 'figure',
        properties: { className: ['mermaid'], dataMermaid: '' },
        children: [
          {
            type: 'element',
            tagName: 'pre',
            properties: { className: ['mermaid-source'] },
            children: [
              { type: 'element', tagName: 'code', properties: {}, children: [{ type: 'text', value: source }] },
            ],
          },
        ],
      };
    },
  },
});
