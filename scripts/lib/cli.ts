/**
 * Shared plumbing for `hindsight` commands: exit codes, the `--root` option, strict argument
 * checking, the option parsers several commands share (`--format`, `--now`, `--stale-days`),
 * colour detection, and `runSafely`, the wrapper that turns any failure into a one-line
 * message and an exit code (never a stack trace).
 *
 * Exit codes (the same for every command):
 * - 0 `EXIT.ok`: done, nothing to report (for `validate`: no errors, and no warnings with `--strict`);
 * - 1 `EXIT.problems`: the command ran and found problems in the content;
 * - 2 `EXIT.usage`: the command was called wrongly (unknown flag, bad value, no `content/` folder);
 * - 3 `EXIT.internal`: a bug in Hindsight; the message says so (`HINDSIGHT_DEBUG=1` shows the stack).
 */
import { existsSync, statSync } from 'node:fs';
import nodeModule from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import type { ArgsDef } from 'citty';
import { didYouMean } from '../../src/kb/schema-issues.ts';

export const EXIT = { ok: 0, problems: 1, usage: 2, internal: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A mistake in how the command was called: reported in one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The `--root DIR` option every command takes. Spread it into a command's `args`. */
export const rootArg = {
  root: {
    type: 'string',
    description: 'Folder holding content/ (default: the current folder)',
    valueHint: 'DIR',
  },
} as const satisfies ArgsDef;

/**
 * The knowledge-base root from `--root` (or the current folder), made absolute. Throws a
 * `UsageError` when the folder does not exist or holds no `content/` folder.
 */
export function resolveRoot(args: { root?: string | undefined }, cwd = process.cwd()): string {
  if (args.root === '') throw new UsageError('--root needs a folder, e.g. --root ./kb');
  const root = resolve(cwd, args.root ?? '.');
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`no such folder: ${root}`);
  const content = join(root, 'content');
  if (!existsSync(content) || !statSync(content).isDirectory()) {
    throw new UsageError(`${root} has no content/ folder; pass --root with the folder that holds content/`);
  }
  return root;
}

/** Refuse positional arguments for a command that takes only options (`hindsight <command>`). */
export function rejectPositionals(positionals: readonly unknown[], command: string): void {
  if (positionals.length > 0)
    throw new UsageError(
      `unexpected argument ${JSON.stringify(positionals[0])}; hindsight ${command} takes only options`,
    );
}

/**
 * Check raw arguments strictly against a command's citty `args`: citty ignores unknown flags,
 * which would turn a typo (`--fromat json`) into silently different behaviour. Throws a
 * `UsageError` naming the offending flag. `--help`/`-h` are handled by citty before this runs.
 */
export function checkArgs(rawArgs: readonly string[], argsDef: ArgsDef): void {
  const options: ParseArgsOptionsConfig = {};
  for (const [name, def] of Object.entries(argsDef)) {
    if (def.type === 'positional') continue;
    const type = def.type === 'boolean' ? 'boolean' : 'string';
    options[name] = { type };
    const alias = (def as { alias?: string | string[] }).alias;
    const aliases = typeof alias === 'string' ? [alias] : (alias ?? []);
    for (const alias of aliases) {
      if (alias.length === 1) (options[name] as { short?: string }).short = alias;
      else options[alias] = { type };
    }
  }
  try {
    parseArgs({ args: [...rawArgs], options, strict: true, allowPositionals: true, allowNegative: true });
  } catch (error) {
    const message = (error as Error).message;
    const known = Object.keys(options).map((o) => `--${o}`);
    const unknown = /^Unknown option '([^']+)'/.exec(message)?.[1];
    if (unknown !== undefined) {
      const suggestion = unknown.startsWith('--') ? didYouMean(unknown, known) : undefined;
      throw new UsageError(
        `unknown option ${unknown}${suggestion ? `; did you mean ${suggestion}?` : known.length > 0 ? `; known options: ${known.join(', ')}` : ''}`,
      );
    }
    throw new UsageError((message.split('\n')[0] ?? 'invalid arguments').replace(/\.$/, ''));
  }
}

/** `--format`: one of the command's `formats` (the first is the default); anything else is a `UsageError`. */
export function parseFormat<F extends string>(value: string | undefined, formats: readonly [F, ...F[]]): F {
  const format = value ?? formats[0];
  if ((formats as readonly string[]).includes(format)) return format as F;
  throw new UsageError(`unknown format "${format}"; expected one of ${formats.join(', ')}`);
}

/**
 * `--now`: the moment to treat as now, for reproducible runs (the real time when absent). A bare
 * date (`2026-05-01`) means the end of that day (UTC) with `bareDate: 'end-of-day'` (`validate`,
 * `report`: reminders due that day count), noon UTC with `bareDate: 'noon'` (`import`). A full
 * timestamp is taken as is, unless `dateOnly`. Impossible dates (`2026-02-30`) are a `UsageError`.
 */
export function parseNow(
  value: string | undefined,
  options: { bareDate: 'end-of-day' | 'noon'; dateOnly?: boolean },
): Date {
  if (value === undefined) return new Date();
  const bare = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const text = bare ? `${value}T${options.bareDate === 'noon' ? '12:00:00Z' : '23:59:59.999Z'}` : value;
  const date = new Date(text);
  if (
    !(options.dateOnly ? bare : /^\d{4}-\d{2}-\d{2}/.test(value)) ||
    Number.isNaN(date.getTime()) ||
    date.toISOString().slice(0, 10) !== text.slice(0, 10)
  ) {
    throw new UsageError(
      options.dateOnly
        ? `--now expects a date such as 2026-05-01; got "${value}"`
        : `--now expects a date such as 2026-05-01 or a timestamp such as 2026-05-01T12:00:00Z; got "${value}"`,
    );
  }
  return date;
}

/** `--stale-days N`: a whole number of days from 1 to 100,000; `fallback` when absent. */
export function parseStaleDays(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 100_000) {
    throw new UsageError(`--stale-days expects a whole number of days, e.g. 180; got "${value}"`);
  }
  return Number(value);
}

/** Whether to colour output written to `stream`: a terminal, unless NO_COLOR; FORCE_COLOR forces. */
export function useColor(stream: NodeJS.WriteStream): boolean {
  const env = process.env;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
  return stream.isTTY && env['TERM'] !== 'dumb';
}

/**
 * Turn on Node's compile cache (on disk: V8's code cache and the output of TypeScript type
 * stripping) for the modules loaded after this call and for worker threads started after it.
 * Every run of the CLI compiles the same few hundred modules; with the cache a warm
 * `hindsight validate` at 10,000 documents takes about 0.3 s less. A command calls this, then
 * imports its heavy modules dynamically. Node picks the folder (`NODE_COMPILE_CACHE` or the
 * system's temporary folder) and keeps the cache correct by content; `NODE_DISABLE_COMPILE_CACHE=1`
 * turns it off. Never throws: the cache is an optimisation.
 */
export function useCompileCache(): void {
  try {
    const enable = (nodeModule as Partial<typeof nodeModule>).enableCompileCache;
    const directory = enable?.().directory;
    // Worker threads take it from the environment.
    if (directory && process.env['NODE_COMPILE_CACHE'] === undefined) process.env['NODE_COMPILE_CACHE'] = directory;
  } catch {
    // Not available (older Node) or not writable: run without it.
  }
}

let pipesGuarded = false;

/**
 * `hindsight validate | head` closes stdout early. Like other Unix tools, stop quietly then,
 * instead of dying on an unhandled EPIPE error with a stack trace.
 */
function quietOnClosedPipe(): void {
  if (pipesGuarded) return;
  pipesGuarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok);
      process.exitCode = EXIT.internal;
    });
  }
}

/**
 * Run a command body and set `process.exitCode` from its result. A `UsageError` prints one line
 * and exits 2; anything else prints one line saying it is an internal error and exits 3. Never a
 * stack trace, unless `HINDSIGHT_DEBUG=1`.
 */
export async function runSafely(command: string, body: () => Promise<ExitCode> | ExitCode): Promise<void> {
  quietOnClosedPipe();
  try {
    process.exitCode = await body();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`hindsight ${command}: ${error.message}\nRun "hindsight ${command} --help" for usage.\n`);
      process.exitCode = EXIT.usage;
      return;
    }
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    process.stderr.write(
      `hindsight ${command}: internal error: ${message}\n` +
        'This is a bug in Hindsight, not in your content. Run again with HINDSIGHT_DEBUG=1 for details, and please report it.\n',
    );
    if (process.env['HINDSIGHT_DEBUG'] === '1' && error instanceof Error && error.stack)
      process.stderr.write(`${error.stack}\n`);
    process.exitCode = EXIT.internal;
  }
}
