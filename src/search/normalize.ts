/**
 * Error-line normalisation: strip the volatile tokens of a pasted log line (timestamps, request
 * ids, UUIDs, hex, IP addresses, ports, durations, sizes, counters) so that what is left is the
 * stable message a playbook's `error_signatures` can match.
 *
 * The same function runs at build time over every playbook's error signatures (indexed with a
 * high weight, see `weights.ts`) and in the browser over the responder's query, so both sides
 * agree on what a "word" of an error message is. Pure and dependency-free: it is bundled into
 * the search page and unit-tested with real log lines.
 *
 * What it keeps on purpose: words, identifiers (`HikariPool`, `ECONNREFUSED`, `OOMKilled`),
 * HTTP status codes and other three-digit codes (`502`, `exit code 137`, errno `110`), four-digit
 * error codes after `error`/`code`/`errno` (MySQL `ERROR 1040`), vendor codes such as
 * `ORA-00060`, `SQLSTATE 53300`, and postmortem ids such as `INC-2026-014`.
 */

/** A kind of volatile token the normaliser removes, as reported to the user. */
export type VolatileKind = 'timestamp' | 'uuid' | 'hex' | 'ip' | 'port' | 'duration' | 'size' | 'number' | 'id';

/** What `normalizeErrorText` returns. */
export interface Normalized {
  /** The stable text, whitespace collapsed. Empty when nothing stable was left. */
  text: string;
  /** How many tokens of each kind were removed (only kinds that occurred). */
  removed: Partial<Record<VolatileKind, number>>;
}

interface Rule {
  kind: VolatileKind;
  pattern: RegExp;
  /** Not reported in `removed` (a rewrite, not a removal). */
  silent?: boolean;
  /** Replacement; defaults to a space. */
  replace?: string | ((match: string, ...groups: string[]) => string);
}

const MONTH =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t|tember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\b';
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)(?:day|sday|nesday|rsday|urday)?\\b';
const TIME = '\\d{1,2}:\\d{2}(?::\\d{2})?(?:[.,]\\d+)?';
const ZONE = '(?:\\s?(?:Z|[+-]\\d{2}:?\\d{2}|UTC|GMT|[A-Z]{3,4}T))?';

/**
 * Text that must survive normalisation verbatim, protected before the rules run:
 * postmortem ids, vendor error codes (`ORA-00060`, `ERR_1040`), SQLSTATE codes, and
 * four-digit codes that follow `error`, `code`, `errno` or `status` (MySQL `ERROR 1040`).
 */
const PROTECTED: RegExp[] = [
  /\bINC-\d{4}-\d{3,}\b/g,
  /\b[A-Z][A-Z0-9]{1,7}[-_]\d{3,6}\b/g,
  /\bSQLSTATE[\s:=[(]*[0-9A-Z]{5}\b/gi,
  /\b(?:error|code|errno|status|exit)[\s:=#([]*\d{4}\b/gi,
];

/**
 * The rules, applied in order (longest, most specific shapes first, so that a timestamp is
 * removed as one token before its digits could be taken for numbers).
 */
const RULES: Rule[] = [
  // ANSI colour codes (kubectl, Node, Go test output).
  // eslint-disable-next-line no-control-regex -- ANSI escape sequences start with ESC, on purpose.
  { kind: 'id', pattern: /\u001b\[[0-9;]*[A-Za-z]/g, replace: '' },
  // ISO 8601 and SQL-style date-times: 2026-03-04T02:14:00.123Z, 2026-03-04 02:14:00,123 +0000
  {
    kind: 'timestamp',
    pattern: new RegExp(`\\b\\d{4}[-/]\\d{2}[-/]\\d{2}(?:[T\\s_]${TIME})?${ZONE}`, 'g'),
  },
  // Apache/nginx access log: [04/Mar/2026:02:14:00 +0000]
  { kind: 'timestamp', pattern: new RegExp(`\\b\\d{1,2}/${MONTH}/\\d{4}(?::${TIME})?(?:\\s[+-]\\d{4})?`, 'g') },
  // RFC 1123 / Java Date.toString / syslog: Tue, 04 Mar 2026 02:14:00 GMT; Tue Mar 04 02:14:00 UTC 2026; Mar  4 02:14:00
  {
    kind: 'timestamp',
    pattern: new RegExp(
      `\\b(?:${DAY},?\\s+)?(?:\\d{1,2}\\s+${MONTH}|${MONTH}\\s+\\d{1,2})(?:,?\\s+\\d{4})?(?:\\s+${TIME}${ZONE}(?:\\s+\\d{4})?)?(?![\\w:])`,
      'g',
    ),
  },
  // IPv4 with optional CIDR and port: 10.20.0.15:5432, 192.168.0.0/16
  { kind: 'ip', pattern: /\b(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?(?::\d{1,5})?\b/g },
  // klog (Kubernetes components): E0304 02:14:00.123456 — level letter plus MMDD.
  { kind: 'timestamp', pattern: /\b[IWEF]\d{4}(?=\s+\d{1,2}:\d{2})/g },
  // Bare times of day: 02:14:00, 02:14:00.123456
  { kind: 'timestamp', pattern: new RegExp(`(?<![\\w:.])${TIME}${ZONE}(?![\\w:])`, 'g') },
  // UUIDs.
  { kind: 'uuid', pattern: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi },
  // IPv6 (at least three groups, allowing ::), optionally in brackets with a port.
  {
    kind: 'ip',
    pattern: /\[?(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}\]?(?::\d{1,5})?(?!\w)/gi,
    replace: (match: string) =>
      match.includes('::') || ((match.match(/:/g)?.length ?? 0) >= 3 && /\d/.test(match)) ? ' ' : match,
  },
  // 0x-prefixed hex (addresses, Go panics).
  { kind: 'hex', pattern: /\b0x[0-9a-f]+\b/gi },
  // Long hex runs containing a digit: trace ids, git SHAs, k8s ReplicaSet hashes (>= 8 chars).
  { kind: 'hex', pattern: /(?<![A-Za-z0-9])(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}(?![A-Za-z0-9])/gi },
  // Random mixed letter/digit ids: req_7Hq2xK9pL3, pod suffixes x2x4z (>= 4 letter/digit switches).
  {
    kind: 'id',
    pattern: /(?<![A-Za-z0-9])[A-Za-z0-9]{5,}(?![A-Za-z0-9])/g,
    replace: (match: string) => (switches(match) >= 4 ? ' ' : match),
  },
  // Sizes: 512Mi, 1.5GB, 4096 bytes, 2G
  { kind: 'size', pattern: /\b\d+(?:\.\d+)?\s?(?:[kKMGTP]i?B?|[kmgtp]b|bytes?|B)\b/g },
  // Ports and line numbers glued to a name: db-primary:5432, HikariPool.java:696, main.go:42
  { kind: 'port', pattern: /(?<=[A-Za-z)\]])(?::\d+)+\b/g },
  // Explicit ports and process/thread/connection ids: "port 5432", pid=1234, nginx "31#31: *4711"
  { kind: 'port', pattern: /\bport[\s=:]+\d+\b/gi, replace: ' port ' },
  {
    kind: 'id',
    pattern: /\b(pid|tid|thread|conn|connection_id|request_id|req_id|trace_id|span_id|id)([\s=:#]+)\d+\b/gi,
    replace: ' $1 ',
  },
  { kind: 'id', pattern: /\b\d+#\d+:?|\*\d+\b/g },
  // Go-style compound durations and durations with units: 1m30.5s, 30000ms, 5.2 s, 250µs
  { kind: 'duration', pattern: /\b(?:\d+(?:\.\d+)?(?:h|m|s|ms|us|µs|ns)){2,}\b/g },
  // HTTP status classes written as plurals keep their number: "500s" means HTTP 500 errors.
  { kind: 'number', pattern: /\b([1-5]\d\d)s\b/g, replace: '$1', silent: true },
  {
    kind: 'duration',
    pattern: /\b\d+(?:\.\d+)?\s?(?:ms|msec|us|µs|ns|s|sec|secs|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)\b/gi,
  },
  // Repeat counts: Kubernetes events "(x42 over 12m)", "retried x3".
  { kind: 'number', pattern: /(?<=\()x\d+\b/g },
  // Percentages and decimals (measurements, versions of little search value): 98.5%, 0.95
  { kind: 'number', pattern: /\b\d+(?:\.\d+)?%/g },
  { kind: 'number', pattern: /(?<![\w.])\d+\.\d+(?:\.\d+)*(?![\w.])/g },
  // Remaining bare integers: keep three-digit codes (HTTP status, errno, exit code); drop the rest
  // (counters, pids, epoch times, thread numbers, "pool-3").
  {
    kind: 'number',
    pattern: /(?<![A-Za-z0-9])\d+(?![A-Za-z0-9])/g,
    replace: (match: string) => (match.length === 3 ? match : ' '),
  },
];

/** Number of switches between letters and digits in a token: `a1b2` has 3. */
function switches(token: string): number {
  let count = 0;
  let previous = '';
  for (const char of token) {
    if (previous !== '' && isDigit(previous) !== isDigit(char)) count++;
    previous = char;
  }
  return count;
}

function isDigit(char: string): boolean {
  return char >= '0' && char <= '9';
}

/**
 * Private-use characters mark protected spans: `OPEN`, one character naming the slot (no digits
 * or letters, so no rule can match inside it), `CLOSE`. They never occur in log lines (and are
 * removed from the input first).
 */
const OPEN = '\uE000';
const CLOSE = '\uE001';
const SLOT = 0xe100;

/**
 * Normalise a log line or error message: remove its volatile tokens and tidy the punctuation
 * they leave behind. Deterministic and idempotent: `normalizeErrorText(x.text).text === x.text`.
 *
 * @example
 * normalizeErrorText('2026-03-04T02:14:00.123Z ERROR [req 7f3a9c2e] HikariPool-1 - Connection is not available, request timed out after 30005ms.')
 * // → { text: 'ERROR [req] HikariPool - Connection is not available, request timed out after.', removed: { timestamp: 1, hex: 1, number: 1, duration: 1 } }
 */
export function normalizeErrorText(input: string): Normalized {
  const removed: Partial<Record<VolatileKind, number>> = {};
  let text = input.replace(/[\uE000-\uF8FF]/g, '');
  // Tidying can expose a new token ("0B_" loses its "_" and becomes a size): repeat until
  // nothing changes, so the result is a fixed point (a handful of passes at most).
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const next = normalizeOnce(text, removed);
    if (next === text) break;
    text = next;
  }
  return { text, removed };
}

const MAX_PASSES = 4;

/** One pass of the rules and the tidy-up; adds what it removed to `removed`. */
function normalizeOnce(input: string, removed: Partial<Record<VolatileKind, number>>): string {
  const kept: string[] = [];
  let text = input;
  for (const pattern of PROTECTED) {
    text = text.replace(pattern, (match) => {
      kept.push(match);
      return `${OPEN}${String.fromCharCode(SLOT + kept.length - 1)}${CLOSE}`;
    });
  }
  for (const rule of RULES) {
    text = text.replace(rule.pattern, (...args: unknown[]) => {
      const match = args[0] as string;
      // Never touch a protected placeholder.
      if (match.includes(OPEN) || match.includes(CLOSE)) return match;
      const groups = args.slice(1).filter((g): g is string => typeof g === 'string');
      let out: string;
      if (rule.replace === undefined) out = ' ';
      else if (typeof rule.replace === 'function') out = rule.replace(match, ...groups);
      else out = rule.replace.replace(/\$(\d)/g, (_, n: string) => groups[Number(n) - 1] ?? '');
      if (out !== match && !rule.silent) removed[rule.kind] = (removed[rule.kind] ?? 0) + 1;
      return out;
    });
  }
  return tidy(text).replace(
    new RegExp(`${OPEN}(.)${CLOSE}`, 'gu'),
    (_, slot: string) => kept[slot.charCodeAt(0) - SLOT] ?? '',
  );
}

/** Remove what volatile tokens leave behind: empty brackets and quotes, dangling separators. */
function tidy(text: string): string {
  let out = text;
  for (let pass = 0; pass < 3; pass++) {
    out = out
      .replace(/\[\s*\]|\(\s*\)|\{\s*\}|<\s*>|"\s*"|'\s*'/g, ' ')
      // separators left alone between spaces or at the edges: " - ", " : ", " / ", " # ", ","
      .replace(/(^|\s)[-:/#=,;|@*_.]+(?=\s|$)/g, '$1')
      // a word left with a dangling hyphen, slash or colon: "HikariPool-" → "HikariPool"
      .replace(/([A-Za-z0-9])[-_/]+(?=\s|$|[,;)\]])/g, '$1')
      .replace(/(^|\s)[-_/]+(?=[A-Za-z])/g, '$1')
      // space left inside brackets and before closing quotes: "( over )" → "(over)"
      .replace(/([([{])\s+/g, '$1')
      .replace(/\s+([)\]}])/g, '$1')
      .replace(/([^\s"])\s+"(?=[\s,:;}\]]|$)/g, '$1"');
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** The most words sent to the search index: long pasted lines are cut to their first words. */
export const MAX_QUERY_WORDS = 24;

/** A search query prepared from what the responder typed or pasted. */
export interface PreparedQuery {
  /** The text sent to Pagefind. */
  term: string;
  /** What was removed, for "ignored 2 timestamps, 1 IP address" hints. */
  removed: Partial<Record<VolatileKind, number>>;
  /** True when normalisation changed the query (the UI says what it searched for). */
  changed: boolean;
}

/**
 * Turn raw input into the Pagefind search term: normalise volatile tokens, drop characters that
 * Pagefind treats as syntax (double quotes start a phrase search, which a pasted line never
 * means), remove repeated words, and cap the number of words. Falls back to the raw words when
 * normalisation leaves nothing (someone searching for a bare number gets what they typed).
 */
export function prepareQuery(raw: string): PreparedQuery {
  const trimmed = raw.replace(/\s+/g, ' ').trim();
  const { text, removed } = normalizeErrorText(trimmed);
  const source = text.length > 0 ? text : trimmed;
  const seen = new Set<string>();
  const words: string[] = [];
  for (const word of source.replace(/["“”«»`]/g, ' ').split(/\s+/)) {
    const bare = word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (bare.length === 0) continue;
    const key = bare.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    words.push(bare);
    if (words.length >= MAX_QUERY_WORDS) break;
  }
  const term = words.join(' ');
  return {
    term,
    removed: text.length > 0 ? removed : {},
    changed: term.toLowerCase() !== trimmed.toLowerCase(),
  };
}

const KIND_LABELS: Record<VolatileKind, [string, string]> = {
  timestamp: ['timestamp', 'timestamps'],
  uuid: ['UUID', 'UUIDs'],
  hex: ['hex id', 'hex ids'],
  ip: ['IP address', 'IP addresses'],
  port: ['port or line number', 'ports or line numbers'],
  duration: ['duration', 'durations'],
  size: ['size', 'sizes'],
  number: ['number', 'numbers'],
  id: ['id', 'ids'],
};

/** "2 timestamps, 1 IP address and 3 numbers": what normalisation ignored, in words. */
export function describeRemoved(removed: Partial<Record<VolatileKind, number>>): string {
  const parts = (Object.keys(KIND_LABELS) as VolatileKind[])
    .filter((kind) => (removed[kind] ?? 0) > 0)
    .map((kind) => {
      const n = removed[kind] ?? 0;
      const [one, many] = KIND_LABELS[kind];
      return `${n} ${n === 1 ? one : many}`;
    });
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
