/**
 * `hindsight import <folder>`: existing Markdown postmortems (no frontmatter) → drafts in
 * `content/postmortems/`.
 *
 * Steps: check arguments → resolve the root → load the knowledge base (taxonomy, ids in use) →
 * read every `.md` file under the folder → analyse each (`src/kb/import/`) → give each the next
 * free id of its incident's year → write each with exclusive create (never overwriting; the
 * originals are only read) → validate the new drafts → print, per file, what was inferred and
 * what still needs a human. `--dry-run` does everything but write and validate.
 *
 * Exit codes: 0 every file imported (or skipped with a reason) and every draft valid; 1 a file
 * could not be imported or a draft has validation errors; 2 usage; 3 internal error.
 */
import { existsSync, type Dirent } from 'node:fs';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { defineCommand } from 'citty';
import pc from 'picocolors';
import type { Diagnostic } from '../../src/kb/diagnostics.ts';
import { formatText } from '../../src/kb/format.ts';
import { analyzePostmortem, importProblem, renderDraft, type Analysis, type Note } from '../../src/kb/import/index.ts';
import { createExclusive } from '../../src/kb/import/write.ts';
import { MAX_FILE_BYTES } from '../../src/kb/load.ts';
import { documentFileName, nextPostmortemId, slugify } from '../../src/kb/scaffold.ts';
import { validateKnowledgeBase } from '../../src/kb/validate.ts';
import { KINDS } from '../../src/schema/index.ts';
import {
  checkArgs,
  EXIT,
  parseFormat,
  parseNow,
  resolveRoot,
  rootArg,
  runSafely,
  UsageError,
  useColor,
} from '../lib/cli.ts';

const FORMATS = ['text', 'json'] as const;

const args = {
  folder: {
    type: 'positional',
    required: true,
    description: 'Folder of existing postmortems (Markdown, no frontmatter); read recursively, never changed',
    valueHint: 'FOLDER',
  },
  ...rootArg,
  'dry-run': { type: 'boolean', description: 'Show what would be imported; write nothing' },
  format: { type: 'string', description: 'Output: text | json', valueHint: 'FORMAT', default: 'text' },
  now: {
    type: 'string',
    description: 'Treat this date (YYYY-MM-DD) as today, for placeholder due dates (reproducible runs)',
    valueHint: 'DATE',
  },
} as const;

/** What happened to one original. */
interface FileReport {
  /** The original, relative to the import folder (POSIX). */
  source: string;
  status: 'imported' | 'would-import' | 'skipped' | 'failed';
  /** The draft, relative to the root (POSIX). */
  draft?: string;
  id?: string;
  reason?: string;
  needsHuman: Note[];
  inferred: Note[];
  changes: string[];
  diagnostics: Diagnostic[];
}

const toPosix = (path: string) => path.split(sep).join('/');

/** Markdown files under `folder`, sorted, skipping dot-folders and node_modules; symbolic links are not followed. */
async function findOriginals(folder: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries: Dirent[] = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && entry.name !== 'node_modules') await walk(path);
      } else if (entry.isFile() && /\.(?:md|markdown)$/i.test(entry.name)) {
        found.push(path);
      }
    }
  };
  await walk(folder);
  return found.sort((a, b) => a.localeCompare(b));
}

function resolveFolder(folder: string | undefined, root: string): string {
  if (folder === undefined || folder === '')
    throw new UsageError('name the folder to import, e.g. hindsight import ./old-postmortems');
  const abs = resolve(folder);
  if (!existsSync(abs)) throw new UsageError(`no such folder: ${folder}`);
  const content = resolve(root, 'content');
  if (abs === content || abs.startsWith(content + sep)) {
    throw new UsageError(
      `${folder} is inside the knowledge base's content/ folder; import reads postmortems from outside it`,
    );
  }
  return abs;
}

function printText(reports: readonly FileReport[], options: { dryRun: boolean; color: boolean; root: string }): string {
  const c = options.color
    ? pc
    : { bold: String, dim: String, yellow: String, red: String, green: String, cyan: String };
  const lines: string[] = [];
  for (const report of reports) {
    if (report.status === 'skipped' || report.status === 'failed') {
      const label = report.status === 'skipped' ? c.yellow('skipped') : c.red('failed');
      lines.push(`${c.bold(report.source)}: ${label}: ${report.reason ?? ''}`, '');
      continue;
    }
    lines.push(
      `${c.bold(report.source)} → ${c.cyan(report.draft ?? '')}${options.dryRun ? c.dim(' (dry run: not written)') : ''}`,
    );
    const fields = [...new Set(report.inferred.flatMap((n) => (n.field ? [n.field.split('.')[0] ?? n.field] : [])))];
    if (fields.length > 0) lines.push(`  ${c.green('inferred')}: ${fields.join(', ')}`);
    if (report.changes.length > 0) lines.push(`  ${c.dim(`body: ${report.changes.join('; ')}`)}`);
    if (report.needsHuman.length > 0) {
      lines.push(`  ${c.yellow(`needs a human (${String(report.needsHuman.length)})`)}:`);
      for (const note of report.needsHuman) {
        const where = note.line !== undefined ? c.dim(` [original line ${String(note.line)}]`) : '';
        lines.push(`    - ${note.field ? `${note.field}: ` : ''}${note.message}${where}`);
      }
    }
    const errors = report.diagnostics.filter((d) => d.severity === 'error');
    const warnings = report.diagnostics.filter((d) => d.severity === 'warning');
    if (errors.length > 0) {
      // Should not happen (drafts are built to validate); when it does, show it in full.
      lines.push(`  ${c.red('validation errors')}:`);
      lines.push(
        formatText(errors, { color: options.color })
          .trimEnd()
          .split('\n')
          .map((l) => `    ${l}`)
          .join('\n'),
      );
    } else if (!options.dryRun) {
      const counts = new Map<string, number>();
      for (const w of warnings) counts.set(w.code, (counts.get(w.code) ?? 0) + 1);
      const summary = [...counts].map(([code, n]) => `${code} ×${String(n)}`).join(', ');
      lines.push(
        `  ${c.green('valid as a draft')}${warnings.length > 0 ? c.dim(` (warnings: ${summary}; see hindsight validate ${report.draft ?? ''})`) : ''}`,
      );
    }
    lines.push('');
  }
  const count = (status: FileReport['status']) => reports.filter((r) => r.status === status).length;
  const done = options.dryRun ? count('would-import') : count('imported');
  const verb = options.dryRun ? 'would import' : 'imported';
  lines.push(
    `${String(done)} ${verb}, ${String(count('skipped'))} skipped, ${String(count('failed'))} failed` +
      (done > 0
        ? `; drafts in ${toPosix(relative(process.cwd(), join(options.root, 'content', KINDS.postmortem))) || '.'}/ carry "# TODO(import)" comments where a person must look`
        : ''),
  );
  return `${lines.join('\n')}\n`;
}

export default defineCommand({
  meta: {
    name: 'import',
    description:
      'Turn existing Markdown postmortems (no frontmatter) into drafts in content/postmortems/, inferring what the text supports. Never overwrites; originals are only read.',
  },
  args,
  async run({ args: parsed, rawArgs }) {
    await runSafely('import', async () => {
      checkArgs(rawArgs, args);
      const root = resolveRoot(parsed);
      const format = parseFormat(parsed.format, FORMATS);
      const now = parseNow(parsed.now, { bareDate: 'noon', dateOnly: true });
      const dryRun = parsed['dry-run'] === true;
      const folder = resolveFolder(parsed._[0] ?? parsed.folder, root);
      const folderStat = await stat(folder);
      if (!folderStat.isDirectory())
        throw new UsageError(`${parsed.folder} is a file; name the folder that holds the postmortems`);

      // The knowledge base as it is: its taxonomy, and every id and postmortem file name in use.
      const before = await validateKnowledgeBase(root, { now });
      if (before.diagnostics.some((d) => d.file === 'content/taxonomy.yaml' && d.severity === 'error')) {
        throw new UsageError(
          'content/taxonomy.yaml has errors; run "hindsight validate" and fix it first (imports are classified with it)',
        );
      }
      const taxonomy = before.kb.taxonomy;
      const postmortemDir = join(root, 'content', KINDS.postmortem);
      const taken = new Set<string>(before.kb.docs.map((d) => d.id));
      if (existsSync(postmortemDir)) {
        for (const name of await readdir(postmortemDir)) {
          const id = /^(INC-\d{4}-\d+)/.exec(name)?.[1];
          if (id) taken.add(id);
        }
      }

      // Read and analyse every original.
      const originals = await findOriginals(folder);
      const reports: FileReport[] = [];
      const planned: { report: FileReport; analysis: Analysis; fileName: string }[] = [];
      for (const path of originals) {
        const source = toPosix(relative(folder, path));
        const report: FileReport = {
          source,
          status: 'failed',
          needsHuman: [],
          inferred: [],
          changes: [],
          diagnostics: [],
        };
        reports.push(report);
        const size = (await stat(path)).size;
        if (size > MAX_FILE_BYTES) {
          report.reason = `it is ${String(Math.round(size / 1024))} KiB; the limit is ${String(MAX_FILE_BYTES / 1024)} KiB`;
          continue;
        }
        const text = await readFile(path, 'utf8');
        const problem = importProblem(text);
        if (problem) {
          report.status = 'skipped';
          report.reason = problem;
          continue;
        }
        const analysis = analyzePostmortem(text, { fileName: source, taxonomy, now });
        const id = nextPostmortemId(taken, analysis.year);
        taken.add(id);
        const slug = slugify(analysis.data.title, 50) || 'imported';
        const fileName = documentFileName('postmortem', id, slug);
        Object.assign(report, { id, draft: `content/${KINDS.postmortem}/${fileName}` });
        planned.push({ report, analysis, fileName });
      }

      // Render (links between originals of this import point at their drafts) and write.
      const batch = new Map(planned.map((p) => [p.report.source, p.fileName]));
      const knownIds = new Set([...taken]);
      if (!dryRun && planned.length > 0) await mkdir(postmortemDir, { recursive: true });
      const written: string[] = [];
      for (const plan of planned) {
        let { fileName } = plan;
        let id = plan.report.id ?? '';
        let rendered = renderDraft(plan.analysis, { id, originalPath: plan.report.source, batch, knownIds });
        if (!dryRun) {
          // A name taken since the ids were chosen (another import running): take the next id.
          for (let attempt = 0; !(await createExclusive(postmortemDir, fileName, rendered.text)); attempt++) {
            if (attempt >= 100) throw new Error(`could not find a free file name for ${plan.report.source}`);
            taken.add(id);
            id = nextPostmortemId(taken, plan.analysis.year);
            fileName = documentFileName('postmortem', id, slugify(plan.analysis.data.title, 50) || 'imported');
            rendered = renderDraft(plan.analysis, { id, originalPath: plan.report.source, batch, knownIds });
          }
          written.push(`content/${KINDS.postmortem}/${fileName}`);
        }
        Object.assign(plan.report, {
          id,
          draft: `content/${KINDS.postmortem}/${fileName}`,
          status: dryRun ? 'would-import' : 'imported',
          needsHuman: rendered.needsHuman,
          inferred: plan.analysis.inferred,
          changes: rendered.changes,
        });
      }

      // Every draft must validate (as a draft); report anything the validator says about them.
      if (written.length > 0) {
        const after = await validateKnowledgeBase(root, { files: written, now });
        for (const report of reports) {
          report.diagnostics = after.diagnostics.filter((d) => d.file === report.draft);
        }
      }

      if (format === 'json') {
        process.stdout.write(`${JSON.stringify({ root, folder, dryRun, files: reports }, null, 2)}\n`);
      } else {
        process.stdout.write(printText(reports, { dryRun, color: useColor(process.stdout), root }));
      }
      const failed = reports.some((r) => r.status === 'failed' || r.diagnostics.some((d) => d.severity === 'error'));
      return failed ? EXIT.problems : EXIT.ok;
    });
  },
});
