/**
 * `hindsight new postmortem|playbook|path "Title"`: scaffold a document from `templates/`.
 *
 * Steps:
 * 1. read the flags (one per frontmatter field, so scripts need no prompts) and refuse bad ones;
 * 2. load the knowledge base: the taxonomy, the ids in use (next free `INC-<year>-<n>`);
 * 3. when a person is at the terminal and values are missing, ask for them;
 * 4. render the template, then check the result exactly as `hindsight validate` would (schema
 *    and every rule), against the knowledge base with the new document in it;
 * 5. create the file atomically, never replacing anything, and print its path.
 *
 * Exit codes (`EXIT` in scripts/lib/cli.ts): 0 written, 1 refused (the id or file exists, an
 * invalid template or taxonomy), 2 usage (unknown flag, bad value, unusable title), 3 internal.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, mkdir, open, readFile, realpath, stat, unlink } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { defineCommand } from 'citty';
import { z } from 'astro/zod';
import pc from 'picocolors';
import { createSchemas, KINDS, TAXONOMY_FILE, type Kind, type Taxonomy } from '../../src/schema/index.ts';
import { compareDiagnostics, type Diagnostic } from '../../src/kb/diagnostics.ts';
import { formatText } from '../../src/kb/format.ts';
import { locateField } from '../../src/kb/frontmatter.ts';
import { scanIds } from '../../src/kb/id-scan.ts';
import { createLinkIndex } from '../../src/kb/links.ts';
import { parseDocumentFile, parseTaxonomyFile } from '../../src/kb/load.ts';
import { buildKnowledgeBase, type AnyDoc } from '../../src/kb/model.ts';
import { RULES, type RuleContext } from '../../src/kb/rules/index.ts';
import { frontmatterReferences, KIND_WORD } from '../../src/kb/rules/_shared.ts';
import {
  documentFileName,
  minuteTimestamp,
  nextPostmortemId,
  renderTemplate,
  slugify,
  slugProblem,
  taxonomyDefaults,
  TemplateError,
  titleProblem,
  BUILTIN_VARIABLES,
} from '../../src/kb/scaffold.ts';
import { didYouMean, formatFieldPath, schemaAt } from '../../src/kb/schema-issues.ts';
import { DEFAULT_STALE_AFTER_DAYS } from '../../src/kb/validate.ts';
import {
  EXIT,
  parseNow as parseSharedNow,
  resolveRoot,
  rootArg,
  runSafely,
  UsageError,
  useColor,
  type ExitCode,
} from '../lib/cli.ts';

const EXIT_OK = EXIT.ok;
const EXIT_REFUSED = EXIT.problems;
const EXIT_USAGE = EXIT.usage;

const ALL: readonly Kind[] = ['postmortem', 'playbook', 'path'];

/**
 * How a flag's text becomes a field value:
 * - `text`: one string; `number`, `boolean` (true/false/yes/no);
 * - `list`: repeat the flag, one item each (free text may contain commas);
 * - `ids`: repeat the flag or separate with commas;
 * - `objects`: a JSON object (one item) or a JSON array, repeatable;
 * - `steps`: `ID: why read it`, or JSON like `objects`.
 */
type FlagType = 'text' | 'number' | 'boolean' | 'list' | 'ids' | 'objects' | 'steps';

interface FieldFlag {
  flag: string;
  path: readonly string[];
  kinds: readonly Kind[];
  type: FlagType;
  description: string;
}

/** One flag per frontmatter field. Kept in schema order; `--help` lists them in this order. */
export const FIELD_FLAGS: readonly FieldFlag[] = [
  {
    flag: 'id',
    path: ['id'],
    kinds: ALL,
    type: 'text',
    description: 'Id (default: next INC-<year>-<n>, or the slug of the title)',
  },
  {
    flag: 'status',
    path: ['status'],
    kinds: ALL,
    type: 'text',
    description: 'draft | in-review | published (default: draft)',
  },
  { flag: 'summary', path: ['summary'], kinds: ALL, type: 'text', description: 'One to three sentences' },
  {
    flag: 'severity',
    path: ['severity'],
    kinds: ['postmortem'],
    type: 'text',
    description: 'Severity id from the taxonomy, e.g. SEV2',
  },
  {
    flag: 'category',
    path: ['category'],
    kinds: ['postmortem', 'playbook'],
    type: 'text',
    description: 'Root-cause category from the taxonomy (default: unknown)',
  },
  {
    flag: 'trigger',
    path: ['trigger'],
    kinds: ['postmortem'],
    type: 'text',
    description: 'What set it off, e.g. "Deploy of checkout-api v412"',
  },
  { flag: 'audience', path: ['audience'], kinds: ['path'], type: 'text', description: 'Who the path is for' },
  {
    flag: 'estimated-minutes',
    path: ['estimated_minutes'],
    kinds: ['path'],
    type: 'number',
    description: 'Reading time in minutes',
  },
  {
    flag: 'symptoms',
    path: ['symptoms'],
    kinds: ['playbook'],
    type: 'list',
    description: 'What a responder sees (repeat the flag)',
  },
  {
    flag: 'error-signatures',
    path: ['error_signatures'],
    kinds: ['playbook'],
    type: 'list',
    description: 'Literal error message or log line (repeat the flag)',
  },
  {
    flag: 'services',
    path: ['services'],
    kinds: ['postmortem', 'playbook'],
    type: 'ids',
    description: 'Service ids, comma-separated',
  },
  {
    flag: 'started',
    path: ['started'],
    kinds: ['postmortem'],
    type: 'text',
    description: 'When impact began, with a zone, e.g. 2026-03-04T02:14:00Z (default: now)',
  },
  {
    flag: 'detected',
    path: ['detected'],
    kinds: ['postmortem'],
    type: 'text',
    description: 'When a human knew, with a zone',
  },
  {
    flag: 'mitigated',
    path: ['mitigated'],
    kinds: ['postmortem'],
    type: 'text',
    description: 'When user impact stopped, with a zone',
  },
  {
    flag: 'resolved',
    path: ['resolved'],
    kinds: ['postmortem'],
    type: 'text',
    description: 'When the incident was closed, with a zone',
  },
  {
    flag: 'detection',
    path: ['detection'],
    kinds: ['postmortem'],
    type: 'text',
    description: 'How it was noticed, from the taxonomy, e.g. alert',
  },
  {
    flag: 'impact-summary',
    path: ['impact', 'summary'],
    kinds: ['postmortem'],
    type: 'text',
    description: 'What users experienced',
  },
  {
    flag: 'users-affected',
    path: ['impact', 'users_affected'],
    kinds: ['postmortem'],
    type: 'number',
    description: 'Users affected (estimate)',
  },
  {
    flag: 'requests-failed',
    path: ['impact', 'requests_failed'],
    kinds: ['postmortem'],
    type: 'number',
    description: 'Failed requests (estimate)',
  },
  {
    flag: 'slo-budget-burned',
    path: ['impact', 'slo_budget_burned'],
    kinds: ['postmortem'],
    type: 'number',
    description: 'Error budget consumed, percent',
  },
  {
    flag: 'data-loss',
    path: ['impact', 'data_loss'],
    kinds: ['postmortem'],
    type: 'boolean',
    description: 'Was data lost or corrupted: yes | no (default: no)',
  },
  {
    flag: 'failure-modes',
    path: ['failure_modes'],
    kinds: ['postmortem'],
    type: 'ids',
    description: 'Playbook ids, comma-separated',
  },
  {
    flag: 'related',
    path: ['related'],
    kinds: ['postmortem', 'playbook'],
    type: 'ids',
    description: 'Related ids (postmortems for a postmortem, playbooks for a playbook)',
  },
  {
    flag: 'steps',
    path: ['steps'],
    kinds: ['path'],
    type: 'steps',
    description: 'A step, "ID: why read it" (repeat the flag, in order)',
  },
  {
    flag: 'action-items',
    path: ['action_items'],
    kinds: ['postmortem'],
    type: 'objects',
    description: 'JSON: {"title","owner","due","status","kind","ticket"} (repeatable)',
  },
  {
    flag: 'authors',
    path: ['authors'],
    kinds: ['postmortem'],
    type: 'ids',
    description: 'Authors, comma-separated (default: git user.name)',
  },
  {
    flag: 'reviewers',
    path: ['reviewers'],
    kinds: ['postmortem'],
    type: 'ids',
    description: 'Reviewers, comma-separated',
  },
  {
    flag: 'owners',
    path: ['owners'],
    kinds: ['playbook', 'path'],
    type: 'ids',
    description: 'Owners, comma-separated (default: git user.name)',
  },
  {
    flag: 'last-reviewed',
    path: ['last_reviewed'],
    kinds: ['playbook'],
    type: 'text',
    description: 'YYYY-MM-DD (default: today)',
  },
  { flag: 'tags', path: ['tags'], kinds: ALL, type: 'ids', description: 'Tags, comma-separated' },
  {
    flag: 'allowlist',
    path: ['allowlist'],
    kinds: ALL,
    type: 'objects',
    description: 'JSON: {"match","reason"} reviewed exception to the sensitive-data scan (repeatable)',
  },
];

const VALUE_HINTS: Record<FlagType, string> = {
  text: 'text',
  number: 'n',
  boolean: 'yes|no',
  list: 'text',
  ids: 'a,b',
  objects: 'json',
  steps: 'id: note',
};

const REPEATABLE: ReadonlySet<FlagType> = new Set(['list', 'ids', 'objects', 'steps']);

const OPTION_FLAGS = {
  root: { type: 'string', valueHint: rootArg.root.valueHint, description: rootArg.root.description },
  now: {
    type: 'string',
    valueHint: 'date',
    description: '"Today", as YYYY-MM-DD or an ISO timestamp (for tests and back-dating)',
  },
  yes: { type: 'boolean', short: 'y', description: 'Never prompt; use defaults for what is missing' },
  'dry-run': { type: 'boolean', description: 'Print the document instead of writing it' },
} as const;

/** The command ran and refused (the id is taken, the template is broken): exit 1. */
class Refusal extends Error {}

/** What the flags asked for, before anything touches the disk. */
interface Request {
  kind?: Kind;
  title?: string;
  root: string;
  now: Date;
  yes: boolean;
  dryRun: boolean;
  /** Explicit field values by path key (`impact.users_affected`), with the flag they came from. */
  fields: Map<string, { path: readonly string[]; value: unknown; flag: string }>;
  /** Defaults a person accepted at a prompt (not listed again as "defaults to review"). */
  accepted: Set<string>;
}

const pathKey = (path: readonly (string | number)[]) => path.join('.');

function parseFlagValue(spec: FieldFlag, raw: string[]): unknown {
  const one = raw[raw.length - 1] ?? '';
  switch (spec.type) {
    case 'text':
      return one;
    case 'number': {
      const n = Number(one.trim());
      if (one.trim() === '' || !Number.isFinite(n))
        throw new UsageError(
          `--${spec.flag}: expected a number, e.g. --${spec.flag} 120; found ${JSON.stringify(one)}`,
        );
      return n;
    }
    case 'boolean': {
      const v = one.trim().toLowerCase();
      if (['yes', 'true', 'y', '1'].includes(v)) return true;
      if (['no', 'false', 'n', '0'].includes(v)) return false;
      throw new UsageError(`--${spec.flag}: expected yes or no; found ${JSON.stringify(one)}`);
    }
    case 'list':
      return raw.map((v) => v.trim()).filter((v) => v !== '');
    case 'ids':
      return raw
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter((v) => v !== '');
    case 'objects':
      return raw.flatMap((v) => parseJsonItems(spec, v));
    case 'steps':
      return raw.flatMap((v) => {
        const trimmed = v.trim();
        if (trimmed.startsWith('{') || trimmed.startsWith('[')) return parseJsonItems(spec, trimmed);
        const colon = trimmed.indexOf(':');
        if (colon <= 0) {
          throw new UsageError(
            `--steps: expected "ID: why read it", e.g. --steps "retry-storm: the failure behind most of our SEV2s"; found ${JSON.stringify(v)}`,
          );
        }
        return [{ doc: trimmed.slice(0, colon).trim(), note: trimmed.slice(colon + 1).trim() }];
      });
  }
}

function parseJsonItems(spec: FieldFlag, text: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `--${spec.flag}: expected JSON (an object, or a list of objects); ${(error as Error).message}`,
    );
  }
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === 'object') return [value];
  throw new UsageError(`--${spec.flag}: expected a JSON object or list of objects; found ${JSON.stringify(text)}`);
}

/** `--now`: a bare date is noon UTC that day (so "today" is the same date in every zone). */
function parseNow(raw: string | undefined): Date {
  return parseSharedNow(raw, { bareDate: 'noon' });
}

/** Read the command line strictly: an unknown or misspelt flag is an error, never ignored. */
export function parseRequest(argv: readonly string[], cwd = process.cwd()): Request {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, def] of Object.entries(OPTION_FLAGS))
    options[name] = { type: def.type, ...('short' in def ? { short: def.short } : {}) };
  for (const spec of FIELD_FLAGS) options[spec.flag] = { type: 'string', multiple: true };
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    if (unknown) {
      const guess = didYouMean(unknown.replace(/^-+/, ''), Object.keys(options));
      throw new UsageError(
        `unknown option ${unknown}${guess ? `; did you mean --${guess}?` : ''} (see hindsight new --help)`,
      );
    }
    throw new UsageError(message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const [kindWord, ...titleWords] = parsed.positionals;
  let kind: Kind | undefined;
  if (kindWord !== undefined) {
    if (!(kindWord in KINDS)) {
      const guess = didYouMean(kindWord, Object.keys(KINDS));
      throw new UsageError(
        `unknown kind ${JSON.stringify(kindWord)}: expected postmortem, playbook or path${guess ? `; did you mean ${guess}?` : ''}`,
      );
    }
    kind = kindWord as Kind;
  }
  const request: Request = {
    ...(kind ? { kind } : {}),
    ...(titleWords.length > 0 ? { title: titleWords.join(' ') } : {}),
    root: resolveRoot(typeof values['root'] === 'string' ? { root: values['root'] } : {}, cwd),
    now: parseNow(typeof values['now'] === 'string' ? values['now'] : undefined),
    yes: values['yes'] === true,
    dryRun: values['dry-run'] === true,
    fields: new Map(),
    accepted: new Set(),
  };
  for (const spec of FIELD_FLAGS) {
    const raw = values[spec.flag];
    if (!Array.isArray(raw)) continue;
    if (kind && !spec.kinds.includes(kind)) {
      throw new UsageError(
        `--${spec.flag} does not apply to a ${kind}; it is a field of ${spec.kinds.map((k) => `${k}s`).join(' and ')}`,
      );
    }
    if (!REPEATABLE.has(spec.type) && raw.length > 1)
      throw new UsageError(`--${spec.flag} was given ${raw.length} times; give it once`);
    request.fields.set(pathKey(spec.path), { path: spec.path, value: parseFlagValue(spec, raw), flag: spec.flag });
  }
  return request;
}

/** The person writing: git's user.name in the knowledge base, else the login name. */
function defaultAuthor(root: string): string {
  try {
    const name = execFileSync('git', ['config', 'user.name'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 2000,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    if (name) return name;
  } catch {
    // No git, or no user.name: fall through.
  }
  const fromEnv = process.env['USER'] ?? process.env['USERNAME'];
  if (fromEnv) return fromEnv;
  try {
    return userInfo().username || 'TODO: author';
  } catch {
    return 'TODO: author';
  }
}

/** The template for a kind: the knowledge base's own `templates/<kind>.md`, else the bundled one. */
async function readTemplate(root: string, kind: Kind): Promise<{ file: string; text: string }> {
  const own = join(root, 'templates', `${kind}.md`);
  const bundled = fileURLToPath(new URL(`../../templates/${kind}.md`, import.meta.url));
  const file = existsSync(own) ? own : bundled;
  return { file, text: await readFile(file, 'utf8') };
}

/** Every field path of a kind's schema (nested objects expanded), for template variables. */
function fieldPaths(schema: Parameters<typeof schemaAt>[0], prefix: string[] = []): string[][] {
  const node = schemaAt(schema, prefix);
  const shape = (node?.schema._zod.def as { shape?: Record<string, unknown> } | undefined)?.shape;
  if (!shape) return [];
  return Object.keys(shape).flatMap((key) => {
    const path = [...prefix, key];
    const child = schemaAt(schema, path);
    const isObject = (child?.schema._zod.def as { type?: string } | undefined)?.type === 'object';
    return isObject ? [path, ...fieldPaths(schema, path)] : [path];
  });
}

// ---------------------------------------------------------------------------------------------
// Prompts: only with a person at the terminal. Answers are checked as they are typed.

interface Question {
  path: readonly string[];
  label: string;
  /** Allowed values with labels, for a numbered choice. */
  choices?: { id: string; label: string }[];
  list?: boolean;
}

function questionsFor(kind: Kind, taxonomy: Taxonomy): Question[] {
  const categories = taxonomy.categories.map((c) => ({ id: c.id, label: c.label }));
  if (kind === 'postmortem') {
    return [
      { path: ['summary'], label: 'Summary (what happened, for whom, how long)' },
      {
        path: ['severity'],
        label: 'Severity',
        choices: [...taxonomy.severities].sort((a, b) => a.rank - b.rank).map((s) => ({ id: s.id, label: s.label })),
      },
      { path: ['category'], label: 'Root-cause category', choices: categories },
      { path: ['services'], label: 'Services (comma-separated ids)', list: true },
      { path: ['started'], label: 'Impact started (timestamp with zone)' },
      {
        path: ['detection'],
        label: 'Detected by',
        choices: taxonomy.detection_sources.map((d) => ({ id: d.id, label: d.label })),
      },
      { path: ['authors'], label: 'Authors (comma-separated)', list: true },
    ];
  }
  if (kind === 'playbook') {
    return [
      { path: ['summary'], label: 'Summary (what this failure mode is)' },
      { path: ['category'], label: 'Usual root-cause category', choices: categories },
      { path: ['symptoms'], label: 'First symptom a responder sees', list: true },
      { path: ['owners'], label: 'Owners (comma-separated)', list: true },
    ];
  }
  return [
    { path: ['summary'], label: 'Summary (what a reader will understand)' },
    { path: ['audience'], label: 'Audience (who this is for)' },
    { path: ['owners'], label: 'Owners (comma-separated)', list: true },
  ];
}

async function ask(
  request: Request,
  taxonomy: Taxonomy,
  schema: Parameters<typeof schemaAt>[0],
  defaults: ReadonlyMap<string, unknown>,
): Promise<void> {
  // Lines are queued as they arrive, so answers typed (or pasted) ahead are not lost. The
  // terminal's own line editing is used (no raw mode): Ctrl-C and Ctrl-D stop without writing.
  const rl = createInterface({ input: process.stdin, terminal: false });
  const queued: string[] = [];
  let waiting: ((line: string | undefined) => void) | undefined;
  let closed = false;
  rl.on('line', (line) => {
    if (waiting) {
      const resolveLine = waiting;
      waiting = undefined;
      resolveLine(line);
    } else queued.push(line);
  });
  rl.on('close', () => {
    closed = true;
    waiting?.(undefined);
  });
  const onInterrupt = () => {
    rl.close();
  };
  process.once('SIGINT', onInterrupt);
  const question = async (text: string): Promise<string> => {
    process.stderr.write(text);
    const line = queued.shift() ?? (closed ? undefined : await new Promise<string | undefined>((r) => (waiting = r)));
    if (line === undefined) {
      process.stderr.write('\n');
      throw new Refusal('stopped before all answers were given; nothing was written');
    }
    return line;
  };
  try {
    process.stderr.write(pc.dim('Press Enter to keep the [default]; Ctrl-C to stop without writing anything.\n'));
    while (request.title === undefined) {
      const answer = (await question('Title: ')).trim();
      const problem = answer === '' ? 'a title is needed' : titleProblem(answer);
      if (problem) process.stderr.write(`${pc.red('✗')} ${problem}\n`);
      else request.title = answer;
    }
    if (!request.kind) return;
    for (const q of questionsFor(request.kind, taxonomy)) {
      const key = pathKey(q.path);
      if (request.fields.has(key)) continue;
      const fallback = defaults.get(key);
      const shown = fallback === undefined ? '' : describeDefault(fallback);
      if (q.choices)
        process.stderr.write(q.choices.map((c, i) => `  ${i + 1}. ${c.id} ${pc.dim(c.label)}`).join('\n') + '\n');
      for (;;) {
        const answer = (await question(`${q.label}${shown ? ` [${shown}]` : ''}: `)).trim();
        if (answer === '') {
          request.accepted.add(key);
          break;
        }
        let value: unknown = answer;
        if (q.choices) {
          const index = Number(answer);
          const byNumber = Number.isInteger(index) ? q.choices[index - 1] : undefined;
          const byId = q.choices.find((c) => c.id.toLowerCase() === answer.toLowerCase());
          value = (byNumber ?? byId)?.id ?? answer;
        } else if (q.list) {
          value = answer
            .split(',')
            .map((v) => v.trim())
            .filter((v) => v !== '');
        }
        const field = schemaAt(schema, q.path);
        const result = field ? z.safeParse(field.schema, value) : undefined;
        const issues = result && !result.success ? result.error.issues : undefined;
        if (issues && issues.length > 0) {
          const hint =
            typeof value === 'string' && q.choices
              ? didYouMean(
                  value,
                  q.choices.map((c) => c.id),
                )
              : undefined;
          process.stderr.write(
            `${pc.red('✗')} ${issues[0]?.message ?? 'not allowed'}${hint ? `; did you mean ${hint}?` : ''}${field?.description ? pc.dim(` (${field.description})`) : ''}\n`,
          );
          continue;
        }
        request.fields.set(key, { path: q.path, value, flag: q.path.join('-').replace(/_/g, '-') });
        break;
      }
    }
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    rl.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Writing: exclusive and atomic.

/**
 * Create `target` with `text`, never replacing anything: the text goes to a temporary file in
 * the same folder, which is then hard-linked to the final name (`link` fails if the name exists,
 * atomically) and removed. Readers never see a half-written document. Where hard links are not
 * supported, falls back to an exclusive create (`wx`).
 */
export async function createExclusive(target: string, text: string): Promise<void> {
  const temp = join(dirname(target), `.hindsight-new-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o644);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temp, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') {
      const direct = await open(target, 'wx', 0o644);
      try {
        await direct.writeFile(text, 'utf8');
        await direct.sync();
      } finally {
        await direct.close();
      }
      return;
    }
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** Tries at claiming an id before giving up (each failure means another run took that id). */
const MAX_CLAIM_ATTEMPTS = 50;

/** A claim left behind by a run that crashed is ignored after this long. */
const STALE_CLAIM_MS = 120_000;

/**
 * Claim an id for the time it takes to write its document: an exclusively created, hidden
 * `content/.hindsight-new-<id>.claim` (outside the kind folders, so nothing reads it as
 * content). Returns undefined when another run holds it. The id has passed its schema, so it is
 * a plain slug or `INC-<year>-<n>`, safe in a file name.
 */
async function claimId(root: string, id: string): Promise<{ release: () => Promise<void> } | undefined> {
  const file = join(root, 'content', `.hindsight-new-${id}.claim`);
  for (let tries = 0; tries < 2; tries++) {
    try {
      const handle = await open(file, 'wx', 0o644);
      await handle.close();
      return { release: () => unlink(file).catch(() => undefined) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age =
        Date.now() -
        (await stat(file)
          .then((s) => s.mtimeMs)
          .catch(() => Date.now()));
      if (age < STALE_CLAIM_MS) return undefined;
      await unlink(file).catch(() => undefined);
    }
  }
  return undefined;
}

/** The kind folder, created if missing, refused if it resolves outside `content/`. */
async function kindFolder(root: string, kind: Kind): Promise<string> {
  const content = await realpath(join(root, 'content'));
  const folder = join(content, KINDS[kind]);
  await mkdir(folder, { recursive: true });
  const real = await realpath(folder);
  if (real !== join(content, KINDS[kind]) && !real.startsWith(content + sep)) {
    throw new Refusal(`content/${KINDS[kind]} leads outside content/ (a symbolic link); nothing was written`);
  }
  return real;
}

// ---------------------------------------------------------------------------------------------

function displayPath(file: string, cwd = process.cwd()): string {
  const rel = relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

function describeDefault(value: unknown): string {
  const one = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  return Array.isArray(value) ? value.map(one).join(', ') : one(value);
}

/**
 * Rules that look at one document alone. `hindsight new` runs these on the new document, plus
 * the link and reference checks against the ids in use, without loading (and parsing) the whole
 * knowledge base. Cross-document rules (duplicate ids aside, checked here directly) are left to
 * `hindsight validate`.
 */
const SINGLE_DOCUMENT_RULES = new Set([
  'id-matches-filename',
  'unresolved-link',
  'timestamps-ordered',
  'published-complete',
  'action-item-overdue',
  'playbook-stale',
  'sensitive-data',
]);

/** Check a new document as `hindsight validate` would, against the ids already in use. */
function checkNewDocument(
  doc: AnyDoc,
  context: {
    taxonomy: Taxonomy;
    scanned: readonly { kind: Kind; id?: string; file: string }[];
    now: Date;
    locate: (path: readonly (string | number)[]) => { line: number; column: number };
  },
): Diagnostic[] {
  const known = context.scanned.flatMap((d) => (d.id === undefined ? [] : [{ kind: d.kind, id: d.id, file: d.file }]));
  const links = createLinkIndex([...known, doc]);
  const ruleContext: RuleContext = {
    kb: buildKnowledgeBase('', context.taxonomy, [doc]),
    links,
    now: context.now,
    staleAfterDays: DEFAULT_STALE_AFTER_DAYS,
    locate: (_file, path) => context.locate(path),
    rejected: [],
  };
  const out = RULES.filter((rule) => SINGLE_DOCUMENT_RULES.has(rule.code)).flatMap((rule) => rule.check(ruleContext));
  for (const ref of frontmatterReferences(doc)) {
    const field = formatFieldPath(ref.path);
    const wanted = ref.kinds.map((k) => KIND_WORD[k]).join(' or ');
    const target = links.byId.get(ref.id);
    const base = {
      code: 'unresolved-reference',
      severity: 'error' as const,
      file: doc.file,
      ...context.locate(ref.path),
      field,
      found: JSON.stringify(ref.id),
    };
    if (ref.id === doc.id) {
      out.push({ ...base, message: `"${field}" refers to this document itself`, hint: 'remove the entry' });
    } else if (!target) {
      const suggestion = didYouMean(
        ref.id,
        known.filter((k) => ref.kinds.includes(k.kind)).map((k) => k.id),
      );
      out.push({
        ...base,
        message: `"${field}" refers to "${ref.id}", which is not a known ${wanted}`,
        expected: `the id of an existing ${wanted}`,
        hint: suggestion
          ? `did you mean "${suggestion}"?`
          : `create it first (npx hindsight new ${ref.kinds[0] ?? 'playbook'}) or leave it out`,
      });
    } else if (!ref.kinds.includes(target.kind)) {
      out.push({
        ...base,
        message: `"${field}" refers to ${KIND_WORD[target.kind]} "${ref.id}", but it must name a ${wanted}`,
        expected: `the id of a ${wanted}`,
      });
    }
  }
  return out;
}

/** Run `hindsight new` with the words after `new`; returns the exit code. */
export async function runNew(argv: readonly string[]): Promise<ExitCode> {
  const color = useColor(process.stderr);
  const c = pc.createColors(color);
  const fail = (code: ExitCode, message: string, hint?: string) => {
    process.stderr.write(`${c.red(c.bold('hindsight new:'))} ${message}\n${hint ? `  ${c.cyan(hint)}\n` : ''}`);
    return code;
  };
  try {
    const request = parseRequest(argv);
    if (!request.kind)
      return fail(EXIT_USAGE, 'which kind of document? expected: hindsight new postmortem|playbook|path "Title"');
    const kind = request.kind;
    if (request.title !== undefined) {
      const problem = titleProblem(request.title);
      if (problem) return fail(EXIT_USAGE, `refusing the title ${JSON.stringify(request.title)}: ${problem}`);
    }

    // 2. The knowledge base as it is: taxonomy, ids in use.
    const taxonomyText = await readFile(join(request.root, TAXONOMY_FILE), 'utf8').catch(() => undefined);
    if (taxonomyText === undefined)
      return fail(EXIT_REFUSED, `${TAXONOMY_FILE} is missing or unreadable; every knowledge base needs one`);
    const parsedTaxonomy = parseTaxonomyFile(taxonomyText);
    if (!parsedTaxonomy.taxonomy) {
      process.stderr.write(
        formatText(parsedTaxonomy.diagnostics, {
          color,
          source: (file) => (file === TAXONOMY_FILE ? taxonomyText : undefined),
        }),
      );
      return fail(EXIT_REFUSED, `${TAXONOMY_FILE} is invalid; fix it first (npx hindsight validate)`);
    }
    const taxonomy = parsedTaxonomy.taxonomy;
    const scanned = await scanIds(request.root);
    const schema = createSchemas(taxonomy)[kind];
    const author = defaultAuthor(request.root);
    const date = request.now.toISOString().slice(0, 10);
    const defaults = new Map<string, unknown>(Object.entries(taxonomyDefaults(kind, taxonomy)));
    if (kind === 'postmortem') {
      defaults.set('started', minuteTimestamp(request.now));
      defaults.set('authors', [author]);
    } else {
      defaults.set('owners', [author]);
      if (kind === 'playbook') defaults.set('last_reviewed', date);
    }

    // 3. Ask for what is missing, when someone is there to answer.
    if (process.stdin.isTTY && !request.yes && !request.dryRun) await ask(request, taxonomy, schema, defaults);
    if (request.title === undefined)
      return fail(EXIT_USAGE, 'missing the title: hindsight new ' + kind + ' "A short, specific title"');
    const title = request.title.trim();

    // Id and file name.
    const slug = slugify(title);
    const explicitId = request.fields.get('id')?.value;
    const usedIds = new Map<string, string>();
    for (const doc of scanned) if (doc.id !== undefined && !usedIds.has(doc.id)) usedIds.set(doc.id, doc.file);
    if (!/[\p{L}\p{N}]/u.test(title))
      return fail(EXIT_USAGE, `refusing the title ${JSON.stringify(title)}: it has no letters or digits`);
    const automaticId = typeof explicitId !== 'string' && kind === 'postmortem';
    if (typeof explicitId !== 'string' && kind !== 'postmortem') {
      const problem = slugProblem(slug);
      if (problem)
        return fail(
          EXIT_USAGE,
          `cannot make an id from the title ${JSON.stringify(title)}: ${problem}`,
          'pass one with --id, e.g. --id connection-pool-exhaustion',
        );
    }
    const chooseId = (taken: ReadonlyMap<string, string>) =>
      typeof explicitId === 'string'
        ? explicitId.trim()
        : automaticId
          ? nextPostmortemId(taken.keys(), request.now.getUTCFullYear())
          : slug;
    const alreadyUsed = (id: string, by: string) =>
      fail(
        EXIT_REFUSED,
        `the id ${JSON.stringify(id)} is already used by ${by}; nothing was written`,
        kind === 'postmortem' ? 'omit --id to take the next free one' : 'edit that document, or pass another --id',
      );

    const firstId = chooseId(usedIds);
    const takenBy = usedIds.get(firstId);
    if (takenBy) return alreadyUsed(firstId, takenBy);
    if (kind === 'path' && !request.fields.has('steps')) {
      const withId = (kindWanted: Kind) => scanned.find((d) => d.kind === kindWanted && d.id !== undefined);
      const first = withId('playbook') ?? withId('postmortem') ?? withId('path');
      if (!first?.id) {
        return fail(
          EXIT_REFUSED,
          'a path needs at least one step, and this knowledge base has no documents yet',
          'write a playbook or postmortem first, or pass --steps "ID: why read it"',
        );
      }
      defaults.set('steps', [{ doc: first.id, note: 'TODO: why read this now, and what to take from it.' }]);
    }

    // 4. Render, then check as `hindsight validate` would.
    const template = await readTemplate(request.root, kind);
    const templateName = displayPath(template.file);
    const prepare = (id: string): { text: string; fileName: string; problems: Diagnostic[] } | ExitCode => {
      const variables = new Map<string, unknown>();
      for (const path of fieldPaths(schema)) {
        const key = pathKey(path);
        variables.set(key, request.fields.get(key)?.value ?? defaults.get(key));
      }
      variables.set('id', id);
      variables.set('title', title);
      const builtins: Record<(typeof BUILTIN_VARIABLES)[number], unknown> = {
        date,
        now: minuteTimestamp(request.now),
        year: String(request.now.getUTCFullYear()),
        author,
      };
      for (const [name, value] of Object.entries(builtins)) variables.set(name, value);
      let text: string;
      try {
        text = renderTemplate({
          template: template.text,
          variables,
          fields: [...request.fields.values()]
            .filter((f) => f.flag !== 'id')
            .map((f) => ({ path: f.path, value: f.value })),
          describe: (path) => {
            const d = schemaAt(schema, path)?.description;
            return d ? `(optional) ${d}` : '(optional)';
          },
        });
      } catch (error) {
        if (error instanceof TemplateError)
          return fail(EXIT_REFUSED, `${templateName}:${error.line}: ${error.message}`);
        throw error;
      }
      const fileName = documentFileName(kind, id, slug);
      const relPath = `content/${KINDS[kind]}/${fileName}`;
      const parsed = parseDocumentFile(relPath, new TextEncoder().encode(text), createSchemas(taxonomy));
      const problems = parsed.doc
        ? checkNewDocument(parsed.doc, {
            taxonomy,
            scanned,
            now: request.now,
            locate: (path) => locateField(parsed.frontmatter, path),
          })
        : parsed.diagnostics;
      const errors = problems.filter((d) => d.severity === 'error').sort(compareDiagnostics);
      if (errors.length === 0) return { text, fileName, problems };
      // Problems in values given on the command line are usage errors; the rest is the template's.
      const flagFor = (d: Diagnostic) => {
        const field = d.field;
        if (field === undefined) return undefined;
        return [...request.fields.values()].find((f) => {
          const name = formatFieldPath(f.path);
          return field === name || field.startsWith(`${name}[`) || field.startsWith(`${name}.`);
        });
      };
      for (const d of errors) {
        const flag = flagFor(d);
        const where = flag ? `--${flag.flag}` : `${templateName} (${d.field ?? 'document'})`;
        const lines = [`${c.red(c.bold('error'))} ${c.bold(where)}: ${d.message}`];
        if (d.expected) lines.push(`  ${c.dim('expected:')} ${d.expected}`);
        if (d.found) lines.push(`  ${c.dim('found:')}    ${d.found}`);
        if (d.hint) lines.push(`  ${c.dim('hint:')}     ${c.cyan(d.hint)}`);
        process.stderr.write(`${lines.join('\n')}\n`);
      }
      return fail(errors.every((d) => flagFor(d) !== undefined) ? EXIT_USAGE : EXIT_REFUSED, 'nothing was written');
    };

    // 5. Write, or show. The id is claimed first, so two `hindsight new` at once never pick the same one.
    const taken = new Map(usedIds);
    let id = firstId;
    let prepared = prepare(id);
    if (typeof prepared === 'number') return prepared;
    if (request.dryRun) {
      process.stdout.write(prepared.text);
      return EXIT_OK;
    }
    let target: string | undefined;
    for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS && target === undefined; attempt++) {
      const claim = await claimId(request.root, id);
      if (claim) {
        try {
          const now = await scanIds(request.root);
          const by = now.find((d) => d.id === id)?.file;
          if (by === undefined) {
            const file = join(await kindFolder(request.root, kind), prepared.fileName);
            try {
              await createExclusive(file, prepared.text);
            } catch (error) {
              if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
                return fail(
                  EXIT_REFUSED,
                  `${displayPath(file)} already exists; nothing was written`,
                  'pick another title or --id, or edit the existing file',
                );
              }
              throw error;
            }
            target = file;
            break;
          }
          if (!automaticId) return alreadyUsed(id, by);
          taken.set(id, by);
        } finally {
          await claim.release();
        }
      } else if (!automaticId) {
        return fail(
          EXIT_REFUSED,
          `another \`hindsight new\` is creating ${JSON.stringify(id)} right now; nothing was written`,
          'try again in a moment',
        );
      } else {
        taken.set(id, 'another hindsight new');
      }
      // Someone else took this id meanwhile: take the next one.
      id = chooseId(taken);
      prepared = prepare(id);
      if (typeof prepared === 'number') return prepared;
    }
    if (target === undefined)
      return fail(EXIT_REFUSED, 'could not claim a free id (too many `hindsight new` at once); nothing was written');
    process.stdout.write(`${displayPath(target)}\n`);
    const problems = prepared.problems;

    const usedDefaults = [...defaults.entries()]
      .filter(
        ([key]) =>
          !request.fields.has(key) &&
          !request.accepted.has(key) &&
          !['status', 'authors', 'owners', 'last_reviewed'].includes(key),
      )
      .map(([key, value]) => `${key}: ${describeDefault(value)}`);
    const notes = [
      usedDefaults.length > 0 ? `defaults to review: ${usedDefaults.join('; ')}` : undefined,
      'replace the TODO placeholders, then: npx hindsight validate ' + displayPath(target),
    ].filter(Boolean);
    process.stderr.write(notes.map((n) => c.dim(`  ${n}`)).join('\n') + '\n');
    for (const w of problems.filter((d) => d.severity === 'warning'))
      process.stderr.write(`${c.yellow('warning')} ${w.message}\n`);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) return fail(EXIT_USAGE, `${error.message}\nRun "hindsight new --help" for usage.`);
    if (error instanceof Refusal) return fail(EXIT_REFUSED, error.message);
    const code = (error as NodeJS.ErrnoException).code;
    // File-system trouble (permissions, a full disk) is the environment, not a bug: say what failed.
    if (typeof code === 'string' && code.startsWith('E'))
      return fail(EXIT_REFUSED, `${(error as Error).message}; nothing was written`);
    throw error;
  }
}

export default defineCommand({
  meta: { name: 'new', description: 'Scaffold a postmortem, playbook or onboarding path from templates/.' },
  args: {
    kind: { type: 'positional', required: false, description: 'postmortem | playbook | path' },
    title: { type: 'positional', required: false, description: 'The title, in quotes' },
    ...Object.fromEntries(
      Object.entries(OPTION_FLAGS).map(([name, def]) => [
        name,
        {
          type: def.type,
          description: def.description,
          ...('valueHint' in def ? { valueHint: def.valueHint } : {}),
          ...('short' in def ? { alias: def.short } : {}),
        },
      ]),
    ),
    ...Object.fromEntries(
      FIELD_FLAGS.map((f) => [
        f.flag,
        {
          type: 'string' as const,
          valueHint: VALUE_HINTS[f.type],
          description: `${f.description} [${f.kinds.length === 3 ? 'all' : f.kinds.join(', ')}]`,
        },
      ]),
    ),
  },
  async run({ rawArgs }) {
    await runSafely('new', () => runNew(rawArgs));
  },
});
