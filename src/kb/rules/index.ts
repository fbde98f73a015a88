/**
 * The validation rules, in the order they run. Each is one small pure function in its own file
 * (`Rule` in `./types.ts`); the schema stage (types, enums, unknown keys with "did you mean")
 * runs before these, while loading (`../load.ts`). Order only affects which rule runs first;
 * diagnostics are sorted by file and line afterwards.
 */
import actionItemOverdue from './action-item-overdue.ts';
import idMatchesFilename from './id-matches-filename.ts';
import playbookStale from './playbook-stale.ts';
import publishedComplete from './published-complete.ts';
import publishedLinksDraft from './published-links-draft.ts';
import timestampsOrdered from './timestamps-ordered.ts';
import type { Rule } from './types.ts';
import uniqueId from './unique-id.ts';
import unresolvedImage from './unresolved-image.ts';
import unresolvedLink from './unresolved-link.ts';
import unresolvedReference from './unresolved-reference.ts';
import sensitiveData from './sensitive-data.ts';

export type { Rule, RuleContext } from './types.ts';

export const RULES: readonly Rule[] = [
  // Identity: ids are unique across the knowledge base and agree with file names.
  uniqueId,
  idMatchesFilename,
  // References: frontmatter ids and body links resolve to loaded documents; images to files in content/.
  unresolvedReference,
  unresolvedLink,
  unresolvedImage,
  // Content: timelines are possible; published documents are complete and link only to published ones.
  timestampsOrdered,
  publishedComplete,
  publishedLinksDraft,
  // Upkeep (warnings): overdue follow-ups and playbooks nobody has reviewed lately.
  actionItemOverdue,
  playbookStale,
  // Safety: no secrets or personal data in published documents (allowlist for reviewed strings).
  sensitiveData,
];
