/**
 * Small helpers shared by rules (internal: the `_` prefix). Rules stay one per file; what they
 * have in common (looking up a referenced id, positions, candidate lists) lives here.
 */
import { posix } from 'node:path';
import type { Kind } from '../../schema/index.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { resolveLink, type LinkIndex, type Resolution } from '../links.ts';
import type { AnyDoc } from '../model.ts';
import type { DocumentContext, Rule, RuleContext } from './types.ts';

export const KIND_WORD: Record<Kind, string> = {
  postmortem: 'postmortem',
  playbook: 'playbook',
  path: 'onboarding path',
};

/** A frontmatter reference from one document to another, with where it is written. */
export interface Reference {
  /** The document holding the reference. */
  from: AnyDoc;
  /** Field path, e.g. `['failure_modes', 1]` or `['steps', 0, 'doc']`. */
  path: (string | number)[];
  /** The referenced id as written. */
  id: string;
  /** Kinds the reference may point at. */
  kinds: readonly Kind[];
}

const referencesOf = new WeakMap<AnyDoc, readonly Reference[]>();

/**
 * Every frontmatter reference of a document: the one definition all rules share. Worked out once
 * per document (two rules walk them all).
 */
export function frontmatterReferences(doc: AnyDoc): readonly Reference[] {
  const known = referencesOf.get(doc);
  if (known) return known;
  const refs: Reference[] = [];
  if (doc.kind === 'postmortem') {
    doc.data.failure_modes.forEach((id, i) =>
      refs.push({ from: doc, path: ['failure_modes', i], id, kinds: ['playbook'] }),
    );
    doc.data.related.forEach((id, i) => refs.push({ from: doc, path: ['related', i], id, kinds: ['postmortem'] }));
  } else if (doc.kind === 'playbook') {
    doc.data.related.forEach((id, i) => refs.push({ from: doc, path: ['related', i], id, kinds: ['playbook'] }));
  } else {
    doc.data.steps.forEach((step, i) =>
      refs.push({ from: doc, path: ['steps', i, 'doc'], id: step.doc, kinds: ['postmortem', 'playbook', 'path'] }),
    );
  }
  referencesOf.set(doc, refs);
  return refs;
}

interface Resolved {
  /** Per document: the resolution of each of its body links, in order. */
  byDoc: Map<AnyDoc, Resolution[]>;
  /** Wiki links by target: their resolution depends on nothing else. */
  wiki: Map<string, Resolution>;
  /** Markdown links by linking folder, then target: their resolution depends on nothing else. */
  markdown: Map<string, Map<string, Resolution>>;
}
const resolutions = new WeakMap<LinkIndex, Resolved>();

/**
 * `resolveLink` for each of `doc.info.links`, in order, remembered per link index: two rules
 * resolve every body link (unresolved-link, published-links-draft), and most links are to a few
 * popular documents (10,000 postmortems: 50,000 links, 60 ms less).
 */
export function resolveBodyLinks(context: Pick<RuleContext, 'links'>, doc: AnyDoc): readonly Resolution[] {
  let resolved = resolutions.get(context.links);
  if (!resolved) {
    resolved = { byDoc: new Map(), wiki: new Map(), markdown: new Map() };
    resolutions.set(context.links, resolved);
  }
  const known = resolved.byDoc.get(doc);
  if (known) return known;
  const { wiki, markdown } = resolved;
  const folder = posix.dirname(doc.file);
  let inFolder = markdown.get(folder);
  if (!inFolder) {
    inFolder = new Map();
    markdown.set(folder, inFolder);
  }
  const list = doc.info.links.map((link) => {
    const memo = link.syntax === 'wiki' ? wiki : inFolder;
    let resolution = memo.get(link.target);
    if (!resolution) {
      resolution = resolveLink(link, doc.file, context.links);
      memo.set(link.target, resolution);
    }
    return resolution;
  });
  resolved.byDoc.set(doc, list);
  return list;
}

/** Ids claimed by documents that failed to load: references to them are not reported twice. */
export function rejectedIds(context: RuleContext): Set<string> {
  const ids = new Set<string>();
  for (const r of context.rejected ?? []) if (r.id !== undefined) ids.add(r.id);
  return ids;
}

/** Diagnostic at a frontmatter field of a document. */
export function atField(
  context: Pick<RuleContext, 'locate'>,
  doc: Pick<AnyDoc, 'file'>,
  path: readonly (string | number)[],
  fields: Omit<Diagnostic, 'file' | 'line' | 'column'>,
): Diagnostic {
  return { ...fields, file: doc.file, ...context.locate(doc.file, path) };
}

/** `['action_items', 2, 'due']` → `action_items[2].due`. */
export { formatFieldPath } from '../schema-issues.ts';

/**
 * A file-local rule (see `Rule.checkDocument`) from its per-document check: `check` runs it over
 * every loaded document in order, so both ways of running it give the same diagnostics.
 */
export function fileLocalRule(rule: {
  code: string;
  description: string;
  checkDocument: (doc: AnyDoc, context: DocumentContext) => Diagnostic[];
}): Rule {
  return {
    ...rule,
    check(context) {
      const documentContext: DocumentContext = { taxonomy: context.kb.taxonomy, locate: context.locate };
      return context.kb.docs.flatMap((doc) => rule.checkDocument(doc, documentContext));
    },
  };
}
