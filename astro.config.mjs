// @ts-check
import { defineConfig } from 'astro/config';
import { resolve } from 'node:path';
import { satteri } from '@astrojs/markdown-satteri';
import sitemap from '@astrojs/sitemap';
import hindsightSearch from './src/search/integration.ts';
import { hindsightSite } from './src/site/integration.ts';
import { markdownPipeline } from './src/markdown/index.ts';
import { knowledgeBaseRoot } from './src/kb/root.ts';
import { contentSecurityPolicy } from './src/site/csp.ts';

/**
 * Everything a deployment varies is an environment variable, so one checkout can build any
 * knowledge base to any host:
 * - HINDSIGHT_ROOT: folder holding `content/` (default: this repository's starter knowledge base)
 * - HINDSIGHT_SITE: absolute origin of the deployed site (feeds and sitemap need it)
 * - HINDSIGHT_BASE: sub-path the site is served under, e.g. `/kb/` (default `/`)
 * - HINDSIGHT_OUT_DIR: where the build goes (default `dist/`)
 * - HINDSIGHT_CACHE_DIR: Astro's cache folder (default `node_modules/.astro`)
 * - HINDSIGHT_NOW: "today" for overdue action items and review ages, ISO date (default: build time),
 *   for reproducible builds and tests
 */
const env = process.env;
const site = hindsightSite({ root: knowledgeBaseRoot() });

export default defineConfig({
  site: env.HINDSIGHT_SITE ?? 'http://localhost:4321',
  base: env.HINDSIGHT_BASE ?? '/',
  outDir: env.HINDSIGHT_OUT_DIR ? resolve(env.HINDSIGHT_OUT_DIR) : './dist',
  cacheDir: env.HINDSIGHT_CACHE_DIR ? resolve(env.HINDSIGHT_CACHE_DIR) : './node_modules/.astro',
  trailingSlash: 'ignore',
  // Four pages in flight: while one page's file is written the next renders. At 10,000
  // documents this took page generation from 54 s to 43 s (same CPU time, same peak memory).
  build: { format: 'directory', inlineStylesheets: 'never', concurrency: 4 },
  devToolbar: { enabled: false },
  // Every script is a file of its own (Astro would inline small ones): the policy needs no
  // inline-script hashes, and browsers cache the scripts across pages.
  vite: { build: { assetsInlineLimit: 0 } },
  // Content-Security-Policy on every page (a <meta> with Astro's script/style hashes): src/site/csp.ts.
  security: { csp: contentSecurityPolicy },
  markdown: {
    // Highlighting runs inside the pipeline, after the sanitizer (see src/markdown/index.ts).
    syntaxHighlight: false,
    processor: satteri(await markdownPipeline(site.links)),
  },
  // Validation gate and dead-link check first, then search indexing, then the sitemap.
  integrations: [site.integration, hindsightSearch(), sitemap()],
  // Frontmatter completion, hover docs and errors from the schemas in VS Code (with the Astro
  // extension's `astro.content-intellisense` setting, committed in .vscode/settings.json).
  experimental: { contentIntellisense: true },
});
