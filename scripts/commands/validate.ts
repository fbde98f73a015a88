/**
 * `hindsight validate [files…]`: schema and rules over the whole knowledge base.
 *
 * Steps: check arguments → resolve the root → load and validate (`src/kb/validate.ts`) → print
 * (text, JSON or GitHub annotations) → exit 0 (clean), 1 (errors; warnings too with --strict,
 * date reminders too with --fail-on-reminders),
 * 2 (usage), 3 (internal error). Files given on the command line restrict what is reported;
 * references still resolve against the whole knowledge base.
 *
 * The validator and the formatters are imported when the command runs, after Node's compile
 * cache is on (`useCompileCache`), so they load from the cache on every run but the first.
 */
import { existsSync, statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { defineCommand } from 'citty';
import { DEFAULT_STALE_AFTER_DAYS } from '../../src/kb/rules/types.ts';
import {
  checkArgs,
  EXIT,
  parseFormat,
  parseNow,
  parseStaleDays,
  resolveRoot,
  rootArg,
  runSafely,
  UsageError,
  useColor,
  useCompileCache,
} from '../lib/cli.ts';

const FORMATS = ['text', 'json', 'github'] as const;

const args = {
  files: {
    type: 'positional',
    required: false,
    description:
      'Only report problems in these files or folders (the whole knowledge base is still checked for references)',
    valueHint: 'FILES…',
  },
  ...rootArg,
  format: {
    type: 'string',
    description: 'Output: text | json | github (workflow annotations)',
    valueHint: 'FORMAT',
    default: 'text',
  },
  strict: {
    type: 'boolean',
    description: 'Exit 1 on warnings too (except date reminders: overdue action items, reviews due)',
  },
  'fail-on-reminders': {
    type: 'boolean',
    description: 'Exit 1 on date reminders too (for a scheduled job, not for pull requests)',
  },
  'stale-days': {
    type: 'string',
    description: `Warn about playbooks not reviewed for this many days (default ${DEFAULT_STALE_AFTER_DAYS})`,
    valueHint: 'N',
  },
  now: {
    type: 'string',
    description: 'Treat this date (YYYY-MM-DD) or timestamp as now, for reproducible runs',
    valueHint: 'DATE',
  },
} as const;

/** Command-line paths (relative to the current folder, or to the root) → root-relative paths. */
function resolveFiles(root: string, files: readonly string[]): string[] {
  return files.map((file) => {
    const candidates = [resolve(file), resolve(root, file)];
    const found = candidates.find((c) => existsSync(c));
    if (!found) throw new UsageError(`no such file: ${file}`);
    const rel = relative(root, found);
    if (rel.startsWith('..') || resolve(root, rel) !== found)
      throw new UsageError(`${file} is not inside the knowledge base at ${root}`);
    const posixRel = rel.split(sep).join('/');
    if (posixRel !== 'content' && !posixRel.startsWith('content/')) {
      throw new UsageError(`${file} is not in the content/ folder of ${root}`);
    }
    return statSync(found).isDirectory() ? posixRel.replace(/\/$/, '') : posixRel;
  });
}

export default defineCommand({
  meta: {
    name: 'validate',
    description:
      'Check every document against its schema and the rules. Exit 0 clean, 1 problems, 2 usage, 3 internal error.',
  },
  args,
  async run({ args: parsed, rawArgs }) {
    await runSafely('validate', async () => {
      checkArgs(rawArgs, args);
      const root = resolveRoot(parsed);
      const format = parseFormat(parsed.format, FORMATS);
      const staleAfterDays = parseStaleDays(parsed['stale-days'], DEFAULT_STALE_AFTER_DAYS);
      // `--now 2026-05-01` means the end of that day (UTC); a full timestamp is taken as is.
      const now = parseNow(parsed.now, { bareDate: 'end-of-day' });
      const files = parsed._.length > 0 ? resolveFiles(root, parsed._) : undefined;

      useCompileCache();
      const [{ validateKnowledgeBase }, { formatGithub, formatJson, formatText, summarize }, { readContentForFrame }] =
        await Promise.all([
          import('../../src/kb/validate.ts'),
          import('../../src/kb/format.ts'),
          import('../../src/kb/frame-source.ts'),
        ]);

      // Progress only where a person is watching, and only once it has taken a while.
      const started = Date.now();
      const onProgress = process.stderr.isTTY
        ? (done: number, total: number) => {
            if (Date.now() - started > 1000 && done < total) {
              process.stderr.write(
                `hindsight validate: ${done.toLocaleString('en')} of ${total.toLocaleString('en')} documents parsed…\r`,
              );
            }
          }
        : undefined;
      const result = await validateKnowledgeBase(root, {
        ...(files ? { files } : {}),
        now,
        staleAfterDays,
        ...(onProgress ? { onProgress } : {}),
      });
      if (onProgress) process.stderr.write('\x1b[2K\r');

      const checked = files
        ? result.files.filter((f) => files.some((w) => f === w || f.startsWith(`${w}/`))).length
        : result.files.length + 1;
      let output: string;
      if (format === 'json') output = formatJson(result.diagnostics, checked);
      else if (format === 'github') output = formatGithub(result.diagnostics, checked);
      else {
        const cache = new Map<string, string | undefined>();
        output = formatText(result.diagnostics, {
          color: useColor(process.stdout),
          filesChecked: checked,
          source: (file) => {
            if (!cache.has(file)) {
              cache.set(file, readContentForFrame(root, file));
            }
            return cache.get(file);
          },
        });
      }
      process.stdout.write(output);

      const summary = summarize(result.diagnostics, checked);
      if (summary.errors > 0) return EXIT.problems;
      if (parsed.strict && summary.warnings - summary.reminders > 0) return EXIT.problems;
      if (parsed['fail-on-reminders'] && summary.reminders > 0) return EXIT.problems;
      return EXIT.ok;
    });
  },
});
