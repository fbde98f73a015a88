/**
 * unresolved-reference: every id named in frontmatter exists and is of the right kind.
 * A postmortem's `failure_modes` name playbooks and its `related` name postmortems; a playbook's
 * `related` name playbooks; a path's `steps[].doc` name any document. A document that lists
 * itself is reported too. References to a document that exists but failed validation are not
 * reported again (that document already has its own error).
 */
import { didYouMean } from '../schema-issues.ts';
import { atField, formatFieldPath, frontmatterReferences, KIND_WORD, rejectedIds } from './_shared.ts';
import type { Rule } from './types.ts';
import type { Diagnostic } from '../diagnostics.ts';

const rule: Rule = {
  code: 'unresolved-reference',
  description: 'Ids in failure_modes, related and path steps name existing documents of the right kind.',
  check(context) {
    const broken = rejectedIds(context);
    // Candidates for "did you mean", listed only when a reference is broken.
    let byKind: Map<string, string[]> | undefined;
    const idsByKind = (): Map<string, string[]> => {
      if (!byKind) {
        byKind = new Map();
        for (const doc of context.kb.docs) {
          const list = byKind.get(doc.kind) ?? [];
          list.push(doc.id);
          byKind.set(doc.kind, list);
        }
      }
      return byKind;
    };
    const out: Diagnostic[] = [];
    for (const doc of context.kb.docs) {
      for (const ref of frontmatterReferences(doc)) {
        const target = context.kb.byId.get(ref.id);
        // The common case first, before building any text.
        if (target && target.file !== doc.file && ref.kinds.includes(target.kind)) continue;
        const field = formatFieldPath(ref.path);
        const wanted = ref.kinds.length > 1 ? 'document' : KIND_WORD[ref.kinds[0] ?? 'playbook'];
        if (target?.file === doc.file) {
          out.push(
            atField(context, doc, ref.path, {
              code: rule.code,
              severity: 'error',
              message: `"${field}" refers to this document itself`,
              field,
              found: JSON.stringify(ref.id),
              hint: 'remove the entry',
            }),
          );
          continue;
        }
        if (!target && broken.has(ref.id)) continue;
        const candidates = ref.kinds.flatMap((k) => idsByKind().get(k) ?? []);
        if (target) {
          out.push(
            atField(context, doc, ref.path, {
              code: rule.code,
              severity: 'error',
              message: `"${field}" refers to ${KIND_WORD[target.kind]} "${ref.id}", but it must name a ${wanted}`,
              field,
              expected: `the id of a ${wanted}`,
              found: JSON.stringify(ref.id),
              hint: `link to it from the body instead: [[${ref.id}]]`,
            }),
          );
          continue;
        }
        const suggestion = didYouMean(ref.id, candidates);
        out.push(
          atField(context, doc, ref.path, {
            code: rule.code,
            severity: 'error',
            message: `"${field}" refers to "${ref.id}", which is not a known ${wanted}`,
            field,
            expected: `the id of an existing ${wanted}${candidates[0] ? `, e.g. "${candidates[0]}"` : ''}`,
            found: JSON.stringify(ref.id),
            hint: suggestion
              ? `did you mean "${suggestion}"?`
              : `create it (\`npx hindsight new ${ref.kinds[0] ?? 'playbook'}\`) or remove the entry`,
          }),
        );
      }
    }
    return out;
  },
};

export default rule;
