// @ts-check
import { defineConfig } from 'astro/config';
import { resolve } from 'node:path';
import hindsightSearch from './src/search/integration.ts';

/**
 * Everything a deployment varies is an environment variable, so one checkout can build any
 * knowledge base to any host:
 * - HINDSIGHT_ROOT: folder holding `content/` (default: this repository's starter knowledge base)
 * - HINDSIGHT_SITE: absolute origin of the deployed site (feeds and sitemap need it)
 * - HINDSIGHT_BASE: sub-path the site is served under, e.g. `/kb/` (default `/`)
 * - HINDSIGHT_OUT_DIR: where the build goes (default `dist/`)
 */
const env = process.env;
export default defineConfig({
  site: env.HINDSIGHT_SITE ?? 'http://localhost:4321',
  base: env.HINDSIGHT_BASE ?? '/',
  outDir: env.HINDSIGHT_OUT_DIR ? resolve(env.HINDSIGHT_OUT_DIR) : './dist',
  cacheDir: env.HINDSIGHT_CACHE_DIR ? resolve(env.HINDSIGHT_CACHE_DIR) : './node_modules/.astro',
  trailingSlash: 'ignore',
  build: { format: 'directory' },
  devToolbar: { enabled: false },
  integrations: [hindsightSearch()],
});
