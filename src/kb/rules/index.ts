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
import type { Taxonomy } from '../../schema/index.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { locateField, type FrontmatterSource } from '../frontmatter.ts';
import type { AnyDoc, Point } from '../model.ts';

export type { DocumentContext, Rule, RuleContext } from './types.ts';

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

/** The rules whose findings depend on one document's file alone (`Rule.checkDocument`), in order. */
export const FILE_RULES: readonly Rule[] = RULES.filter((rule) => rule.checkDocument !== undefined);

/** Diagnostics of the file-local rules for one document, by rule code (rules with none left out). */
export type FileChecks = Record<string, Diagnostic[]>;

/** Positions of frontmatter fields, by `fieldKey(path)`, worked out while parsing (`Rule.locatesFields`). */
export type FieldPositions = Record<string, Point>;

/** The key of a field path in `FieldPositions`. */
export function fieldKey(path: readonly (string | number)[]): string {
  return JSON.stringify(path);
}

/**
 * Where the fields that rules are likely to report at are in one document (`Rule.locatesFields`),
 * for the parse cache; undefined when no rule names any.
 */
export function locateAhead(doc: AnyDoc, frontmatter: FrontmatterSource | undefined): FieldPositions | undefined {
  let positions: FieldPositions | undefined;
  try {
    for (const rule of RULES) {
      for (const path of rule.locatesFields?.(doc) ?? []) {
        positions ??= {};
        positions[fieldKey(path)] = locateField(frontmatter, path, 'value');
      }
    }
  } catch {
    // A speed-up only: the rules locate their fields when they report.
    return undefined;
  }
  return positions;
}

/**
 * Run the file-local rules over one freshly parsed document, as parsing does so that the parse
 * cache keeps their results (`../load.ts`). `frontmatter` is the document's own frontmatter, for
 * positions. Returns undefined when a rule throws: validation then runs the rules again itself
 * and reports the failure as it reports any rule's (`runRules` in `../validate.ts`).
 */
export function runFileRules(
  doc: AnyDoc,
  frontmatter: FrontmatterSource | undefined,
  taxonomy: Taxonomy,
): FileChecks | undefined {
  const context = {
    taxonomy,
    locate: (file: string, path: readonly (string | number)[]) =>
      locateField(file === doc.file ? frontmatter : undefined, path, 'value'),
  };
  const checks: FileChecks = {};
  try {
    for (const rule of FILE_RULES) {
      const found = rule.checkDocument?.(doc, context) ?? [];
      if (found.length > 0) checks[rule.code] = found;
    }
  } catch {
    return undefined;
  }
  return checks;
}
