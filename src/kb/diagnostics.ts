/**
 * A diagnostic is what every stage of validation returns instead of throwing: where (file,
 * line, column), which field, what was expected (with an example) and what was found.
 * Formatting for people, JSON and GitHub annotations lives in `./format.ts`.
 */
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Stable rule code, e.g. `unique-id`, `unresolved-link`, `schema`. */
  code: string;
  severity: Severity;
  /** Path relative to the knowledge-base root, POSIX separators. */
  file: string;
  /** 1-based; 1 when the problem is the file as a whole. */
  line: number;
  /** 1-based. */
  column: number;
  /** One sentence, no trailing period needed. */
  message: string;
  /** Frontmatter field path, e.g. `action_items[2].due`, when the problem is a field. */
  field?: string;
  /** What was expected, ideally with an example: `a timestamp with a zone, e.g. "2026-03-04T02:14:00Z"`. */
  expected?: string;
  /** What was found, quoted and truncated. */
  found?: string;
  /** A suggestion, e.g. `did you mean "severity"?` */
  hint?: string;
  /**
   * True for findings that depend on the calendar rather than on the document: overdue action
   * items and playbooks due for review. They are warnings, but `--strict` does not fail on them
   * (a commit that changed nothing must not turn red because a date passed);
   * `--fail-on-reminders` does, for a scheduled job that nags.
   */
  reminder?: boolean;
  /** Other places involved (the other file of a duplicate id). */
  related?: { file: string; line: number; column: number; message: string }[];
}

/** Order diagnostics the way people read them: by file, then line, then column. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code);
}
