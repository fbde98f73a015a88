/**
 * Sätteri mdast plugin: knowledge-base links become site URLs.
 *
 * - `[[id]]`, `[[id|label]]`, `[[id#heading]]` (wikilinks, parsed by Sätteri with the same
 *   features as `src/kb/markdown.ts`) and relative links to `.md` files in `content/` resolve
 *   with `resolveLink` against the known documents, and get `docUrl(target, base)`;
 * - a wiki link without a label shows the target's title instead of its id;
 * - a fragment is slugged the way heading ids are (`#Mitigate now` → `#mitigate-now`);
 * - a link that resolves to nothing (or, in production, to a document that is not published) is
 *   reported through `onDeadLink` with file, line and column, and rendered as marked text, so a
 *   dead link never ships as a working-looking anchor.
 */
import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { slug } from 'github-slugger';
import { defineMdastPlugin, type MdastPluginDefinition, type PluginFactoryContext } from 'satteri';
import { docUrl, resolveLink, type LinkIndex, type LinkTarget } from '../kb/links.ts';
import { splitFragment } from '../kb/markdown.ts';
import type { BodyLink, Point } from '../kb/model.ts';

/** What the link plugin needs to know about one document. */
export interface LinkableDoc extends LinkTarget {
  /** Root-relative POSIX path, e.g. `content/playbooks/retry-storm.md`. */
  file: string;
  title: string;
  status: 'draft' | 'in-review' | 'published';
}

/** The documents links may point at, and how to reach them. */
export interface LinkContext {
  /** Absolute folder holding `content/`. */
  root: string;
  /** Site base with a trailing slash, e.g. `/kb/`. */
  base: string;
  /** Only published documents are link targets in production; drafts are too in `astro dev`. */
  production: boolean;
  index: LinkIndex;
  docs: ReadonlyMap<string, LinkableDoc>;
}

/** A link that does not lead to a page on the site. */
export interface DeadLink {
  /** Root-relative file, e.g. `content/postmortems/INC-2026-001-x.md`. */
  file: string;
  line: number;
  column: number;
  /** The link as written, e.g. `[[retry-strom]]` or `../playbooks/x.md`. */
  link: string;
  reason: string;
}

export interface LinkPluginOptions {
  /** Awaited once per rendered document; may reload the documents (the dev server does). */
  context: () => LinkContext | Promise<LinkContext>;
  onDeadLink: (dead: DeadLink) => void;
}

/** `file:line:column: message`, the way editors and CI annotations expect it. */
export function formatDeadLink(dead: DeadLink): string {
  return `${dead.file}:${dead.line}:${dead.column}: dead link ${dead.link}: ${dead.reason}`;
}

const REASONS = {
  'unknown-id': 'no document has this id',
  'unknown-file': 'no document at this path',
  'outside-content': 'the path leads outside content/',
  'not-markdown': 'not a document',
} as const;

/** Line offset between the body Sätteri parsed and the file (Astro strips the frontmatter). */
function bodyLineOffset(absFile: string, body: string): number {
  try {
    const text = readFileSync(absFile, 'utf8').replace(/\r\n?/g, '\n');
    const at = text.indexOf(body.slice(0, 200));
    return at <= 0 ? 0 : text.slice(0, at).split('\n').length - 1;
  } catch {
    return 0;
  }
}

interface MdText {
  type: 'text';
  value: string;
}

/** The plugin factory (one plugin instance per rendered document). */
export function linksPlugin(options: LinkPluginOptions) {
  return (factory: PluginFactoryContext): MdastPluginDefinition => {
    let context: LinkContext;
    let file = '(unknown file)';
    let checking = true;
    const absFile = factory.fileURL ? fileURLToPath(factory.fileURL) : undefined;
    let offset: number | undefined;
    const filePoint = (point: Point | undefined): Point => {
      offset ??= absFile ? bodyLineOffset(absFile, factory.source) : 0;
      return point ? { line: point.line + offset, column: point.column } : { line: 1 + offset, column: 1 };
    };

    return defineMdastPlugin({
      name: 'hindsight-links',
      // Positions tell wiki links (`[[…]]`) from Markdown links and place dead links in the file.
      options: { position: true },
      async before(_root, ctx) {
        context = await options.context();
        if (absFile) file = relative(context.root, absFile).split(sep).join('/');
        const astro = (ctx.data as { astro?: { frontmatter?: Record<string, unknown> } }).astro;
        // Unpublished documents are not built in production, so their links never ship.
        checking = !context.production || astro?.frontmatter?.['status'] === 'published';
      },
      link(node, ctx) {
        const start = node.position?.start;
        const raw = start?.offset !== undefined ? ctx.source.slice(start.offset, node.position?.end.offset) : '';
        const isWiki = raw.startsWith('[[');
        const url = node.url;
        const nowhere = { line: 1, column: 1 };
        let link: BodyLink;
        if (isWiki) {
          const { target, fragment } = splitFragment(url.trim());
          link = {
            syntax: 'wiki',
            raw: url,
            target,
            ...(fragment !== undefined ? { fragment } : {}),
            position: nowhere,
          };
        } else {
          if (/^(?:[a-z][a-z0-9+.-]*:|\/\/|#)/i.test(url) || url === '') return;
          const { target, fragment } = splitFragment(url);
          let decoded = target;
          try {
            decoded = decodeURIComponent(target);
          } catch {
            // keep as written; it will not resolve and is reported below
          }
          if (!decoded.toLowerCase().endsWith('.md')) return;
          link = {
            syntax: 'markdown',
            raw: url,
            target: decoded,
            ...(fragment !== undefined ? { fragment } : {}),
            position: nowhere,
          };
        }

        const resolution = resolveLink(link, file, context.index);
        const target = resolution.ok ? context.docs.get(resolution.target.id) : undefined;
        let reason: string | undefined;
        if (!resolution.ok) reason = REASONS[resolution.reason];
        else if (!target) reason = REASONS['unknown-id'];
        else if (context.production && target.status !== 'published')
          reason = `"${target.id}" is ${target.status}, not published`;

        if (reason !== undefined || !target) {
          const why = reason ?? 'unresolved';
          if (checking) {
            const at = filePoint(start);
            options.onDeadLink({
              file,
              line: at.line,
              column: at.column,
              link: isWiki ? raw || `[[${url}]]` : url,
              reason: why,
            });
          }
          // Rendered as struck-through text: visibly not a link (the build fails anyway).
          const text: MdText = { type: 'text', value: ctx.textContent(node) };
          ctx.replaceNode(node, {
            type: 'delete',
            data: { hProperties: { title: `Dead link: ${why}` } },
            children: [text],
          });
          return;
        }

        const fragment = link.fragment ? `#${slug(link.fragment)}` : '';
        ctx.setProperty(node, 'url', `${docUrl(target, context.base)}${fragment}`);
        if (isWiki && !raw.includes('|')) {
          const label = link.fragment ? `${target.title} § ${link.fragment}` : target.title;
          ctx.setProperty(node, 'children', [{ type: 'text', value: label } satisfies MdText]);
        }
      },
    });
  };
}
