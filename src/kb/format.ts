/**
 * Diagnostics for people, machines and CI:
 * - `formatText`: `file:line:column  error  message  code`, then field / expected / found /
 *   hint lines and a code frame, then a summary ("2 errors, 1 warning in 14 files");
 * - `formatJson`: a stable JSON document (`{ summary, diagnostics }`);
 * - `formatGithub`: GitHub Actions workflow commands (`::error file=…,line=…::message`), which
 *   GitHub shows as annotations on the pull request's diff.
 * Pure: the caller supplies file contents for code frames.
 */
import { codeFrameColumns } from '@babel/code-frame';
import pc from 'picocolors';
import type { Diagnostic } from './diagnostics.ts';

export interface Summary {
  errors: number;
  warnings: number;
  /** How many of the warnings are date reminders (overdue action items, reviews due). */
  reminders: number;
  /** Files with at least one diagnostic. */
  filesWithProblems: number;
  /** Files checked. */
  filesChecked: number;
}

export function summarize(diagnostics: readonly Diagnostic[], filesChecked: number): Summary {
  let errors = 0;
  let warnings = 0;
  let reminders = 0;
  const files = new Set<string>();
  for (const d of diagnostics) {
    if (d.severity === 'error') errors += 1;
    else warnings += 1;
    if (d.reminder) reminders += 1;
    files.add(d.file);
  }
  return { errors, warnings, reminders, filesWithProblems: files.size, filesChecked };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * "2 errors, 1 warning in 14 files" / "No problems in 14 files"; when some warnings are date
 * reminders: "0 errors, 11 warnings in 52 files (11 are date reminders)".
 */
export function summaryLine(summary: Summary): string {
  const files = plural(summary.filesChecked, 'file');
  if (summary.errors === 0 && summary.warnings === 0) return `No problems in ${files}`;
  const line = `${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')} in ${files}`;
  if (summary.reminders === 0) return line;
  return `${line} (${summary.reminders === summary.warnings && summary.reminders > 1 ? 'all' : summary.reminders} ${
    summary.reminders === 1 ? 'is a date reminder' : 'are date reminders'
  })`;
}

export interface TextOptions {
  /** Use ANSI colours. */
  color: boolean;
  /** The text of a file (root-relative path), for code frames; undefined to skip the frame. */
  source?: (file: string) => string | undefined;
  /** Files checked, for the summary line; default: files with diagnostics. */
  filesChecked?: number;
}

/** A code frame around `line`. Long lines are cut and only nearby lines are kept, so it stays cheap. */
function frame(source: string, line: number, column: number): string | undefined {
  const lines = source.split(/\r\n?|\n/);
  if (line < 1 || line > lines.length) return undefined;
  const from = Math.max(1, line - 2);
  const window = lines.slice(from - 1, line + 2).map((l) => (l.length > 160 ? `${l.slice(0, 159)}…` : l));
  // Blank lines before the window keep the frame's line numbers equal to the file's.
  return codeFrameColumns(
    '\n'.repeat(from - 1) + window.join('\n'),
    { start: { line, column } },
    {
      // Never highlighted: code-frame highlights as JavaScript, which YAML and Markdown are not.
      highlightCode: false,
      forceColor: false,
      linesAbove: 2,
      linesBelow: 2,
    },
  );
}

/** Human-readable report: one block per diagnostic, then the summary line. */
export function formatText(diagnostics: readonly Diagnostic[], options: TextOptions): string {
  const c = pc.createColors(options.color);
  const blocks: string[] = [];
  for (const d of diagnostics) {
    const severity = d.severity === 'error' ? c.red(c.bold('error')) : c.yellow(c.bold('warning'));
    const lines = [`${c.bold(`${d.file}:${d.line}:${d.column}`)}  ${severity}  ${d.message}  ${c.dim(d.code)}`];
    if (d.field) lines.push(`  ${c.dim('field:')}    ${d.field}`);
    if (d.expected) lines.push(`  ${c.dim('expected:')} ${d.expected}`);
    if (d.found) lines.push(`  ${c.dim('found:')}    ${d.found}`);
    if (d.hint) lines.push(`  ${c.dim('hint:')}     ${c.cyan(d.hint)}`);
    for (const r of d.related ?? [])
      lines.push(`  ${c.dim('see:')}      ${r.file}:${r.line}:${r.column} ${c.dim(r.message)}`);
    // No frame for a likely secret: the frame would print it into build and CI logs in full.
    const source = d.code === 'sensitive-data' ? undefined : options.source?.(d.file);
    if (source !== undefined) {
      const shown = frame(source, d.line, d.column);
      if (shown) lines.push('', shown.replace(/^/gm, '  '));
    }
    blocks.push(lines.join('\n'));
  }
  const summary = summarize(diagnostics, options.filesChecked ?? new Set(diagnostics.map((d) => d.file)).size);
  const line = summaryLine(summary);
  const coloured =
    summary.errors > 0 ? c.red(c.bold(line)) : summary.warnings > 0 ? c.yellow(c.bold(line)) : c.green(line);
  return [...blocks, coloured].join('\n\n') + '\n';
}

/** Machine-readable report. Stable shape: `{ summary, diagnostics }`. */
export function formatJson(diagnostics: readonly Diagnostic[], filesChecked: number): string {
  return `${JSON.stringify({ summary: summarize(diagnostics, filesChecked), diagnostics }, null, 2)}\n`;
}

/** Escape the message part of a workflow command. */
function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escape a property value of a workflow command (also `:` and `,`). */
function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * GitHub Actions annotations, one per diagnostic:
 * `::error file=content/x.md,line=3,col=5,title=hindsight unique-id::message`.
 */
export function formatGithub(diagnostics: readonly Diagnostic[], filesChecked: number): string {
  const lines = diagnostics.map((d) => {
    const details = [
      d.message,
      d.expected && `expected: ${d.expected}`,
      d.found && `found: ${d.found}`,
      d.hint && `hint: ${d.hint}`,
    ]
      .filter(Boolean)
      .join('\n');
    const props = [
      `file=${escapeProperty(d.file)}`,
      `line=${d.line}`,
      `col=${d.column}`,
      `title=${escapeProperty(`hindsight ${d.code}${d.field ? ` (${d.field})` : ''}`)}`,
    ];
    // Date reminders are notices: they belong on the dashboard, not in a pull request's review.
    const level = d.reminder ? 'notice' : d.severity;
    return `::${level} ${props.join(',')}::${escapeData(details)}`;
  });
  lines.push(summaryLine(summarize(diagnostics, filesChecked)));
  return `${lines.join('\n')}\n`;
}
