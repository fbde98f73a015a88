/**
 * `hindsight report [--root DIR] [--format text|json] [--now DATE] [--stale-days N]`: open and
 * overdue action items by owner, stale playbooks, incidents per category, severity and quarter.
 *
 * Steps: check arguments → load the knowledge base → build the report (`src/kb/report.ts`) →
 * print it. Documents that fail validation are left out of the numbers, and a warning on stderr
 * says how many (run `hindsight validate` for the details).
 * Exit codes: 0 printed, 1 the taxonomy is invalid (no report is possible), 2 usage, 3 internal.
 */
import { defineCommand } from 'citty';
import pc from 'picocolors';
import { TAXONOMY_FILE } from '../../src/schema/index.ts';
import { formatText } from '../../src/kb/format.ts';
import { loadKnowledgeBase } from '../../src/kb/load.ts';
import { buildReport, formatReportText } from '../../src/kb/report.ts';
import { DEFAULT_STALE_AFTER_DAYS } from '../../src/kb/validate.ts';
import {
  checkArgs,
  rejectPositionals,
  EXIT,
  parseFormat,
  parseNow,
  parseStaleDays,
  resolveRoot,
  rootArg,
  runSafely,
  useColor,
  type ExitCode,
} from '../lib/cli.ts';

const FORMATS = ['text', 'json'] as const;

const args = {
  ...rootArg,
  format: { type: 'string', description: 'Output: text | json', valueHint: 'FORMAT', default: 'text' },
  now: {
    type: 'string',
    description: 'Treat this date (YYYY-MM-DD) or timestamp as now, for reproducible reports',
    valueHint: 'DATE',
  },
  'stale-days': {
    type: 'string',
    description: `Playbooks not reviewed for more than this many days are stale (default ${DEFAULT_STALE_AFTER_DAYS})`,
    valueHint: 'N',
  },
} as const;

export default defineCommand({
  meta: {
    name: 'report',
    description:
      'Open and overdue action items by owner, stale playbooks, incidents per category and severity. Exit 0 printed, 1 invalid taxonomy, 2 usage.',
  },
  args,
  async run({ args: parsed, rawArgs }) {
    await runSafely('report', async (): Promise<ExitCode> => {
      checkArgs(rawArgs, args);
      rejectPositionals(parsed._, 'report');
      const format = parseFormat(parsed.format, FORMATS);
      const root = resolveRoot(parsed);
      // `--now 2026-05-01` means the end of that day (UTC), as in `hindsight validate`.
      const now = parseNow(parsed.now, { bareDate: 'end-of-day' });
      const staleAfterDays = parseStaleDays(parsed['stale-days'], DEFAULT_STALE_AFTER_DAYS);

      const load = await loadKnowledgeBase(root);
      const taxonomyErrors = load.diagnostics.filter((d) => d.file === TAXONOMY_FILE && d.severity === 'error');
      if (taxonomyErrors.length > 0) {
        process.stderr.write(formatText(taxonomyErrors, { color: useColor(process.stderr) }));
        process.stderr.write(`hindsight report: ${TAXONOMY_FILE} is invalid, so no report can be made\n`);
        return EXIT.problems;
      }
      if (load.rejected.length > 0) {
        const n = load.rejected.length;
        process.stderr.write(
          `hindsight report: warning: ${n} document${n === 1 ? '' : 's'} failed validation and ${n === 1 ? 'is' : 'are'} left out of this report; run \`npx hindsight validate\`\n`,
        );
      }

      const report = buildReport(load.kb, { now, staleAfterDays });
      if (format === 'json') {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      } else {
        const c = pc.createColors(useColor(process.stdout));
        process.stdout.write(formatReportText(report, { bold: c.bold, dim: c.dim, red: c.red, yellow: c.yellow }));
      }
      return EXIT.ok;
    });
  },
});
