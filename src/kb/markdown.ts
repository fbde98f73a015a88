/**
 * One Markdown parse per body, with Sätteri (the parser Astro renders with), so the validator
 * and the site agree on what a link is and on which line it stands.
 *
 * The body is parsed with its frontmatter blanked to newlines: positions then are positions in
 * the file, which is what `file:line:column` diagnostics need.
 */
import { markdownToMdast } from 'satteri';
import type { BodyImage, BodyInfo, BodyLink, Heading } from './model.ts';

/** Sätteri parser features used everywhere Hindsight parses Markdown. */
export const MARKDOWN_FEATURES = { gfm: true, frontmatter: false, wikilinks: true } as const;

interface MdNode {
  type: string;
  url?: string;
  value?: string;
  lang?: string | null;
  depth?: number;
  /** `definition` and `imageReference`: the normalised label that pairs them. */
  identifier?: string;
  children?: MdNode[];
  position?: { start: { line: number; column: number; offset?: number } };
}

/** Image formats Astro's image pipeline processes (sharp's inputs, plus SVG), lower case. */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.png',
  '.jpg',
  '.jpeg',
  '.gif',
  '.webp',
  '.avif',
  '.svg',
  '.tif',
  '.tiff',
]);

/** True when a file name ends with one of `IMAGE_EXTENSIONS` (any case). */
export function isImageFile(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot !== -1 && IMAGE_EXTENSIONS.has(name.slice(dot).toLowerCase());
}

/** A URL with a scheme (`https:`, `mailto:`) or protocol-relative: not a knowledge-base link. */
const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

function textOf(node: MdNode): string {
  if (typeof node.value === 'string') return node.value;
  return (node.children ?? []).map(textOf).join('');
}

/** Split `target#fragment` (a fragment may be empty). */
export function splitFragment(raw: string): { target: string; fragment?: string } {
  const hash = raw.indexOf('#');
  if (hash === -1) return { target: raw };
  return { target: raw.slice(0, hash), fragment: raw.slice(hash + 1) };
}

/**
 * Parse a body and collect its links, images, headings and Mermaid blocks.
 *
 * @param source the body text
 * @param firstLine 1-based file line where the body starts, so positions are file positions
 */
export function analyzeBody(source: string, firstLine = 1): BodyInfo {
  const tree = markdownToMdast(source, { features: MARKDOWN_FEATURES }) as unknown as MdNode;
  const links: BodyLink[] = [];
  const headings: Heading[] = [];
  const images: BodyImage[] = [];
  /** `![alt][ref]` images, resolved once every `[ref]: url` definition is known. */
  const imageReferences: { identifier: string; position: BodyImage['position'] }[] = [];
  const definitions = new Map<string, string>();
  let mermaidBlocks = 0;
  const lineOffset = firstLine - 1;

  const stack: MdNode[] = [tree];
  const ordered: MdNode[] = [];
  while (stack.length > 0) {
    const node = stack.pop() as MdNode;
    ordered.push(node);
    const children = node.children;
    if (children) for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as MdNode);
  }

  for (const node of ordered) {
    const start = node.position?.start;
    const position = start ? { line: start.line + lineOffset, column: start.column } : { line: firstLine, column: 1 };
    if (node.type === 'link' && typeof node.url === 'string') {
      const offset = start?.offset;
      const isWiki = offset !== undefined && source.startsWith('[[', offset);
      const url = node.url;
      if (isWiki) {
        const { target, fragment } = splitFragment(url.trim());
        links.push({ syntax: 'wiki', raw: url, target, ...(fragment !== undefined ? { fragment } : {}), position });
      } else if (!EXTERNAL.test(url) && url !== '' && !url.startsWith('#')) {
        const { target, fragment } = splitFragment(url);
        let decoded = target;
        try {
          decoded = decodeURIComponent(target);
        } catch {
          // keep the raw text: a malformed escape is reported as an unresolved link
        }
        links.push({
          syntax: 'markdown',
          raw: url,
          target: decoded,
          ...(fragment !== undefined ? { fragment } : {}),
          position,
        });
      }
    } else if (node.type === 'image' && typeof node.url === 'string') {
      images.push({ raw: node.url, position });
    } else if (node.type === 'imageReference' && typeof node.identifier === 'string') {
      imageReferences.push({ identifier: node.identifier, position });
    } else if (node.type === 'definition' && typeof node.identifier === 'string' && typeof node.url === 'string') {
      // The first definition of a label wins (CommonMark).
      if (!definitions.has(node.identifier)) definitions.set(node.identifier, node.url);
    } else if (node.type === 'heading' && typeof node.depth === 'number') {
      headings.push({ depth: node.depth, text: textOf(node).trim(), position });
    } else if (node.type === 'code' && node.lang === 'mermaid') {
      mermaidBlocks += 1;
    }
  }
  for (const reference of imageReferences) {
    const raw = definitions.get(reference.identifier);
    if (raw !== undefined) images.push({ raw, position: reference.position });
  }
  images.sort((a, b) => a.position.line - b.position.line || a.position.column - b.position.column);
  return { links, headings, images, mermaidBlocks };
}
