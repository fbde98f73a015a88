/**
 * The contract every validation rule implements: one small rule per file in this folder, each a
 * pure function from the loaded knowledge base to diagnostics. Rules never throw and never read
 * the file system; the list of rules and their order is in `./index.ts`.
 *
 * A rule whose findings for a document depend on that document's file alone (and the taxonomy)
 * also says so with `checkDocument`: validation then runs it while parsing the file, and the
 * parse cache keeps its diagnostics with the parse, so a run where the file did not change does
 * not check it again (`../load.ts`, `../cache.ts`).
 */
import type { Diagnostic } from '../diagnostics.ts';
import type { LinkIndex } from '../links.ts';
import type { AnyDoc, KnowledgeBase } from '../model.ts';
import type { Kind, Taxonomy } from '../../schema/index.ts';

/** Playbooks not reviewed for this many days get a warning, unless told otherwise. */
export const DEFAULT_STALE_AFTER_DAYS = 180;

export interface RuleContext {
  kb: KnowledgeBase;
  links: LinkIndex;
  /** "Today" for due dates and review ages; injectable so tests are deterministic. */
  now: Date;
  /** Playbooks not reviewed for this many days get a warning. Default 180. */
  staleAfterDays: number;
  /**
   * Position of a frontmatter field in a document's file, e.g. `locate(doc, ['action_items', 2, 'due'])`.
   * Falls back to the start of the frontmatter when the field is absent.
   */
  locate: (file: string, path: readonly (string | number)[]) => { line: number; column: number };
  /**
   * Document files that were found but not loaded (each already has an error), with the id they
   * claim. Rules use them to avoid knock-on errors (a link to a broken document is not also a
   * link to nothing) and to catch duplicate ids involving a broken file. Optional: empty when absent.
   */
  rejected?: readonly { kind: Kind; file: string; id?: string }[];
  /**
   * Every file under `content/` that is not a Markdown document (images and other attachments),
   * root-relative POSIX paths such as `content/postmortems/img/latency.png`, as the loader found
   * them. Rules check image paths against it instead of reading the file system. Optional: when
   * absent (checking a single draft), whether images exist is not checked.
   */
  assets?: ReadonlySet<string>;
}

/** What a file-local rule sees besides the document: where its fields are, and the taxonomy. */
export interface DocumentContext extends Pick<RuleContext, 'locate'> {
  taxonomy: Taxonomy;
}

export interface Rule {
  /** Stable code shown in diagnostics and used in docs, e.g. `unique-id`. */
  code: string;
  /** One line for the README's rule table. */
  description: string;
  check: (context: RuleContext) => Diagnostic[];
  /**
   * Set only on file-local rules: the diagnostics for one document, which must depend on nothing
   * but that document's file (its path and bytes: data, body, frontmatter positions) and the
   * taxonomy; never on other documents, the time, or options such as `staleAfterDays`. Their
   * results are cached with the file's parse. `check` must give exactly what this gives for each
   * of `context.kb.docs`, in that order (`fileLocalRule` in `./_shared.ts` builds it so).
   */
  checkDocument?: (doc: AnyDoc, context: DocumentContext) => Diagnostic[];
  /**
   * For rules that run every time (they depend on the date or on other documents): the
   * frontmatter fields of a document they are likely to report at, known from the document alone
   * (e.g. the due dates of its open action items). Their positions are worked out while parsing
   * and cached with the parse, so a warm run does not read the YAML again to place those findings.
   * A speed-up only: `context.locate` works out any other field when asked.
   */
  locatesFields?: (doc: AnyDoc) => readonly (readonly (string | number)[])[];
}
