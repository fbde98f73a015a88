/**
 * Markdown plumbing for `hindsight import`: one remark + GFM parse of the original, plain text of
 * nodes, the heading outline, and text edits applied by source offset.
 *
 * The original body is kept byte for byte wherever nothing needs to change: the importer never
 * re-serialises the whole tree (that would re-pad tables, re-mark lists and re-escape text), it
 * splices small edits into the source at the offsets remark reports. Only new text (a renamed
 * heading, an added section) is produced, and `toMarkdown` produces it through remark-stringify so
 * it is escaped correctly.
 */
import type { Heading, Nodes, PhrasingContent, Root, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';

const parser = unified().use(remarkParse).use(remarkGfm);
const serializer = unified()
  .use(remarkStringify, { bullet: '-', emphasis: '_', strong: '*', fences: true, rule: '-', listItemIndent: 'one' })
  .use(remarkGfm);

/** Parse Markdown (CommonMark + GFM tables, task lists, autolinks). Every node has offsets. */
export function parseMarkdown(source: string): Root {
  return parser.parse(source);
}

/** Serialise nodes to Markdown (for new text only), without a trailing newline. */
export function toMarkdown(children: RootContent[]): string {
  return serializer.stringify({ type: 'root', children }).trimEnd();
}

/** A heading as plain text, e.g. `Root Causes`. */
export function plainText(node: Nodes | PhrasingContent[]): string {
  const text = Array.isArray(node) ? node.map((child) => toString(child)).join('') : toString(node);
  return text.replace(/\s+/g, ' ').trim();
}

/** Start and end offsets of a node in the source (0 and 0 when the parser gave none). */
export function span(node: Nodes): { start: number; end: number } {
  return { start: node.position?.start.offset ?? 0, end: node.position?.end.offset ?? 0 };
}

/** 1-based line of a node in the source. */
export function lineOf(node: Nodes): number {
  return node.position?.start.line ?? 1;
}

/** Map offsets to 1-based line numbers. */
export function lineIndex(source: string): (offset: number) => number {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}

/** One heading of the outline with the extent of its section (the heading up to the next heading of the same or a higher level). */
export interface OutlineEntry {
  node: Heading;
  /** Index of the heading in `root.children`. */
  index: number;
  depth: number;
  text: string;
  /** Offset where the heading starts. */
  start: number;
  /** Offset where the heading line ends (its own content starts after it). */
  headingEnd: number;
  /** Offset where the section ends: the start of the next heading at the same or a higher level, or the end of the text. */
  end: number;
  /** Offset where the next heading of any level starts (the end of this heading's own content). */
  ownEnd: number;
  /** Index in `root.children` of the first node after this section. */
  endIndex: number;
}

/** The top-level headings of a document, each with its section's extent. */
export function outline(root: Root, source: string): OutlineEntry[] {
  const headings: { node: Heading; index: number }[] = [];
  root.children.forEach((node, index) => {
    if (node.type === 'heading') headings.push({ node, index });
  });
  return headings.map(({ node, index }, i) => {
    const next = headings.slice(i + 1).find((h) => h.node.depth <= node.depth);
    const following = headings[i + 1];
    const { start, end: headingEnd } = span(node);
    return {
      node,
      index,
      depth: node.depth,
      text: plainText(node),
      start,
      headingEnd,
      end: next ? span(next.node).start : source.length,
      ownEnd: following ? span(following.node).start : source.length,
      endIndex: next ? next.index : root.children.length,
    };
  });
}

/** A replacement of `source.slice(start, end)` by `text` (an insertion when `start === end`). */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * Apply edits to a source text. Edits must not overlap; insertions at the same offset keep the
 * order in which they were given.
 */
export function applyEdits(source: string, edits: readonly Edit[]): string {
  const ordered = edits
    .map((edit, order) => ({ ...edit, order }))
    .sort((a, b) => a.start - b.start || a.end - b.end || a.order - b.order);
  let out = '';
  let cursor = 0;
  for (const edit of ordered) {
    if (edit.start < cursor) throw new Error(`overlapping edits at offset ${String(edit.start)}`);
    out += source.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return out + source.slice(cursor);
}
