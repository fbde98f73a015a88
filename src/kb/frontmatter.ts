/**
 * Frontmatter: split a content file into its YAML frontmatter and Markdown body, parse the YAML
 * safely, and map any field path back to a line and column in the file.
 *
 * Content files are untrusted input, so:
 * - The split is done here, not by gray-matter: gray-matter evaluates `---js` frontmatter with
 *   `eval` unless every engine is overridden, caches every input string it sees, and closes the
 *   block at the first line that merely starts with `---`. Here a `---js`, `---javascript`,
 *   `---coffee` or any other non-YAML language tag is a diagnostic and nothing is evaluated;
 *   TOML (`+++`) is refused too; the block closes at the first line that is exactly `---` (or
 *   `...`), the same rule YAML itself uses for a document end.
 * - YAML is read with the YAML 1.2 core schema: no custom tags, no merge keys, timestamps stay
 *   strings. Plain YAML takes a fast path (js-yaml, `readPlainYaml`); anything else, and any
 *   error, takes the careful path: `yaml` (eemeli) with positions, aliases capped
 *   (`MAX_YAML_ALIASES`, so an alias bomb is a diagnostic, not an out-of-memory crash), tags
 *   refused, duplicate keys reported.
 * - A byte-order mark is dropped and CRLF / lone CR line endings are read as LF; neither changes
 *   line numbers nor columns, so positions still match what an editor shows.
 *
 * Everything here is pure: text in, result and diagnostics out.
 */
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { Diagnostic } from './diagnostics.ts';
import type { Point } from './model.ts';

/** Aliases (`*name`) allowed when turning frontmatter into data. Legitimate frontmatter uses few. */
export const MAX_YAML_ALIASES = 50;

/** Where a frontmatter block sits in its file, enough to re-parse it later for positions. */
export interface FrontmatterSource {
  /** The YAML text between the delimiters, LF line endings. Its line 1 is the file's line 1. */
  yaml: string;
  /** Column (0-based) in file line 1 where `yaml` starts (after `---` and any language tag). */
  firstLineColumn: number;
}

export interface FrontmatterResult {
  /** The parsed frontmatter data; `undefined` when the frontmatter is missing or unreadable. */
  data: unknown;
  /** The Markdown body (LF line endings), frontmatter removed. The whole text when there is none. */
  body: string;
  /** 1-based file line where the body starts. */
  bodyLine: number;
  /** Present when a frontmatter block was found, for `locateField`. */
  source?: FrontmatterSource;
  diagnostics: Diagnostic[];
}

/** Normalise line endings to LF and drop a leading byte-order mark. Lines and columns are kept. */
export function normalizeText(text: string): string {
  const noBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return noBom.includes('\r') ? noBom.replace(/\r\n?/g, '\n') : noBom;
}

/** Languages gray-matter would accept after `---` that mean YAML. */
const YAML_LANGUAGES = new Set(['', 'yaml', 'yml']);

function fileError(file: string, code: string, message: string, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { code, severity: 'error', file, line: 1, column: 1, message, ...extra };
}

/** Count `\n` in `text` before `end`. */
function linesBefore(text: string, end: number): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) count += 1;
  return count;
}

/**
 * Split and parse the frontmatter of one content file.
 *
 * @param text the file's text (any line endings, optional BOM)
 * @param file path for diagnostics, relative to the knowledge-base root
 */
export function parseFrontmatter(text: string, file: string): FrontmatterResult {
  const source = normalizeText(text);
  const firstLineEnd = source.indexOf('\n');
  const firstLine = firstLineEnd === -1 ? source : source.slice(0, firstLineEnd);

  if (/^\+\+\+\s*$/.test(firstLine)) {
    return {
      data: undefined,
      body: source,
      bodyLine: 1,
      diagnostics: [
        fileError(file, 'frontmatter-language', 'TOML frontmatter (+++) is not supported; use YAML between --- lines', {
          expected: 'YAML frontmatter between "---" lines, e.g. "---\\nid: INC-2026-014\\n---"',
          found: '+++',
        }),
      ],
    };
  }
  // `---` then optionally a language tag (gray-matter's convention), nothing else on the line.
  const opening = /^---([^-\n].*)?$/.exec(firstLine);
  if (!opening) {
    return {
      data: undefined,
      body: source,
      bodyLine: 1,
      diagnostics: [
        fileError(file, 'frontmatter-missing', 'the file does not start with a frontmatter block', {
          expected: 'a first line "---", then YAML fields, then a closing "---" line',
          found: quote(firstLine),
          hint: 'copy the frontmatter from a template in templates/, or run `npx hindsight new`',
        }),
      ],
    };
  }
  const language = (opening[1] ?? '').trim();
  if (!YAML_LANGUAGES.has(language.toLowerCase())) {
    // Never hand a non-YAML block to any engine: `---js` would be evaluated by gray-matter's default.
    return {
      data: undefined,
      body: source,
      bodyLine: 1,
      diagnostics: [
        {
          code: 'frontmatter-language',
          severity: 'error',
          file,
          line: 1,
          column: 4,
          message: `frontmatter language "${truncate(language, 40)}" is not supported; only YAML is read (and nothing is ever executed)`,
          expected: 'a first line of exactly "---"',
          found: quote(firstLine),
        },
      ],
    };
  }

  // The closing delimiter: a line that is exactly `---` (trailing spaces allowed) or `...`.
  const closing = /^(?:---|\.\.\.)[ \t]*$/m;
  const afterOpening = firstLineEnd === -1 ? source.length : firstLineEnd + 1;
  const rest = source.slice(afterOpening);
  const close = closing.exec(rest);
  if (!close) {
    return {
      data: undefined,
      body: '',
      bodyLine: linesBefore(source, source.length) + 1,
      diagnostics: [
        fileError(file, 'frontmatter-unclosed', 'the frontmatter block opened on line 1 is never closed', {
          expected: 'a line "---" after the last frontmatter field',
          hint: 'add a line with just "---" between the frontmatter and the Markdown body',
        }),
      ],
    };
  }
  const closeStart = afterOpening + close.index;
  const closeLineEnd = source.indexOf('\n', closeStart);
  const bodyStart = closeLineEnd === -1 ? source.length : closeLineEnd + 1;

  // The YAML text starts right after `---` on line 1, so its line numbers are the file's.
  const yamlStart = 3 + (opening[1]?.length ?? 0);
  const yamlText = source.slice(yamlStart, closeStart);
  const body = source.slice(bodyStart);
  const bodyLine = linesBefore(source, bodyStart) + 1;
  const fm: FrontmatterSource = { yaml: yamlText, firstLineColumn: yamlStart };

  const { data, diagnostics } = readYaml(fm, file, 'frontmatter');
  return { data, body, bodyLine, source: fm, diagnostics };
}

/**
 * Parse a whole YAML file (the taxonomy) with the same safety rules as frontmatter.
 * Returns the data, diagnostics with file positions, and the source for `locateField`.
 */
export function parseYamlFile(
  text: string,
  file: string,
): { data: unknown; source: FrontmatterSource; diagnostics: Diagnostic[] } {
  const source: FrontmatterSource = { yaml: normalizeText(text), firstLineColumn: 0 };
  return { ...readYaml(source, file, 'file'), source };
}

/**
 * Text that must take the careful path: anchors (`&`), aliases (`*`), tags (`!`), merge keys
 * (`<<`), and the few plain scalars the two parsers read differently (`0b101`, `-.5`, `-0`).
 */
const NEEDS_CAREFUL_PATH = /[&*!]|<<|0b|[-+]\.|(?:^|[\s:[{,])-0(?:\.0*)?(?=[\s,\]}#]|$)/m;

/**
 * The fast path. Plain YAML, which is nearly all frontmatter, is read by js-yaml with its YAML 1.2
 * core schema: about ten times faster than composing a `yaml` Document with positions, and the
 * same parser Astro reads frontmatter with. It is used only when it can be trusted to give the
 * same data as the careful path (a tested property): no risky syntax, no parse error, and a
 * mapping as the result. Everything else (errors, aliases, tags, non-mappings) goes through the
 * careful path, which produces the diagnostics with positions. Returns undefined to mean "use
 * the careful path".
 */
export function readPlainYaml(text: string): Record<string, unknown> | undefined {
  if (NEEDS_CAREFUL_PATH.test(text)) return undefined;
  let data: unknown;
  try {
    data = loadYaml(text, { schema: CORE_SCHEMA, json: false });
  } catch {
    return undefined;
  }
  return data !== null && typeof data === 'object' && !Array.isArray(data)
    ? (data as Record<string, unknown>)
    : undefined;
}

/** Deepest flow nesting (`[` and `{`) read. Both YAML parsers recurse per level and overflow the stack near 1,000. */
export const MAX_YAML_FLOW_DEPTH = 64;
/** Deepest indentation read, in columns (block nesting; the parsers overflow near 2,000 levels). */
export const MAX_YAML_INDENT = 400;

/**
 * Where YAML text first nests too deep to parse safely, or undefined. A linear scan before any
 * parser runs: past the limits the parsers overflow the stack, taking seconds and giving a
 * different error count from run to run. Quotes are not tracked: a value with 64 unclosed
 * brackets is not frontmatter anyone writes.
 */
export function tooDeeplyNested(text: string): { offset: number; what: string } | undefined {
  let depth = 0;
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart) {
      if (c === 32 /* space */) {
        if (++indent > MAX_YAML_INDENT)
          return { offset: i, what: `more than ${MAX_YAML_INDENT} columns of indentation` };
        continue;
      }
      lineStart = false;
    }
    if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > MAX_YAML_FLOW_DEPTH)
        return { offset: i, what: `more than ${MAX_YAML_FLOW_DEPTH} levels of [ ] or { }` };
    } else if ((c === 93 /* ] */ || c === 125) /* } */ && depth > 0) {
      depth -= 1;
    }
  }
  return undefined;
}

/** File position of an offset in the YAML text, without a parser. */
function textPoint(fm: FrontmatterSource, offset: number): Point {
  const before = fm.yaml.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { line, column: line === 1 ? column + fm.firstLineColumn : column };
}

/** YAML text → data, never throwing: syntax errors, duplicate keys, alias bombs and non-mappings are diagnostics. */
function readYaml(
  fm: FrontmatterSource,
  file: string,
  what: 'frontmatter' | 'file',
): { data: unknown; diagnostics: Diagnostic[] } {
  const deep = tooDeeplyNested(fm.yaml);
  if (deep !== undefined) {
    return {
      data: undefined,
      diagnostics: [
        {
          code: 'yaml-too-deep',
          severity: 'error',
          file,
          ...textPoint(fm, deep.offset),
          message: `the ${what} nests too deep to read: ${deep.what}`,
          expected: 'fields nested a few levels deep, as every template has them',
          hint: 'look for a stray "[" or "{", or for indentation that keeps growing',
        },
      ],
    };
  }
  const fast = readPlainYaml(fm.yaml);
  if (fast !== undefined) return { data: fast, diagnostics: [] };
  const diagnostics: Diagnostic[] = [];
  const { doc, lineCounter } = parseYaml(fm.yaml);
  const at = (offset: number): Point => pointAt(lineCounter, fm, offset);
  // Warnings are errors here: the only ones the core schema raises are for explicit tags
  // (`!!js/function`, `!custom`), which frontmatter has no business using.
  let problems = [...doc.errors, ...doc.warnings];
  // A tab used for indentation derails the parser: every other error it reports then (a key
  // "appearing twice", nested mappings) is a consequence, and would be shown first. Only the tabs.
  const tabs = problems.filter((problem) => problem.code === 'TAB_AS_INDENT');
  if (tabs.length > 0) problems = tabs;
  for (const error of problems) {
    if (error.code === 'TAB_AS_INDENT') {
      diagnostics.push({
        code: 'yaml-syntax',
        severity: 'error',
        file,
        ...at(error.pos[0]),
        message: 'tabs are not allowed for indentation in YAML',
        expected: 'spaces for indentation, e.g. "  summary: …"',
        found: 'a tab',
        hint: 'indent with spaces, not tabs',
      });
      continue;
    }
    let where = at(error.pos[0]);
    if (error.code === 'MISSING_CHAR' && /closing (["'])quote/.test(error.message)) {
      // YAML notices a missing closing quote where the block ends; point at where it opened.
      const opened = openingQuote(fm.yaml, error.pos[0], /closing (["'])quote/.exec(error.message)?.[1] ?? '"');
      if (opened !== undefined) {
        where = at(opened);
        diagnostics.push({
          code: 'yaml-syntax',
          severity: 'error',
          file,
          ...where,
          message: 'invalid YAML: this quote is never closed',
          hint: 'add the closing quote at the end of the value',
        });
        continue;
      }
    }
    if (error.code === 'TAG_RESOLVE_FAILED') {
      diagnostics.push({
        code: 'yaml-tag',
        severity: 'error',
        file,
        ...where,
        message: `YAML tags are not supported (${firstSentence(error.message)})`,
        expected: 'a plain value, e.g. title: "Checkout outage"',
        hint: 'remove the "!" tag before the value; quote the value if it starts with "!"',
      });
      continue;
    }
    const duplicate = error.code === 'DUPLICATE_KEY';
    diagnostics.push({
      code: duplicate ? 'yaml-duplicate-key' : 'yaml-syntax',
      severity: 'error',
      file,
      ...where,
      message: duplicate ? `a key appears twice in the ${what}` : `invalid YAML: ${firstSentence(error.message)}`,
      hint: duplicate ? 'keep one of the two entries' : yamlHint(error.code),
    });
  }
  if (diagnostics.length > 0) return { data: undefined, diagnostics };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    let firstAlias: Point = { line: 1, column: 1 };
    visit(doc, {
      Alias(_key, node) {
        if (node.range) firstAlias = at(node.range[0]);
        return visit.BREAK;
      },
    });
    return {
      data: undefined,
      diagnostics: [
        fileError(
          file,
          'yaml-aliases',
          `the ${what} expands too many YAML aliases (${firstSentence((error as Error).message)})`,
          {
            expected: `at most ${MAX_YAML_ALIASES} alias expansions`,
            ...firstAlias,
            hint: 'write the values out instead of using anchors (&) and aliases (*)',
          },
        ),
      ],
    };
  }
  if (data === null || data === undefined) {
    return {
      data: undefined,
      diagnostics: [
        fileError(file, what === 'frontmatter' ? 'frontmatter-empty' : 'yaml-empty', `the ${what} has no fields`, {
          expected: what === 'frontmatter' ? 'fields such as "id:", "title:" and "status:"' : 'YAML fields',
          hint:
            what === 'frontmatter'
              ? 'copy the frontmatter from a template in templates/'
              : 'start from the bundled content/taxonomy.yaml',
        }),
      ],
    };
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    const contents = doc.contents as Node | null;
    const where = contents?.range ? at(contents.range[0]) : { line: 1, column: 1 };
    return {
      data: undefined,
      diagnostics: [
        {
          code: 'yaml-not-mapping',
          severity: 'error',
          file,
          ...where,
          message: `the ${what} must be a set of "key: value" fields`,
          expected: 'fields such as "id: INC-2026-014"',
          found: Array.isArray(data) ? 'a list' : quote(typeof data === 'string' ? data : JSON.stringify(data)),
        },
      ],
    };
  }
  return { data, diagnostics };
}

/** Offset of the quote left open: the last `quote` on the nearest line before `before` with an odd count of them. */
function openingQuote(yaml: string, before: number, quote: string): number | undefined {
  const lines = yaml.slice(0, before).split('\n');
  let offset = before;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] as string;
    offset -= line.length + (i === lines.length - 1 ? 0 : 1);
    const count = line.split(quote).length - 1;
    // With an odd number of quotes on the line, the last one is the one left open.
    if (count % 2 === 1) return offset + line.lastIndexOf(quote);
  }
  return undefined;
}

function parseYaml(yamlText: string): { doc: Document.Parsed; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, {
    version: '1.2',
    schema: 'core',
    merge: false,
    resolveKnownTags: false,
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
    logLevel: 'silent',
    lineCounter,
  });
  return { doc, lineCounter };
}

function pointAt(lineCounter: LineCounter, fm: FrontmatterSource, offset: number): Point {
  const { line, col } = lineCounter.linePos(offset);
  const fileLine = Math.max(line, 1);
  return { line: fileLine, column: fileLine === 1 ? col + fm.firstLineColumn : col };
}

const parsedCache = new Map<FrontmatterSource, { doc: Document.Parsed; lineCounter: LineCounter }>();
const CACHE_LIMIT = 64;

/**
 * The file position of a frontmatter field, e.g. `['action_items', 2, 'due']`.
 *
 * Returns the value's position when the field exists, the key's position when `at: 'key'`
 * (for unknown keys), and the closest existing parent key when the field is missing (a missing
 * field is reported where its parent starts). Re-parses the small YAML block on demand, so a
 * loaded knowledge base keeps only text in memory, never syntax trees.
 */
export function locateField(
  fm: FrontmatterSource | undefined,
  path: readonly (string | number)[],
  at: 'value' | 'key' = 'value',
): Point {
  if (!fm) return { line: 1, column: 1 };
  const quick = quickLocate(fm, path, at);
  if (quick) return quick;
  let parsed = parsedCache.get(fm);
  if (!parsed) {
    parsed = parseYaml(fm.yaml);
    if (parsedCache.size >= CACHE_LIMIT) parsedCache.delete(parsedCache.keys().next().value as FrontmatterSource);
    parsedCache.set(fm, parsed);
  }
  const { doc, lineCounter } = parsed;
  const point = (offset: number) => pointAt(lineCounter, fm, offset);
  // Fallback: the opening `---` line.
  let best: Point = { line: 1, column: 1 };
  let node: unknown = doc.contents;
  if (isMap(node) && node.range) best = point(node.range[0]);
  for (const [i, segment] of path.entries()) {
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return best;
      const key = pair.key as Node;
      const value = pair.value as Node | null;
      if (key.range) best = point(key.range[0]);
      if (last) {
        if (at === 'key' || !value?.range) return best;
        return point(value.range[0]);
      }
      node = value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item?.range) return best;
      best = point(item.range[0]);
      if (last) return best;
      node = item;
    } else {
      return best;
    }
  }
  return best;
}

const KEY_LINE = /^([A-Za-z0-9_][A-Za-z0-9_-]*):(?:[ ]+|$)/;
const DASH = /^-(?: +|$)/;

/**
 * `locateField` without a syntax tree, for plain block-style YAML (what templates and editors
 * write): a scan of the lines by indentation. Returns undefined whenever it is not certain (flow
 * collections on the way, quoted keys, tabs, comments between a key and its block, anchors or
 * tags anywhere, a missing field), and the caller then builds the tree. When it answers, it gives
 * exactly the position the tree would (a tested property). It exists because a knowledge base
 * with a thousand overdue action items needs a thousand positions, and a tree costs a
 * millisecond each.
 */
export function quickLocate(
  fm: FrontmatterSource,
  path: readonly (string | number)[],
  at: 'value' | 'key',
): Point | undefined {
  const text = fm.yaml;
  if (text.includes('\t') || NEEDS_CAREFUL_PATH.test(text)) return undefined;
  const lines = text.split('\n');
  const indentOf = (line: string) => line.length - line.trimStart().length;
  const isContent = (line: string | undefined) =>
    line !== undefined && line.trim() !== '' && !line.trimStart().startsWith('#');
  const point = (line: number, col: number): Point => ({
    line: line + 1,
    column: col + 1 + (line === 0 ? fm.firstLineColumn : 0),
  });

  // The node being searched: content starts on line `from` at column `col`; it ends before `to`.
  let from = lines.findIndex((line, i) => i > 0 && isContent(line));
  if (from === -1 || indentOf(lines[from] as string) !== 0) return undefined;
  let col = 0;
  let to = lines.length;

  for (const [s, segment] of path.entries()) {
    const last = s === path.length - 1;
    if (typeof segment === 'string') {
      // A mapping: its keys are at column `col` (on the first line, and at that indentation after).
      let found = -1;
      for (let i = from; i < to; i++) {
        const line = lines[i] as string;
        if (!isContent(line)) continue;
        const indent = i === from ? col : indentOf(line);
        if (indent < col) return undefined;
        if (indent > col) continue;
        const rest = line.slice(col);
        if (DASH.test(rest)) return undefined;
        const key = KEY_LINE.exec(rest);
        if (!key) return undefined;
        if (key[1] === segment) {
          found = i;
          break;
        }
      }
      if (found === -1) return undefined;
      const line = lines[found] as string;
      const keyPoint = point(found, col);
      if (last && at === 'key') return keyPoint;
      const afterColon = col + segment.length + 1;
      const valueText = line.slice(afterColon).trimStart();
      if (valueText !== '' && !valueText.startsWith('#')) {
        // The value is on the key's line: a scalar (or a flow collection, only when it is the end).
        if (!last) return undefined;
        return point(found, line.length - valueText.length);
      }
      // The value is a block on the following lines (deeper, or a "- " list at the key's column).
      const first = found + 1;
      if (!isContent(lines[first])) return undefined;
      const firstIndent = indentOf(lines[first] as string);
      const compactList = firstIndent === col && DASH.test((lines[first] as string).slice(col));
      if (firstIndent <= col && !compactList) return undefined; // null value: let the tree decide
      let end = first + 1;
      while (end < to) {
        const next = lines[end] as string;
        if (isContent(next)) {
          const indent = indentOf(next);
          if (indent < col || (indent === col && !(compactList && DASH.test(next.slice(col))))) break;
        }
        end++;
      }
      if (last) return point(first, firstIndent);
      from = first;
      col = firstIndent;
      to = end;
    } else {
      // A sequence: items are "- " at column `col`.
      const items: number[] = [];
      for (let i = from; i < to; i++) {
        const line = lines[i] as string;
        if (!isContent(line)) continue;
        const indent = i === from ? col : indentOf(line);
        if (indent < col) return undefined;
        if (indent > col) continue;
        if (!DASH.test(line.slice(col))) return undefined;
        items.push(i);
      }
      const item = items[segment];
      if (item === undefined) return undefined;
      const line = lines[item] as string;
      const content = line.slice(col + 1).trimStart();
      if (content === '' || content.startsWith('#')) return undefined;
      const contentCol = line.length - content.length;
      if (last) return point(item, contentCol);
      from = item;
      col = contentCol;
      to = items[segment + 1] ?? to;
    }
  }
  return undefined;
}

/** Quote a found value for a diagnostic, truncated to keep messages readable. */
export function quote(value: string, max = 60): string {
  return JSON.stringify(truncate(value, max));
}

export function truncate(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

function firstSentence(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '').replace(/\.$/, '');
}

function yamlHint(code: string): string {
  switch (code) {
    case 'BAD_INDENT':
    case 'MULTILINE_IMPLICIT_KEY':
      return 'check the indentation of this line and the one before';
    case 'MULTIPLE_DOCS':
      return 'the frontmatter ends at the first "---" line; remove extra "---" separators';
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'UNEXPECTED_TOKEN':
      return 'a value containing ": " or starting with a special character needs quotes';
    default:
      return 'values with special characters (: # [ ] { } , & * ! | > \' " %) need quotes';
  }
}
