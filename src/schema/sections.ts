/**
 * Body sections (level-2 headings) each kind must have before it can be published. The
 * templates in `templates/` contain them with guidance; the `required-sections` rule checks
 * them. One list, used by both.
 */
import type { Kind } from './documents.ts';

export const REQUIRED_SECTIONS: Record<Kind, readonly string[]> = {
  postmortem: ['Summary', 'Impact', 'Timeline', 'Contributing factors', 'What went well', 'Where we got lucky'],
  playbook: ['Confirm', 'Mitigate now', 'Fix for good'],
  path: [],
};
