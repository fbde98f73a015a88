/**
 * Turn zod issues into diagnostics people can act on: the field path (`action_items[2].due`),
 * its line and column, what was expected (the schema's own `.describe()` text, which carries an
 * example, or the list of allowed values), what was found, and a "did you mean" for misspelt
 * keys and enum values. The idea follows starlight's `utils/error-map.ts`: one helper that knows
 * every issue code, so no zod message reaches a person unexplained.
 */
import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'astro/zod';
import type { Diagnostic } from './diagnostics.ts';
import type { Point } from './model.ts';
import { quote, truncate } from './frontmatter.ts';

type Issue = z.core.$ZodIssue;
type Path = readonly (string | number)[];

/** Where a field is in the file: its value, or its key (for unknown keys). */
export type FieldLocator = (path: Path, at: 'value' | 'key') => Point;

/** `['action_items', 2, 'due']` → `action_items[2].due`. */
export function formatFieldPath(path: Path): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** The closest candidate to `value`, if it is close enough to be a plausible typo. */
export function didYouMean(value: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  if (list.length === 0 || value === '') return undefined;
  const lower = value.toLowerCase();
  const exactCase = list.find((c) => c.toLowerCase() === lower);
  if (exactCase !== undefined) return exactCase;
  const best = closest(value, list);
  const limit = Math.max(2, Math.floor(Math.max(value.length, best.length) / 5));
  if (distance(value, best) <= limit) return best;
  // A whole word of exactly one candidate: "bug" → "software-bug".
  const containing = list.filter((c) =>
    c
      .toLowerCase()
      .split(/[-_ .]/)
      .includes(lower),
  );
  return containing.length === 1 ? containing[0] : undefined;
}

/** A found value, as a person would describe it. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') return value === '' ? 'an empty string' : quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value))
    return value.length === 0 ? 'an empty list' : `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    return keys.length === 0 ? 'an empty mapping' : `a mapping with ${truncate(keys.join(', '), 60)}`;
  }
  return typeof value;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a set of fields (key: value)',
  date: 'a date',
};

interface Def {
  type: string;
  shape?: Record<string, z.core.$ZodType>;
  element?: z.core.$ZodType;
  innerType?: z.core.$ZodType;
  in?: z.core.$ZodType;
  out?: z.core.$ZodType;
  entries?: Record<string, string>;
}

function defOf(schema: z.core.$ZodType): Def {
  return schema._zod.def;
}

function descriptionOf(schema: z.core.$ZodType): string | undefined {
  return (schema as { description?: string }).description;
}

/** Unwrap optional/default/pipe layers, collecting the first description met. */
function unwrap(schema: z.core.$ZodType): { schema: z.core.$ZodType; description?: string } {
  let current = schema;
  let description = descriptionOf(current);
  for (let guard = 0; guard < 10; guard++) {
    const def = defOf(current);
    const next =
      def.type === 'optional' ||
      def.type === 'default' ||
      def.type === 'nullable' ||
      def.type === 'prefault' ||
      def.type === 'readonly'
        ? def.innerType
        : def.type === 'pipe'
          ? def.out
          : undefined;
    if (!next) break;
    current = next;
    description ??= descriptionOf(current);
  }
  description = description?.replace(/\.$/, '');
  return description === undefined ? { schema: current } : { schema: current, description };
}

/** The schema of the field at `path`, unwrapped, with its description; undefined when unknown. */
export function schemaAt(
  root: z.core.$ZodType,
  path: Path,
): { schema: z.core.$ZodType; description?: string } | undefined {
  let node = unwrap(root);
  for (const segment of path) {
    const def = defOf(node.schema);
    if (def.type === 'object' && typeof segment === 'string' && def.shape && segment in def.shape) {
      node = unwrap(def.shape[segment] as z.core.$ZodType);
    } else if (def.type === 'array' && typeof segment === 'number' && def.element) {
      node = unwrap(def.element);
    } else {
      return undefined;
    }
  }
  return node;
}

/** Keys a mapping at `path` accepts. */
function knownKeys(root: z.core.$ZodType, path: Path): string[] {
  const node = schemaAt(root, path);
  const shape = node ? defOf(node.schema).shape : undefined;
  return shape ? Object.keys(shape) : [];
}

function enumValues(root: z.core.$ZodType, path: Path): string[] | undefined {
  const node = schemaAt(root, path);
  const entries = node ? defOf(node.schema).entries : undefined;
  return entries ? Object.values(entries) : undefined;
}

function listValues(values: readonly unknown[], max = 12): string {
  const shown = values.slice(0, max).map((v) => JSON.stringify(v));
  return values.length > max ? `${shown.join(', ')}, … (${values.length} in all)` : shown.join(', ');
}

const ZONELESS_DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/** zod's built-in messages; anything else was written by a schema and is shown as is. */
const ZOD_DEFAULT_MESSAGE = /^(?:Invalid|Too (?:small|big)|Unrecognized)/;

/** For a timestamp without a zone (or without a time), the corrected value to write. */
function timestampHint(input: unknown): string | undefined {
  if (typeof input !== 'string') return undefined;
  const text = input.trim().replace(' ', 'T');
  if (ZONELESS_DATETIME.test(input.trim())) {
    const withSeconds = /T\d{2}:\d{2}$/.test(text) ? `${text}:00` : text;
    return `add a time zone: "${withSeconds}Z" for UTC, or an offset such as "${withSeconds}+01:00"`;
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return `add a time and a zone, e.g. "${text}T14:30:00Z"`;
  return undefined;
}

/**
 * Convert the issues of one failed `safeParse(data, { reportInput: true })` into diagnostics.
 *
 * @param issues the zod issues
 * @param schema the schema that was applied (for descriptions, keys and enum values)
 * @param file root-relative file path
 * @param locate maps a field path to its position in the file
 */
export function issuesToDiagnostics(
  issues: readonly Issue[],
  schema: z.core.$ZodType,
  file: string,
  locate: FieldLocator,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const field = formatFieldPath(path);
    const node = schemaAt(schema, path);
    const described = node?.description;
    const base = { severity: 'error' as const, file };

    if (issue.code === 'unrecognized_keys') {
      const allowed = knownKeys(schema, path);
      for (const key of issue.keys) {
        const keyPath = [...path, key];
        const given: object = issue.input ?? {};
        const present = (k: string) => Object.hasOwn(given, k);
        const absent = didYouMean(
          key,
          allowed.filter((k) => !present(k)),
        );
        const any = absent ?? didYouMean(key, allowed);
        const hint = absent
          ? `did you mean "${absent}"?`
          : any
            ? `did you mean "${any}"? It is already set, so this line may be a leftover copy`
            : 'remove it, or check its spelling and indentation';
        out.push({
          ...base,
          code: 'unknown-key',
          ...locate(keyPath, 'key'),
          message: `unknown field "${truncate(key, 40)}"${field ? ` in ${field}` : ''}`,
          field: formatFieldPath(keyPath),
          expected: `one of the known fields: ${truncate(allowed.join(', '), 300)}`,
          found: quote(key),
          hint,
        });
      }
      continue;
    }

    const input = (issue as { input?: unknown }).input;
    const name = field || 'frontmatter';
    let message: string;
    let expected = described;
    let hint: string | undefined;

    switch (issue.code) {
      case 'invalid_type': {
        const what = TYPE_WORDS[issue.expected] ?? issue.expected;
        if (input === undefined) {
          message = `missing required field "${name}"`;
        } else {
          message = `"${name}" should be ${what.startsWith('a') || what.startsWith('t') ? what : `a ${what}`}, not ${describeValue(input)}`;
          if (issue.expected === 'array' && input !== null && typeof input !== 'object') {
            hint = `write a list, e.g. ${name.split('.').pop() ?? name}: [${JSON.stringify(input)}]`;
          }
          if (input === null) hint = 'the value is empty; write a value after the colon, or remove the field';
        }
        expected ??= what;
        break;
      }
      case 'invalid_value': {
        if (input === undefined) {
          message = `missing required field "${name}"`;
          expected = `one of ${listValues(issue.values)}${described ? ` (${described})` : ''}`;
          break;
        }
        const values = issue.values.length > 0 ? issue.values : (enumValues(schema, path) ?? []);
        message = `"${name}" has a value that is not allowed`;
        expected = `one of ${listValues(values)}${described ? ` (${described})` : ''}`;
        if (typeof input === 'string') {
          const suggestion = didYouMean(input, values.map(String));
          if (suggestion !== undefined) hint = `did you mean "${suggestion}"?`;
        }
        break;
      }
      case 'invalid_format': {
        if (issue.format === 'datetime') {
          message = `"${name}" is not a timestamp with a time zone`;
          hint = timestampHint(input);
        } else if (issue.format === 'date') {
          message = `"${name}" is not a calendar date (YYYY-MM-DD)`;
        } else if (issue.format === 'url') {
          message = `"${name}" is not a URL`;
          expected ??= 'a full URL, e.g. "https://tracker.example.com/PAY-142"';
        } else {
          message = `"${name}": ${issue.message}`;
        }
        break;
      }
      case 'too_small':
      case 'too_big': {
        const small = issue.code === 'too_small';
        const limit = Number(small ? issue.minimum : issue.maximum);
        if (issue.origin === 'array') {
          message = small
            ? `"${name}" needs at least ${limit} item${limit === 1 ? '' : 's'}`
            : `"${name}" has more than ${limit} item${limit === 1 ? '' : 's'}`;
        } else if (issue.origin === 'string') {
          message = small
            ? `"${name}" is too short (at least ${limit} characters)`
            : `"${name}" is too long (at most ${limit} characters)`;
        } else {
          message = small ? `"${name}" must be at least ${limit}` : `"${name}" must be at most ${limit}`;
        }
        break;
      }
      default:
        message = `"${name}": ${issue.message}`;
    }
    // A message the schema wrote itself ("expected an id such as …") says more than ours.
    if (issue.code !== 'invalid_type' && issue.code !== 'invalid_value' && !ZOD_DEFAULT_MESSAGE.test(issue.message)) {
      message = `"${name}": ${issue.message}`;
    }
    out.push({
      ...base,
      code: 'schema',
      ...locate(path, 'value'),
      message,
      ...(field ? { field } : {}),
      ...(expected ? { expected } : {}),
      ...(input !== undefined ? { found: describeValue(input) } : {}),
      ...(hint ? { hint } : {}),
    });
  }
  return out;
}
