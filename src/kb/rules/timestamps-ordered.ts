/**
 * timestamps-ordered: a postmortem's timeline is possible. `started ≤ detected ≤ mitigated ≤
 * resolved` (for those present), and none lies in the future. That every timestamp carries a
 * time zone is checked by the schema. The error is on the later field of a pair out of order.
 */
import type { Diagnostic } from '../diagnostics.ts';
import { atField } from './_shared.ts';
import type { Rule } from './types.ts';

const ORDER = ['started', 'detected', 'mitigated', 'resolved'] as const;

const rule: Rule = {
  code: 'timestamps-ordered',
  description: 'started ≤ detected ≤ mitigated ≤ resolved, and none in the future.',
  check(context) {
    const now = context.now.getTime();
    const out: Diagnostic[] = [];
    for (const doc of context.kb.postmortems) {
      let previous: { field: (typeof ORDER)[number]; value: string; time: number } | undefined;
      for (const field of ORDER) {
        const value = doc.data[field];
        if (value === undefined) continue;
        const time = Date.parse(value);
        if (Number.isNaN(time)) continue;
        if (time > now) {
          out.push(
            atField(context, doc, [field], {
              code: rule.code,
              severity: 'error',
              message: `"${field}" is in the future`,
              field,
              expected: `a time before now (${context.now.toISOString()})`,
              found: JSON.stringify(value),
              hint: 'check the year and the time zone offset',
            }),
          );
        }
        if (previous && time < previous.time) {
          out.push(
            atField(context, doc, [field], {
              code: rule.code,
              severity: 'error',
              message: `"${field}" is before "${previous.field}"`,
              field,
              expected: `a time at or after ${previous.field} (${previous.value})`,
              found: JSON.stringify(value),
              hint: 'the timeline runs started → detected → mitigated → resolved; check the date and the zone offset',
            }),
          );
        }
        if (!previous || time >= previous.time) previous = { field, value, time };
      }
    }
    return out;
  },
};

export default rule;
