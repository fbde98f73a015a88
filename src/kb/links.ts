/**
 * Link resolution: pure, given the set of known documents (the `permalinks` idea of
 * remark-wiki-link). Never touches the file system.
 */
import { posix } from 'node:path';
import type { Kind } from '../schema/index.ts';
import { KINDS } from '../schema/index.ts';
import type { AnyDoc, BodyLink } from './model.ts';

export interface LinkTarget {
  kind: Kind;
  id: string;
}

/** Every document by id and by file, the only input link resolution needs. */
export interface LinkIndex {
  byId: ReadonlyMap<string, LinkTarget>;
  /** Key: path relative to the knowledge-base root, POSIX, e.g. `content/playbooks/x.md`. */
  byFile: ReadonlyMap<string, LinkTarget>;
}

export function createLinkIndex(docs: readonly Pick<AnyDoc, 'kind' | 'id' | 'file'>[]): LinkIndex {
  const byId = new Map<string, LinkTarget>();
  const byFile = new Map<string, LinkTarget>();
  for (const doc of docs) {
    const target = { kind: doc.kind, id: doc.id };
    if (!byId.has(doc.id)) byId.set(doc.id, target);
    byFile.set(doc.file, target);
  }
  return { byId, byFile };
}

export type Resolution =
  | { ok: true; target: LinkTarget }
  | { ok: false; reason: 'unknown-id' | 'unknown-file' | 'outside-content' | 'not-markdown' };

/**
 * Resolve a body link written in the document at `fromFile` (root-relative, POSIX).
 * Markdown links that do not point at a `.md` file (images, site paths) resolve to
 * `not-markdown`: callers ignore those.
 */
export function resolveLink(link: BodyLink, fromFile: string, index: LinkIndex): Resolution {
  if (link.syntax === 'wiki') {
    const target = index.byId.get(link.target);
    return target ? { ok: true, target } : { ok: false, reason: 'unknown-id' };
  }
  if (!link.target.toLowerCase().endsWith('.md')) return { ok: false, reason: 'not-markdown' };
  if (link.target.startsWith('/')) return { ok: false, reason: 'outside-content' };
  const resolved = posix.normalize(posix.join(posix.dirname(fromFile), link.target));
  if (!resolved.startsWith('content/')) return { ok: false, reason: 'outside-content' };
  const target = index.byFile.get(resolved);
  return target ? { ok: true, target } : { ok: false, reason: 'unknown-file' };
}

/** Site path of a document, relative to the site base, e.g. `playbooks/retry-storm/`. */
export function docPath(target: LinkTarget): string {
  return `${KINDS[target.kind]}/${encodeURIComponent(target.id)}/`;
}

/** Absolute site URL of a document under `base` (which must end with `/`). */
export function docUrl(target: LinkTarget, base: string): string {
  const prefix = base.endsWith('/') ? base : `${base}/`;
  return `${prefix}${docPath(target)}`;
}
