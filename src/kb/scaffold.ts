/**
 * Scaffolding new documents from `templates/`: pure helpers behind `hindsight new`.
 *
 * A template is a Markdown file whose frontmatter is YAML with comments (the guidance authors
 * see) and `{{placeholders}}`:
 * - A value that is exactly `"{{name}}"` takes the variable's value with its type (a list for
 *   `services`, a number for `estimated_minutes`). When the variable has no value (an optional
 *   field nobody gave), the field is left out and a comment line `# name: …` takes its place,
 *   so the author still sees that it exists and what it expects.
 * - Inside longer text (and in the body), `{{name}}` is replaced by the value as text.
 * Field values given explicitly (flags, prompts) are then set over the template's literals.
 *
 * Variables: every frontmatter field by its path (`title`, `impact.users_affected`), plus
 * `date` (YYYY-MM-DD), `now` (a UTC timestamp, minutes), `year` and `author`.
 */
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  Scalar,
  visit,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';
import type { Kind, Taxonomy } from '../schema/index.ts';

/** Values a template may use besides the frontmatter fields. */
export const BUILTIN_VARIABLES = ['date', 'now', 'year', 'author'] as const;

/** Longest slug made from a title; a file name should fit in a terminal line. */
export const MAX_SLUG_LENGTH = 60;

/** Names Windows refuses as file names whatever the extension. */
const RESERVED_NAMES = /^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])$/;

/**
 * A lowercase, dash-separated slug of a title: accents dropped, everything that is not a letter
 * or digit becomes one dash, cut at a word boundary to at most `max` characters.
 * Returns `''` when nothing usable is left (a title of only punctuation or non-Latin letters).
 */
export function slugify(title: string, max = MAX_SLUG_LENGTH): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max + 1);
  const lastDash = cut.lastIndexOf('-');
  return (lastDash > 0 ? cut.slice(0, lastDash) : slug.slice(0, max)).replace(/-+$/, '');
}

/**
 * Why a title cannot be used, or `undefined` when it can. Refuses control characters (NUL,
 * newlines), anything that reads as a path (`../`, a leading `/` or `~`), and titles that leave
 * no letters or digits for a file name. The file name is always a slug, so nothing could escape
 * the folder anyway; a title that looks like a path is a mistake worth stopping.
 */
export function titleProblem(title: string): string | undefined {
  const controlCharacter = Array.from({ length: title.length }, (_, i) => title.charCodeAt(i)).some(
    (c) => c < 32 || c === 127,
  );
  if (controlCharacter)
    return 'it contains control characters (a NUL byte, a newline or a tab); a title is one line of text';
  const trimmed = title.trim();
  if (trimmed === '') return 'it is empty';
  if (/(?:^|[\\/])\.\.(?:[\\/]|$)/.test(trimmed) || /^[\\/~]/.test(trimmed)) {
    return 'it looks like a file path ("../", or a leading "/", "\\" or "~"); a title names an incident or a failure mode, not a file';
  }
  return undefined;
}

/** Why a slug cannot be a file name, or `undefined` when it can. */
export function slugProblem(slug: string): string | undefined {
  if (slug === '') return 'it has no Latin letters or digits to build a file name from';
  if (RESERVED_NAMES.test(slug)) return `"${slug}" is a reserved file name on Windows`;
  return undefined;
}

/**
 * The next free postmortem id for `year`: one more than the highest `INC-<year>-<n>` in use,
 * at least three digits (`INC-2026-001`, …, `INC-2026-999`, `INC-2026-1000`).
 */
export function nextPostmortemId(existingIds: Iterable<string>, year: number): string {
  const prefix = `INC-${year}-`;
  let highest = 0;
  for (const id of existingIds) {
    if (!id.startsWith(prefix)) continue;
    const digits = /^(\d+)/.exec(id.slice(prefix.length));
    if (digits) highest = Math.max(highest, Number(digits[1]));
  }
  return `${prefix}${String(highest + 1).padStart(3, '0')}`;
}

/** The file name a new document gets: `<id>-<slug>.md` for postmortems, `<id>.md` otherwise. */
export function documentFileName(kind: Kind, id: string, slug: string): string {
  return kind === 'postmortem' && slug !== '' ? `${id}-${slug}.md` : `${id}.md`;
}

/** A UTC timestamp at minute precision, `2026-03-04T02:14:00Z`. */
export function minuteTimestamp(now: Date): string {
  return `${now.toISOString().slice(0, 16)}:00Z`;
}

/**
 * Defaults for the fields a scaffolded draft needs to be valid, chosen from the taxonomy so any
 * organisation's templates work: the least severe severity, the draft-only category (`unknown`),
 * the first detection source and service. They are placeholders: a human replaces them, and the
 * CLI lists which defaults it used.
 */
export function taxonomyDefaults(kind: Kind, taxonomy: Taxonomy): Record<string, unknown> {
  const draftCategory = taxonomy.categories.find((c) => c.draft_only) ?? taxonomy.categories[0];
  const leastSevere = [...taxonomy.severities].sort((a, b) => b.rank - a.rank)[0];
  const defaults: Record<string, unknown> = { status: 'draft' };
  if (kind === 'postmortem' || kind === 'playbook') {
    if (draftCategory) defaults['category'] = draftCategory.id;
  }
  if (kind === 'postmortem') {
    if (leastSevere) defaults['severity'] = leastSevere.id;
    const detection = taxonomy.detection_sources[0];
    if (detection) defaults['detection'] = detection.id;
    defaults['services'] = [taxonomy.services[0]?.id ?? 'example-service'];
  }
  return defaults;
}

export class TemplateError extends Error {
  /** 1-based line in the template where the problem is. */
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.name = 'TemplateError';
    this.line = line;
  }
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g;
const WHOLE_PLACEHOLDER = /^\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}$/;

export interface RenderInput {
  /** The template file's text. */
  template: string;
  /** Variable values; a known variable mapped to `undefined` means "no value, leave it out". */
  variables: ReadonlyMap<string, unknown>;
  /** Values to set over the template's literals after substitution, by field path. */
  fields: readonly { path: readonly string[]; value: unknown }[];
  /** One line describing an optional field, for the comment left where it was, e.g. "(optional) …". */
  describe?: (path: readonly string[]) => string | undefined;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}

function isPlainScalarList(value: unknown): boolean {
  return Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object');
}

/** A YAML node for a value: short lists of scalars in flow style (`[a, b]`), dates quoted. */
function toNode(doc: Document, value: unknown): Node {
  const node = doc.createNode(value) as Node;
  if (isSeq(node) && isPlainScalarList(value)) node.flow = true;
  visit(node, {
    Scalar(_, scalar) {
      if (typeof scalar.value === 'string' && /^\d{4}-\d{2}-\d{2}(?:T|$)/.test(scalar.value))
        scalar.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return node;
}

function interpolate(text: string, variables: ReadonlyMap<string, unknown>, where: () => number): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    if (!variables.has(name)) throw new TemplateError(`unknown placeholder {{${name}}}`, where());
    const value = variables.get(name);
    if (value === undefined) return '';
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}

/**
 * Render a template into a document's text. Throws `TemplateError` (with the template line) for
 * a template that is not a frontmatter block of YAML fields or that uses an unknown placeholder.
 */
export function renderTemplate({ template, variables, fields, describe }: RenderInput): string {
  const text = template.replace(/\r\n?/g, '\n');
  const match = /^---[ \t]*\n([\s\S]*?\n)?---[ \t]*(?:\n|$)/.exec(text);
  if (!match) throw new TemplateError('the template must start with a frontmatter block between "---" lines', 1);
  const yamlText = match[1] ?? '';
  const yamlLine = (offset: number) => lineOf(yamlText, offset) + 1;
  const doc = parseDocument(yamlText, { version: '1.2', keepSourceTokens: false });
  const [firstError] = doc.errors;
  if (firstError)
    throw new TemplateError(
      `the frontmatter is not valid YAML: ${firstError.message.split('\n')[0] ?? ''}`,
      yamlLine(firstError.pos[0]),
    );
  if (!isMap(doc.contents)) throw new TemplateError('the frontmatter must be a set of "key: value" fields', 2);

  // 1. Placeholders. A whole value takes the variable's typed value; a field whose variable has
  //    no value is collected to be left out; text placeholders are replaced as text. Nodes made
  //    from values are never scanned again: a title may itself contain "{{".
  const produced = new WeakSet<object>();
  const pending: { map: YAMLMap; pair: Pair; path: string[] }[] = [];
  visit(doc, {
    Scalar(_, scalar, path) {
      if (typeof scalar.value !== 'string' || !scalar.value.includes('{{')) return undefined;
      if (produced.has(scalar) || path.some((ancestor) => produced.has(ancestor))) return undefined;
      const at = () => yamlLine(scalar.range?.[0] ?? 0);
      const whole = WHOLE_PLACEHOLDER.exec(scalar.value);
      if (!whole) {
        scalar.value = interpolate(scalar.value, variables, at);
        return undefined;
      }
      const name = whole[1] ?? '';
      if (!variables.has(name)) throw new TemplateError(`unknown placeholder {{${name}}}`, at());
      const value = variables.get(name);
      const parent = path[path.length - 1];
      if (value === undefined) {
        const map = path[path.length - 2];
        if (isPair(parent) && parent.value === scalar && isMap(map)) {
          const keyPath = path.filter((n): n is Pair => isPair(n)).map((p) => String((p.key as Scalar).value));
          pending.push({ map, pair: parent, path: keyPath });
          return undefined;
        }
        return visit.REMOVE;
      }
      const node = toNode(doc, value);
      if (scalar.comment) node.comment = scalar.comment;
      produced.add(node);
      return node;
    },
  });
  // Fields without a value become comment lines on the next field (or the end of their map).
  for (const { map, pair, path } of pending) {
    const index = map.items.indexOf(pair);
    const key = pair.key as Scalar;
    const description = describe?.(path);
    const lines = [key.commentBefore, ` ${String(key.value)}:${description ? ` ${description}` : ''}`].filter(
      (c): c is string => typeof c === 'string' && c !== '',
    );
    map.items.splice(index, 1);
    const next = map.items[index];
    if (next && isScalar(next.key)) {
      next.key.commentBefore = [...lines, next.key.commentBefore]
        .filter((c) => typeof c === 'string' && c !== '')
        .join('\n');
    } else {
      map.comment = [map.comment, ...lines].filter((c) => typeof c === 'string' && c !== '').join('\n');
    }
  }

  // 3. Explicit values win over the template's literals.
  for (const { path, value } of fields) {
    const existing = doc.getIn(path, true);
    const node = toNode(doc, value);
    const comment =
      existing && typeof existing === 'object' && 'comment' in existing ? (existing as Node).comment : undefined;
    if (comment) node.comment = comment;
    doc.setIn(path, node);
  }

  const body = interpolate(text.slice(match[0].length), variables, () => lineOf(text, match[0].length));
  return `---\n${doc.toString({ lineWidth: 0, flowCollectionPadding: false })}---\n${body}`;
}
