/**
 * The Markdown pipeline the site renders with: the options handed to Astro's Sätteri processor
 * in `astro.config.mjs` (`satteri(await markdownPipeline(...))`).
 *
 * Order matters:
 * 1. mdast: knowledge-base links become site URLs; dead links are reported (`./links.ts`).
 * 2. hast: the sanitizer first (`./sanitize.ts`, issue 7): everything an author wrote, raw HTML
 *    included, passes its allowlist; the plugins after it are trusted.
 * 3. hast: syntax highlighting (Prism: class names only, no inline styles, so a strict
 *    Content-Security-Policy holds), Mermaid blocks excluded.
 * 4. hast: Mermaid blocks become figures the browser script draws (`./mermaid.ts`).
 * Astro appends its image and heading-id plugins after these.
 *
 * Astro's own highlighter must be off (`markdown.syntaxHighlight: false`): it runs before user
 * plugins, so the sanitizer would strip its token classes.
 *
 * The parser features are the ones `src/kb/markdown.ts` uses for validation, so the site and
 * the validator agree on what is a link; raw HTML is parsed into elements for the sanitizer;
 * smart punctuation is off so commands and log lines quoted in prose stay literal.
 */
import {
  satteriCreateHighlightFn,
  satteriHighlightPlugin,
  type SatteriProcessorOptions,
} from '@astrojs/markdown-satteri';
import { MARKDOWN_FEATURES } from '../kb/markdown.ts';
import { linksPlugin, type LinkPluginOptions } from './links.ts';
import { mermaidPlugin } from './mermaid.ts';
import hindsightSanitize from './sanitize.ts';

export { formatDeadLink, type DeadLink, type LinkContext, type LinkableDoc } from './links.ts';

/** Build the processor options. `links` tells the link plugin which documents exist. */
export async function markdownPipeline(links: LinkPluginOptions): Promise<SatteriProcessorOptions> {
  const highlight = await satteriCreateHighlightFn('prism', undefined);
  return {
    features: { ...MARKDOWN_FEATURES, rawHtml: true, smartPunctuation: false },
    mdastPlugins: [linksPlugin(links)],
    hastPlugins: [
      hindsightSanitize(),
      highlight ? satteriHighlightPlugin(highlight, ['mermaid']) : null,
      mermaidPlugin,
    ],
  };
}
