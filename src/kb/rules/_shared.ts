/**
 * Small helpers shared by rules (internal: the `_` prefix). Rules stay one per file; what they
 * have in common (looking up a referenced id, positions, candidate lists) lives here.
 */
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

/** Every frontmatter reference in the knowledge base: the one definition all rules share. */
export function frontmatterReferences(doc: AnyDoc): Reference[] {
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
  return refs;
}

const resolutions = new WeakMap<LinkIndex, WeakMap<AnyDoc, Resolution[]>>();

/**
 * `resolveLink` for each of `doc.info.links`, in order, remembered per link index and document:
 * two rules resolve every body link (unresolved-link, published-links-draft).
 */
export function resolveBodyLinks(context: Pick<RuleContext, 'links'>, doc: AnyDoc): readonly Resolution[] {
  let byDoc = resolutions.get(context.links);
  if (!byDoc) {
    byDoc = new WeakMap();
    resolutions.set(context.links, byDoc);
  }
  let resolved = byDoc.get(doc);
  if (!resolved) {
    resolved = doc.info.links.map((link) => resolveLink(link, doc.file, context.links));
    byDoc.set(doc, resolved);
  }
  return resolved;
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
