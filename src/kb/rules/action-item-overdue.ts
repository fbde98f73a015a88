/**
 * action-item-overdue (warning): an open or in-progress action item whose due date has passed.
 * Overdue follow-ups are how incidents recur; the warning names the owner so the report and the
 * validator agree (both use `openActionItems` from `../actions.ts`).
 */
import { openActionItems } from '../actions.ts';
import { atField } from './_shared.ts';
import type { Rule } from './types.ts';

const rule: Rule = {
  code: 'action-item-overdue',
  description: 'Open action items past their due date (warning).',
  check(context) {
    return openActionItems(context.kb, context.now)
      .filter((open) => open.overdue)
      .map((open) =>
        atField(context, open.postmortem, ['action_items', open.index, 'due'], {
          code: rule.code,
          severity: 'warning',
          reminder: true,
          message: `action item "${open.item.title}" (${open.item.owner}) is ${open.daysOverdue} day${open.daysOverdue === 1 ? '' : 's'} overdue`,
          field: `action_items[${open.index}].due`,
          found: JSON.stringify(open.item.due),
          hint: 'finish it, agree a new due date with the owner, or mark it "wont-do" with a reason',
        }),
      );
  },
};

export default rule;
