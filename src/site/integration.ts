/**
 * The site's build gate and the Markdown pipeline's view of the knowledge base.
 *
 * - `astro build` validates the knowledge base first (`validateKnowledgeBase`, the same checks as
 *   `npx hindsight validate`) and refuses to build when there is any error, printing the
 *   diagnostics with file, line, column and a code frame. Warnings are printed and do not block.
 *   `astro dev` prints the same report and keeps serving: authors fix things while they watch.
 * - The link plugin (`src/markdown/links.ts`) resolves links against the loaded documents; in a
 *   build, a link that leads nowhere (or to an unpublished document) is collected while content
 *   renders and fails the build at `astro:build:start`, with file and line.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { AstroError } from 'astro/errors';
import { createLinkIndex } from '../kb/links.ts';
import { loadKnowledgeBase } from '../kb/load.ts';
import type { AnyDoc } from '../kb/model.ts';
import { validateKnowledgeBase } from '../kb/validate.ts';
import { readContentForFrame } from '../kb/frame-source.ts';
import { formatText } from '../kb/format.ts';
import { formatDeadLink, type DeadLink, type LinkContext, type LinkableDoc } from '../markdown/index.ts';
import { shareValidatedDocs } from './validated.ts';
import { facetListLimit } from './limits.ts';

export interface SiteIntegrationOptions {
  /** Absolute folder holding `content/`. */
  root: string;
}

/** The integration plus the link options to hand to `markdownPipeline`. */
export interface HindsightSite {
  integration: AstroIntegration;
  links: { context: () => Promise<LinkContext>; onDeadLink: (dead: DeadLink) => void };
}

/** Sent to a parent process (`hindsight build`) once validation and the dead-link check pass. */
export const GATES_PASSED_MESSAGE = 'hindsight:gates-passed';

/** Compile-time flag read by `src/site/kb.ts`: true only in `astro dev`. */
export const SHOW_UNPUBLISHED = '__HINDSIGHT_SHOW_UNPUBLISHED__';

/** How long the dev server reuses a loaded link index before reading the files again. */
const DEV_RELOAD_MS = 1000;

function linkContextFrom(docs: readonly AnyDoc[], root: string, base: string, production: boolean): LinkContext {
  const byId = new Map<string, LinkableDoc>();
  for (const doc of docs) {
    if (!byId.has(doc.id))
      byId.set(doc.id, { kind: doc.kind, id: doc.id, file: doc.file, title: doc.data.title, status: doc.data.status });
  }
  return { root, base, production, index: createLinkIndex(docs), docs: byId };
}

/**
 * Astro caches rendered Markdown by file content only, but what a body renders to also depends
 * on the Markdown pipeline's code, on the other documents (link labels are their titles, links
 * to unpublished documents die in production) and on dev versus build. When any of that
 * changes, drop the cached renders (`data-store.json`) so nothing stale ships.
 */
function dropStaleRenders(cacheDir: string, docs: readonly AnyDoc[], production: boolean): boolean {
  const hash = createHash('sha256');
  hash.update(production ? 'production\n' : 'dev\n');
  for (const folder of ['../markdown/', '../kb/']) {
    const dir = fileURLToPath(new URL(folder, import.meta.url));
    try {
      for (const name of readdirSync(dir)
        .filter((n) => n.endsWith('.ts'))
        .sort()) {
        if (folder === '../kb/' && name !== 'links.ts' && name !== 'markdown.ts') continue;
        hash.update(name).update(readFileSync(join(dir, name)));
      }
    } catch {
      hash.update(`unreadable ${folder}`);
    }
  }
  for (const doc of [...docs].sort((a, b) => a.file.localeCompare(b.file))) {
    hash.update(`${doc.kind}\t${doc.id}\t${doc.file}\t${doc.data.title}\t${doc.data.status}\n`);
  }
  const digest = hash.digest('hex');
  const marker = join(cacheDir, 'hindsight-render-digest');
  let previous: string | undefined;
  try {
    previous = readFileSync(marker, 'utf8');
  } catch {
    previous = undefined;
  }
  if (previous === digest) return false;
  rmSync(join(cacheDir, 'data-store.json'), { force: true });
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(marker, digest);
  return previous !== undefined;
}

export function hindsightSite(options: SiteIntegrationOptions): HindsightSite {
  const { root } = options;
  let base = '/';
  let production = true;
  let cached: { at: number; context: Promise<LinkContext> } | undefined;
  const deadLinks = new Map<string, DeadLink>();

  const context = (): Promise<LinkContext> => {
    const now = Date.now();
    if (!cached || (!production && now - cached.at > DEV_RELOAD_MS)) {
      cached = {
        at: now,
        context: loadKnowledgeBase(root).then((load) => linkContextFrom(load.kb.docs, root, base, production)),
      };
    }
    return cached.context;
  };

  const integration: AstroIntegration = {
    name: 'hindsight-site',
    hooks: {
      'astro:config:setup': async ({ command, config, logger, updateConfig }) => {
        base = config.base.endsWith('/') ? config.base : `${config.base}/`;
        production = command !== 'dev';
        // Pages show drafts and documents in review only in the dev server. Decided here from
        // the command, not from NODE_ENV or import.meta.env.DEV, which the environment can set.
        updateConfig({ vite: { define: { [SHOW_UNPUBLISHED]: JSON.stringify(!production) } } });
        if (command !== 'build' && command !== 'dev') return;
        try {
          facetListLimit(); // a bad HINDSIGHT_LIST_LIMIT fails now, not on the first list page
        } catch (error) {
          throw new AstroError(
            error instanceof Error ? error.message : String(error),
            'Unset it, or set it to e.g. 100.',
          );
        }

        const nowEnv = process.env['HINDSIGHT_NOW'];
        const result = await validateKnowledgeBase(root, nowEnv ? { now: new Date(nowEnv) } : {});
        const errors = result.diagnostics.filter((d) => d.severity === 'error');
        if (result.diagnostics.length > 0) {
          // `isTTY` is undefined, not false, when stdout is a pipe (Node's types say boolean).
          const stdout: { isTTY?: boolean } = process.stdout;
          const report = formatText(result.diagnostics, {
            color: stdout.isTTY === true,
            filesChecked: result.files.length,
            source: (file) => readContentForFrame(root, file),
          });
          if (command === 'build' && errors.length > 0) {
            throw new AstroError(
              `The knowledge base has ${errors.length} error(s); nothing was built.\n\n${report}`,
              'Fix the errors above (warnings do not block), then build again. `npx hindsight validate` shows the same report.',
            );
          }
          logger.warn(`knowledge-base validation:\n${report}`);
        }
        if (dropStaleRenders(fileURLToPath(config.cacheDir), result.kb.docs, production)) {
          logger.info('documents or the Markdown pipeline changed: re-rendering every document');
        }
        // The link plugin and the pages (`src/site/kb.ts`) reuse what validation loaded.
        shareValidatedDocs(root, result.kb.docs);
        cached = { at: Date.now(), context: Promise.resolve(linkContextFrom(result.kb.docs, root, base, production)) };
      },
      'astro:build:start': () => {
        if (deadLinks.size > 0) {
          const lines = [...deadLinks.values()].map(formatDeadLink).sort();
          throw new AstroError(
            `${lines.length} dead link(s); the site never ships a dead link:\n${lines.join('\n')}`,
            'Point each link at an existing, published document: [[id]], [[id|label]] or a relative path such as ../playbooks/retry-storm.md.',
          );
        }
        // Every gate has passed: `hindsight build`, when it runs this build, may now delete the
        // site it set aside (no IPC channel, as under plain `astro build`: nothing to tell).
        // A parent that has gone away is no reason to fail the build: the callback takes the error.
        if (process.send && process.connected)
          process.send({ type: GATES_PASSED_MESSAGE }, undefined, {}, () => undefined);
      },
    },
  };

  return {
    integration,
    links: {
      context,
      onDeadLink: (dead) => {
        deadLinks.set(formatDeadLink(dead), dead);
      },
    },
  };
}
