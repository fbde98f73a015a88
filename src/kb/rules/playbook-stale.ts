/**
 * playbook-stale (warning): a playbook whose `last_reviewed` date is older than `staleAfterDays`
 * (default 180, `--stale-days` on the command line). A playbook nobody has checked against the
 * current system can send a responder the wrong way at 2 a.m. Drafts are exempt (they are not
 * published). A `last_reviewed` date in the future is an error: it would hide staleness for as
 * long as it stays in the future.
 */
import { daysSince, isoDay, isStale } from '../actions.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { atField } from './_shared.ts';
import type { Rule } from './types.ts';

const rule: Rule = {
  code: 'playbook-stale',
  description:
    'Playbooks not reviewed within the configured number of days (warning); review dates in the future (error).',
  check(context) {
    const out: Diagnostic[] = [];
    const today = isoDay(context.now);
    for (const playbook of context.kb.playbooks) {
      const reviewed = playbook.data.last_reviewed;
      if (reviewed > today) {
        out.push(
          atField(context, playbook, ['last_reviewed'], {
            code: rule.code,
            severity: 'error',
            message: 'last_reviewed is in the future',
            field: 'last_reviewed',
            expected: `a date on or before ${today}`,
            found: JSON.stringify(reviewed),
            hint: 'write the date the playbook was actually checked',
          }),
        );
      } else if (playbook.data.status !== 'draft' && isStale(playbook, context.now, context.staleAfterDays)) {
        out.push(
          atField(context, playbook, ['last_reviewed'], {
            code: rule.code,
            severity: 'warning',
            reminder: true,
            message: `playbook last reviewed ${daysSince(reviewed, context.now)} days ago (limit ${context.staleAfterDays})`,
            field: 'last_reviewed',
            found: JSON.stringify(reviewed),
            hint: 'check it against the current system and update last_reviewed',
          }),
        );
      }
    }
    return out;
  },
  // Every playbook falls due for review: where its date is, worked out once, while parsing.
  locatesFields: (doc) => (doc.kind === 'playbook' ? [['last_reviewed']] : []),
};

export default rule;
