/**
 * Write an analysed postmortem as a Hindsight draft: frontmatter (YAML, with a `# TODO` comment
 * on every placeholder) and the body, with links checked against the knowledge base. Pure.
 *
 * Links: a relative `.md` link to another file of the same import becomes a link to that file's
 * draft; any other relative `.md` link, and any `[[wiki link]]` to an id the knowledge base does
 * not have, is replaced by its text (the validator would reject it) and reported.
 */
import type { Link, Root, RootContent } from 'mdast';
import { posix } from 'node:path';
import { Document, isMap, isScalar, isSeq, Scalar } from 'yaml';
import type { Analysis, DraftData, Note } from './analyze.ts';
import { applyEdits, type Edit, parseMarkdown, span } from './markdown.ts';

export interface RenderOptions {
  /** The draft's id, e.g. `INC-2023-004`. */
  id: string;
  /** The original's path relative to the import folder, POSIX, e.g. `2023/checkout.md`. */
  originalPath: string;
  /** Draft file name of each other original in this import, by its path relative to the import folder. */
  batch: ReadonlyMap<string, string>;
  /** Ids of every document in the knowledge base (and of this import's drafts). */
  knownIds: ReadonlySet<string>;
}

export interface Rendered {
  /** The complete file text. */
  text: string;
  /** The frontmatter as data (what the validator will see), id included. */
  data: DraftData & { id: string };
  /** Notes added while rendering (links dropped). */
  needsHuman: Note[];
  changes: string[];
}

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/|#)/i;

function* links(nodes: readonly RootContent[]): Generator<Link> {
  for (const node of nodes) {
    if (node.type === 'link') yield node;
    if ('children' in node) yield* links(node.children);
  }
}

/** Fix or drop links a draft cannot keep. */
export function fixLinks(
  body: string,
  options: RenderOptions,
): { body: string; needsHuman: Note[]; changes: string[] } {
  const root: Root = parseMarkdown(body);
  const edits: Edit[] = [];
  const needsHuman: Note[] = [];
  const changes: string[] = [];
  for (const link of links(root.children)) {
    if (EXTERNAL.test(link.url)) continue;
    const [path = ''] = link.url.split('#');
    if (!/\.md$/i.test(path)) continue;
    const { start, end } = span(link);
    const label =
      link.children.length > 0
        ? body.slice(
            span(link.children[0] as RootContent).start,
            span(link.children[link.children.length - 1] as RootContent).end,
          )
        : path;
    let decoded = path;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      // keep it as written
    }
    const target = posix.normalize(posix.join(posix.dirname(options.originalPath), decoded));
    const draft = options.batch.get(target);
    if (draft) {
      const fragment = link.url.includes('#') ? `#${link.url.split('#').slice(1).join('#')}` : '';
      edits.push({ start, end, text: `[${label}](./${draft}${fragment})` });
      changes.push(`link to "${link.url}" now points at its draft ${draft}`);
    } else {
      edits.push({ start, end, text: label });
      needsHuman.push({
        message: `link to "${link.url}" removed (not part of this import; the text "${label}" is kept)`,
      });
    }
  }
  let fixed = applyEdits(body, edits);
  // Wiki links resolve by id; keep known ones, unwrap the rest.
  fixed = fixed.replace(
    /\[\[([^\]|#\n]+)(#[^\]|\n]*)?(?:\|([^\]\n]+))?\]\]/g,
    (whole, id: string, _fragment: string | undefined, label: string | undefined) => {
      if (options.knownIds.has(id.trim())) return whole;
      needsHuman.push({ message: `wiki link [[${id}]] removed (no document has that id; the text is kept)` });
      return label ?? id;
    },
  );
  return { body: fixed, needsHuman, changes };
}

/** Render the draft file. */
export function renderDraft(analysis: Analysis, options: RenderOptions): Rendered {
  const data = { id: options.id, ...analysis.data };
  const links = fixLinks(analysis.body, options);
  const doc = new Document(data, { version: '1.2' });
  // Short lists on one line, dates quoted (YAML 1.1 readers would make them Date objects).
  for (const key of ['services', 'tags', 'authors']) {
    const node = doc.get(key, true);
    if (isSeq(node)) node.flow = true;
  }
  const quoteDates = (node: unknown) => {
    if (isScalar(node) && typeof node.value === 'string' && /^\d{4}-\d{2}-\d{2}(?:T|$)/.test(node.value))
      node.type = Scalar.QUOTE_DOUBLE;
  };
  for (const key of ['started', 'detected', 'mitigated', 'resolved']) quoteDates(doc.get(key, true));
  const items = doc.get('action_items', true);
  if (isSeq(items) && items.items.length === 0) items.flow = true;
  if (isSeq(items)) for (const item of items.items) if (isMap(item)) quoteDates(item.get('due', true));
  // A "# TODO" comment on each field a person must check.
  const comments = new Map<string, string[]>();
  for (const note of [...analysis.needsHuman]) {
    if (!note.field) continue;
    for (const field of note.field.split(', ')) {
      const key = field.replace(/\[\d+\].*$/, '');
      comments.set(key, [...(comments.get(key) ?? []), note.message]);
    }
  }
  for (const [field, messages] of comments) {
    const path = field.split('.');
    const node = doc.getIn(path, true);
    const target = isScalar(node) || isSeq(node) || isMap(node) ? node : undefined;
    if (!target) continue;
    const text = ` TODO(import): ${messages[0] ?? ''}${messages.length > 1 ? ` (+${String(messages.length - 1)} more)` : ''}`;
    if (isScalar(target) || (isSeq(target) && target.flow === true)) target.comment = text;
    else target.commentBefore = text;
  }
  const yaml = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  return {
    text: `---\n${yaml}---\n\n${links.body}`,
    data,
    needsHuman: [...analysis.needsHuman, ...links.needsHuman],
    changes: [...analysis.changes, ...links.changes],
  };
}
