/**
 * published-complete: what a document must have before it is published. A published postmortem
 * has a real root-cause category (not a draft-only placeholder such as `unknown`), at least one
 * reviewer, at least one action item, `detected`, `mitigated` and `resolved` timestamps, and the
 * template's required sections (`REQUIRED_SECTIONS`) as level-2 headings. A published playbook
 * has a real category and its required sections. Drafts and documents in review may be partial.
 */
import { REQUIRED_SECTIONS, type Taxonomy } from '../../schema/index.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { AnyDoc } from '../model.ts';
import { atField, fileLocalRule } from './_shared.ts';
import type { Rule } from './types.ts';

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();

function missingSections(doc: AnyDoc): Diagnostic[] {
  const present = new Set(doc.info.headings.filter((h) => h.depth === 2).map((h) => normalise(h.text)));
  const missing = REQUIRED_SECTIONS[doc.kind].filter((s) => !present.has(normalise(s)));
  if (missing.length === 0) return [];
  return [
    {
      code: rule.code,
      severity: 'error',
      file: doc.file,
      line: doc.bodyLine,
      column: 1,
      message: `a published ${doc.kind} needs the section${missing.length === 1 ? '' : 's'} ${missing.map((s) => `"${s}"`).join(', ')}`,
      expected: `level-2 headings: ${REQUIRED_SECTIONS[doc.kind].map((s) => `"## ${s}"`).join(', ')}`,
      found:
        present.size === 0
          ? 'no level-2 headings'
          : `${[...present].length} level-2 heading${present.size === 1 ? '' : 's'}`,
      hint: `add ${missing.map((s) => `"## ${s}"`).join(', ')} (the template in templates/ has guidance for each)`,
    },
  ];
}

/** Draft-only category ids and the real ones (quoted, for the message) of a taxonomy. */
const categoriesOf = new WeakMap<Taxonomy, { draftOnly: Set<string>; real: string[] }>();
function categories(taxonomy: Taxonomy): { draftOnly: Set<string>; real: string[] } {
  let found = categoriesOf.get(taxonomy);
  if (!found) {
    found = {
      draftOnly: new Set(taxonomy.categories.filter((c) => c.draft_only).map((c) => c.id)),
      real: taxonomy.categories.filter((c) => !c.draft_only).map((c) => `"${c.id}"`),
    };
    categoriesOf.set(taxonomy, found);
  }
  return found;
}

// File-local: a document's completeness depends on it and the taxonomy alone.
const rule: Rule = fileLocalRule({
  code: 'published-complete',
  description:
    'Published documents have a real category, reviewers, action items, all timestamps and required sections.',
  checkDocument(doc, context) {
    if (doc.data.status !== 'published') return [];
    const { draftOnly, real: realCategories } = categories(context.taxonomy);
    const out: Diagnostic[] = [];
    const base = { code: rule.code, severity: 'error' as const };
    if ((doc.kind === 'postmortem' || doc.kind === 'playbook') && draftOnly.has(doc.data.category)) {
      out.push(
        atField(context, doc, ['category'], {
          ...base,
          message: `category "${doc.data.category}" is allowed in drafts only; a published ${doc.kind} needs a real root-cause category`,
          field: 'category',
          expected: `one of ${realCategories.join(', ')}`,
          found: JSON.stringify(doc.data.category),
          hint: 'deciding what kind of failure it was is part of the review; see content/taxonomy.yaml for definitions',
        }),
      );
    }
    if (doc.kind === 'postmortem') {
      if (doc.data.reviewers.length === 0) {
        out.push(
          atField(context, doc, ['reviewers'], {
            ...base,
            message: 'a published postmortem needs at least one reviewer',
            field: 'reviewers',
            expected: 'reviewers: ["Name of reviewer"]',
            found: 'no reviewers',
          }),
        );
      }
      if (doc.data.action_items.length === 0) {
        out.push(
          atField(context, doc, ['action_items'], {
            ...base,
            message: 'a published postmortem needs at least one action item',
            field: 'action_items',
            expected: 'action_items with a title, owner, due date, status and kind',
            found: 'no action items',
            hint: 'if nothing should change, say why in an action item of kind "process" with status "wont-do"',
          }),
        );
      }
      for (const field of ['detected', 'mitigated', 'resolved'] as const) {
        if (doc.data[field] !== undefined) continue;
        out.push(
          atField(context, doc, [field], {
            ...base,
            message: `a published postmortem needs "${field}"`,
            field,
            expected: `${field}: a timestamp with a zone, e.g. "2026-03-04T02:14:00Z"`,
            found: 'nothing',
          }),
        );
      }
    }
    out.push(...missingSections(doc));
    return out;
  },
});

export default rule;
