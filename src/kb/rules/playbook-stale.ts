/**
 * playbook-stale (warning): a playbook whose `last_reviewed` date is older than `staleAfterDays`
 * (default 180, `--stale-days` on the command line). A playbook nobody has checked against the
 * current system can send a responder the wrong way at 2 a.m.
 */
import { daysSince, isStale } from '../actions.ts';
import { atField } from './_shared.ts';
import type { Rule } from './types.ts';

const rule: Rule = {
  code: 'playbook-stale',
  description: 'Playbooks not reviewed within the configured number of days (warning).',
  check(context) {
    return context.kb.playbooks
      .filter((playbook) => playbook.data.status !== 'draft' && isStale(playbook, context.now, context.staleAfterDays))
      .map((playbook) =>
        atField(context, playbook, ['last_reviewed'], {
          code: rule.code,
          severity: 'warning',
          message: `playbook last reviewed ${daysSince(playbook.data.last_reviewed, context.now)} days ago (limit ${context.staleAfterDays})`,
          field: 'last_reviewed',
          found: JSON.stringify(playbook.data.last_reviewed),
          hint: 'check it against the current system and update last_reviewed',
        }),
      );
  },
};

export default rule;
