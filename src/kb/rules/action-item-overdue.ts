/**
 * action-item-overdue (warning): an open or in-progress action item whose due date has passed.
 * Overdue follow-ups are how incidents recur; the warning names the owner. The report and the
 * validator agree because both use the definitions in `../actions.ts` (`isOverdue`: open and due
 * before today; `daysSince`); the rule walks the items in file order instead of sorting every open
 * item as the report's `openActionItems` does (diagnostics are sorted by file and line afterwards).
 */
import { daysSince, isoDay, isOpen } from '../actions.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { atField } from './_shared.ts';
import type { Rule } from './types.ts';

const rule: Rule = {
  code: 'action-item-overdue',
  description: 'Open action items past their due date (warning).',
  check(context) {
    const out: Diagnostic[] = [];
    // `isOverdue(item, now)`, with today worked out once rather than for each of the items.
    const today = isoDay(context.now);
    for (const postmortem of context.kb.postmortems) {
      postmortem.data.action_items.forEach((item, index) => {
        if (!(isOpen(item) && item.due < today)) return;
        const daysOverdue = daysSince(item.due, context.now);
        out.push(
          atField(context, postmortem, ['action_items', index, 'due'], {
            code: rule.code,
            severity: 'warning',
            reminder: true,
            message: `action item "${item.title}" (${item.owner}) is ${daysOverdue} day${daysOverdue === 1 ? '' : 's'} overdue`,
            field: `action_items[${index}].due`,
            found: JSON.stringify(item.due),
            hint: 'finish it, agree a new due date with the owner, or mark it "wont-do" with a reason',
          }),
        );
      });
    }
    return out;
  },
  // Any open item can fall due: its position is worked out once, while parsing.
  locatesFields(doc) {
    if (doc.kind !== 'postmortem') return [];
    return doc.data.action_items.flatMap((item, index) => (isOpen(item) ? [['action_items', index, 'due']] : []));
  },
};

export default rule;
