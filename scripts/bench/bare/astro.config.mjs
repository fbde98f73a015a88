// @ts-check
/**
 * The benchmark's floor: the same content collections as the real site (same folders, same
 * schemas, Astro's default Markdown processor), rendered by one bare route with one minimal page
 * per published document. No layout, no cross-links, no search, no integrations: what any Astro
 * site over this content costs at least. Built by `scripts/bench/run.ts` with
 * `astro build --root scripts/bench/bare`, from the repository root.
 *
 * - HINDSIGHT_ROOT, HINDSIGHT_OUT_DIR, HINDSIGHT_CACHE_DIR: as for the real site.
 * - HINDSIGHT_BENCH_STORAGE=chunked: Astro's experimental chunked content store (the ceiling
 *   probe compares it with the default single-file store).
 */
import { defineConfig } from 'astro/config';
import { resolve } from 'node:path';

const env = process.env;
export default defineConfig({
  outDir: env.HINDSIGHT_OUT_DIR ? resolve(env.HINDSIGHT_OUT_DIR) : './dist',
  cacheDir: env.HINDSIGHT_CACHE_DIR ? resolve(env.HINDSIGHT_CACHE_DIR) : './node_modules/.astro',
  build: { format: 'directory' },
  devToolbar: { enabled: false },
  ...(env.HINDSIGHT_BENCH_STORAGE === 'chunked' ? { experimental: { collectionStorage: 'chunked' } } : {}),
});
