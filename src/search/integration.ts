/**
 * Astro integration for incident-time search.
 *
 * - `astro build`: once the pages are written, index the document pages with Pagefind
 *   (`indexer.ts`) into `<outDir>/pagefind/`; any problem fails the build with the file named.
 *   `hindsight build` sets `HINDSIGHT_SEARCH_INDEX=defer` and indexes after Astro has exited
 *   instead (`scripts/commands/build.ts`), so the two never hold their memory at the same time.
 * - `astro dev`: there is no index (it is built from the final HTML), so say how to get one
 *   instead of failing silently; the /search/ page says the same in the browser.
 */
import type { AstroIntegration } from 'astro';
import { AstroError } from 'astro/errors';
import { fileURLToPath } from 'node:url';
import { DEV_SEARCH_HINT } from './config.ts';
import { indexSite, SearchIndexError } from './indexer.ts';
import { publishedDocumentPages } from './published.ts';
import { knowledgeBaseRoot } from '../kb/root.ts';

/** Set to `defer` by `hindsight build`: skip indexing here, the command indexes after Astro exits. */
export const DEFER_INDEX_ENV = 'HINDSIGHT_SEARCH_INDEX';

/**
 * Index the published documents of the knowledge base at `root`, built into `outDir`, and return
 * the line to log. `published` is `publishedDocumentPages(root)` when the caller started that scan
 * earlier (`hindsight build` runs it beside Astro); `onStart` learns how many pages are about to
 * be indexed. Throws `SearchIndexError` with every problem found. Used here and by `hindsight build`.
 */
export async function indexPublishedSite(
  root: string,
  outDir: string,
  options: { published?: Promise<string[]>; onStart?: (pages: number) => void } = {},
): Promise<string> {
  const expected = await (options.published ?? publishedDocumentPages(root));
  options.onStart?.(expected.length);
  const report = await indexSite(outDir, { expected });
  const parts = Object.entries(report.byFolder).map(([folder, n]) => `${n} ${folder}`);
  return `indexed ${report.pages} document pages (${parts.join(', ') || 'none'}) for search in ${report.milliseconds} ms, language "${report.language}"`;
}

export default function hindsightSearch(): AstroIntegration {
  return {
    name: 'hindsight-search',
    hooks: {
      'astro:server:start': ({ logger }) => {
        logger.info(DEV_SEARCH_HINT);
      },
      'astro:build:done': async ({ dir, logger }) => {
        if (process.env[DEFER_INDEX_ENV] === 'defer') {
          logger.info('search index: built once Astro has exited (hindsight build)');
          return;
        }
        try {
          logger.info(await indexPublishedSite(knowledgeBaseRoot(), fileURLToPath(dir)));
        } catch (error) {
          if (error instanceof SearchIndexError) {
            throw new AstroError(
              `The search index could not be built: ${error.message}`,
              'Document pages must put their main content in <article data-pagefind-body> with <SearchMeta doc={doc} /> inside, and the production build must hold published documents only.',
            );
          }
          throw error;
        }
      },
    },
  };
}
