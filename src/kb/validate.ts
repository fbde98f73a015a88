/**
 * Validate a knowledge base in stages, as changesets validates its config:
 * 1. parse: read files, split frontmatter, parse YAML (`./load.ts`, `./frontmatter.ts`);
 * 2. normalise: check each document against its kind's schema, with readable issues
 *    (`./schema-issues.ts`); documents that fail are reported and left out;
 * 3. rules: checks over what loaded (`./rules/index.ts`). The file-local ones already ran while
 *    parsing, and are cached with the parse (`Rule.checkDocument`); the others, which depend on
 *    other documents or on the date, run here every time.
 * Nothing throws for bad content; everything is a diagnostic, sorted by file, line and column.
 */
import { posix, relative, resolve, sep } from 'node:path';
import { compareDiagnostics, type Diagnostic } from './diagnostics.ts';
import { createLinkIndex } from './links.ts';
import { loadKnowledgeBase, type LoadResult } from './load.ts';
import type { KnowledgeBase } from './model.ts';
import { FILE_RULES, RULES, type FileChecks } from './rules/index.ts';
import { TAXONOMY_FILE } from '../schema/index.ts';
import { DEFAULT_STALE_AFTER_DAYS, type DocumentContext, type Rule, type RuleContext } from './rules/types.ts';

export { DEFAULT_STALE_AFTER_DAYS } from './rules/types.ts';

export interface ValidateOptions {
  /**
   * Report diagnostics for these files or folders only (paths relative to the root, or absolute).
   * The whole knowledge base is still loaded, so references resolve against all of it. Problems
   * in the taxonomy are always reported: when it is invalid, no document could be checked.
   */
  files?: readonly string[];
  /** "Today" for due dates, review ages and future timestamps. Default: the current time. */
  now?: Date;
  /** Default `DEFAULT_STALE_AFTER_DAYS`. */
  staleAfterDays?: number;
  /** Rules to run; default `RULES`. For tests. */
  rules?: readonly Rule[];
  /** Called as documents are parsed (every 500 and at the end), for progress on a terminal. */
  onProgress?: (done: number, total: number) => void;
}

export interface ValidateResult {
  kb: KnowledgeBase;
  diagnostics: Diagnostic[];
  /** Every content file seen, root-relative, for summaries ("in 14 files"). */
  files: string[];
}

/**
 * A file-local rule over every document: its findings from parsing where the load has them
 * (`load.checks`, cached with the parse), the rule run here for the other documents. The same
 * diagnostics, in the same order, as `rule.check(context)`.
 */
function fileRuleDiagnostics(rule: Rule, context: RuleContext, checks: ReadonlyMap<string, FileChecks>): Diagnostic[] {
  const documentContext: DocumentContext = { taxonomy: context.kb.taxonomy, locate: context.locate };
  const out: Diagnostic[] = [];
  for (const doc of context.kb.docs) {
    const found = checks.get(doc.file);
    if (found) {
      const cached = found[rule.code];
      if (cached) out.push(...cached);
    } else if (rule.checkDocument) out.push(...rule.checkDocument(doc, documentContext));
  }
  return out;
}

/** Run every rule over a loaded knowledge base. A rule that throws becomes a diagnostic. */
export function runRules(load: LoadResult, options: Omit<ValidateOptions, 'files'> = {}): Diagnostic[] {
  const context: RuleContext = {
    kb: load.kb,
    links: createLinkIndex(load.kb.docs),
    now: options.now ?? new Date(),
    staleAfterDays: options.staleAfterDays ?? DEFAULT_STALE_AFTER_DAYS,
    locate: load.locate,
    rejected: load.rejected,
    ...(load.assets ? { assets: new Set(load.assets) } : {}),
  };
  const out: Diagnostic[] = [];
  for (const rule of options.rules ?? RULES) {
    try {
      const checks = FILE_RULES.includes(rule) ? load.checks : undefined;
      out.push(...(checks ? fileRuleDiagnostics(rule, context, checks) : rule.check(context)));
    } catch (error) {
      // A bug in a rule must not hide every other diagnostic, nor pass silently.
      out.push({
        code: 'internal-error',
        severity: 'error',
        file: 'content',
        line: 1,
        column: 1,
        message: `rule "${rule.code}" failed: ${(error as Error).message}`,
        hint: 'this is a bug in Hindsight, not in your content; please report it',
      });
    }
  }
  return out;
}

/** Root-relative POSIX form of a file given relative to the root or absolute. */
export function toRootRelative(root: string, file: string): string {
  return relative(resolve(root), resolve(root, file)).split(sep).join(posix.sep);
}

/**
 * Load and validate the knowledge base under `root`.
 */
export async function validateKnowledgeBase(root: string, options: ValidateOptions = {}): Promise<ValidateResult> {
  const load = await loadKnowledgeBase(root, options.onProgress ? { onProgress: options.onProgress } : {});
  let diagnostics = [...load.diagnostics, ...runRules(load, options)];
  if (options.files) {
    const wanted = options.files.map((f) => toRootRelative(root, f).replace(/\/$/, ''));
    diagnostics = diagnostics.filter(
      (d) =>
        // The taxonomy and internal errors always count: without a valid taxonomy no file was checked.
        d.file === TAXONOMY_FILE ||
        d.code === 'internal-error' ||
        wanted.some((w) => d.file === w || d.file.startsWith(`${w}/`)),
    );
  }
  diagnostics.sort(compareDiagnostics);
  return { kb: load.kb, diagnostics, files: load.files };
}
