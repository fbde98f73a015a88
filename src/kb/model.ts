/**
 * The in-memory shape of a knowledge base, shared by the validator, the CLI and the site.
 * Frontmatter types come from the schemas (`z.infer`); this file only adds where a document
 * came from and what its body links to.
 */
import type { Kind, PathData, PlaybookData, PostmortemData, Taxonomy } from '../schema/index.ts';

/** A 1-based line and column in a source file, as editors and `file:line:col` show them. */
export interface Point {
  line: number;
  column: number;
}

/** A link found in a document body. */
export interface BodyLink {
  /** `wiki` for `[[id]]` / `[[id|label]]`, `markdown` for `[label](../playbooks/x.md)`. */
  syntax: 'wiki' | 'markdown';
  /** The link target exactly as written (without the label). */
  raw: string;
  /** For wiki links: the id part. For markdown links: the path part (no fragment). */
  target: string;
  /** The `#fragment`, without `#`, when present. */
  fragment?: string;
  /** Where the link starts in the file (not the body). */
  position: Point;
}

/** An image in a document body: `![alt](src)` or `![alt][ref]` with its `[ref]: src` definition. */
export interface BodyImage {
  /** The image source exactly as written (for a reference, the definition's URL). */
  raw: string;
  /** Where the image starts in the file (not the body). */
  position: Point;
}

export interface Heading {
  depth: number;
  text: string;
  position: Point;
}

/** What a single Markdown parse of a body yields, for the validator and the site alike. */
export interface BodyInfo {
  links: BodyLink[];
  headings: Heading[];
  /** Images, in document order. */
  images: BodyImage[];
  /** Number of fenced `mermaid` code blocks. */
  mermaidBlocks: number;
}

interface DocBase<K extends Kind, D> {
  kind: K;
  /** The frontmatter id. */
  id: string;
  /** Path relative to the knowledge-base root, POSIX separators, e.g. `content/playbooks/x.md`. */
  file: string;
  data: D;
  /** The Markdown body, frontmatter removed. */
  body: string;
  /** 1-based line of the file where the body starts (the line after the closing `---`). */
  bodyLine: number;
  info: BodyInfo;
}

export type PostmortemDoc = DocBase<'postmortem', PostmortemData>;
export type PlaybookDoc = DocBase<'playbook', PlaybookData>;
export type PathDoc = DocBase<'path', PathData>;
export type AnyDoc = PostmortemDoc | PlaybookDoc | PathDoc;

export interface KnowledgeBase {
  /** Absolute folder holding `content/`. */
  root: string;
  taxonomy: Taxonomy;
  docs: AnyDoc[];
  postmortems: PostmortemDoc[];
  playbooks: PlaybookDoc[];
  paths: PathDoc[];
  /** Every document by id. When two documents share an id, the first loaded wins here. */
  byId: Map<string, AnyDoc>;
}

export function isPostmortem(doc: AnyDoc): doc is PostmortemDoc {
  return doc.kind === 'postmortem';
}
export function isPlaybook(doc: AnyDoc): doc is PlaybookDoc {
  return doc.kind === 'playbook';
}
export function isPath(doc: AnyDoc): doc is PathDoc {
  return doc.kind === 'path';
}

/** Assemble a knowledge base from loaded documents. Linear in the number of documents. */
export function buildKnowledgeBase(root: string, taxonomy: Taxonomy, docs: AnyDoc[]): KnowledgeBase {
  const byId = new Map<string, AnyDoc>();
  const postmortems: PostmortemDoc[] = [];
  const playbooks: PlaybookDoc[] = [];
  const paths: PathDoc[] = [];
  for (const doc of docs) {
    if (!byId.has(doc.id)) byId.set(doc.id, doc);
    if (isPostmortem(doc)) postmortems.push(doc);
    else if (isPlaybook(doc)) playbooks.push(doc);
    else paths.push(doc);
  }
  return { root, taxonomy, docs, postmortems, playbooks, paths, byId };
}
