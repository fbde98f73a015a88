/**
 * `hindsight report`: what needs attention in a knowledge base, for a weekly review or a
 * manager's dashboard. Open and overdue action items by owner, playbooks nobody has reviewed
 * lately, and incidents per category, severity and quarter.
 *
 * Pure: a loaded knowledge base, "now" and the staleness threshold in; plain data out (the JSON
 * output is this object as is). Rendering as text is `formatReportText`.
 */
import { isoDay, isStale, daysSince, openActionItems } from './actions.ts';
import type { KnowledgeBase } from './model.ts';
import { quarterOf, quarterRange } from './stats.ts';

export interface ReportOptions {
  now: Date;
  staleAfterDays: number;
}

/** One open action item, with where it comes from. */
export interface ReportActionItem {
  title: string;
  owner: string;
  due: string;
  status: string;
  kind: string;
  ticket?: string;
  overdue: boolean;
  daysOverdue: number;
  postmortem: { id: string; title: string; status: string; file: string };
}

export interface OwnerActionItems {
  owner: string;
  open: number;
  overdue: number;
  /** Overdue first (most overdue first), then by due date. */
  items: ReportActionItem[];
}

export interface StalePlaybook {
  id: string;
  title: string;
  status: string;
  file: string;
  lastReviewed: string;
  daysSinceReview: number;
  owners: string[];
}

export interface CategoryCount {
  category: string;
  label: string;
  count: number;
  /** Count per severity id, every severity present (zeros included), most severe first. */
  bySeverity: Record<string, number>;
}

export interface SeverityCount {
  severity: string;
  label: string;
  count: number;
}

export interface QuarterCount {
  quarter: string;
  count: number;
  /** Count per category id; only categories with incidents that quarter. */
  byCategory: Record<string, number>;
}

export interface Report {
  /** The "today" the report was computed for, YYYY-MM-DD (UTC). */
  date: string;
  staleAfterDays: number;
  totals: {
    postmortems: number;
    playbooks: number;
    paths: number;
    openActionItems: number;
    overdueActionItems: number;
    stalePlaybooks: number;
    /** Documents by status, across kinds. */
    byStatus: Record<string, number>;
  };
  /** Owners with open items; most overdue items first, then most open items, then by name. */
  actionItemsByOwner: OwnerActionItems[];
  /** Most stale first. */
  stalePlaybooks: StalePlaybook[];
  /** Every taxonomy category in taxonomy order (zeros included). */
  incidentsByCategory: CategoryCount[];
  /** Every taxonomy severity, most severe first (zeros included). */
  incidentsBySeverity: SeverityCount[];
  /** Every quarter from the first incident's to the last's (empty quarters included). */
  incidentsByQuarter: QuarterCount[];
}

/** Build the report. Counts every postmortem and playbook whatever its status (drafts included). */
export function buildReport(kb: KnowledgeBase, { now, staleAfterDays }: ReportOptions): Report {
  // Action items by owner.
  const open = openActionItems(kb, now);
  const owners = new Map<string, OwnerActionItems>();
  for (const entry of open) {
    const { item, postmortem } = entry;
    let group = owners.get(item.owner);
    if (!group) {
      group = { owner: item.owner, open: 0, overdue: 0, items: [] };
      owners.set(item.owner, group);
    }
    group.open += 1;
    if (entry.overdue) group.overdue += 1;
    group.items.push({
      title: item.title,
      owner: item.owner,
      due: item.due,
      status: item.status,
      kind: item.kind,
      ...(item.ticket ? { ticket: item.ticket } : {}),
      overdue: entry.overdue,
      daysOverdue: entry.daysOverdue,
      postmortem: {
        id: postmortem.id,
        title: postmortem.data.title,
        status: postmortem.data.status,
        file: postmortem.file,
      },
    });
  }
  const actionItemsByOwner = [...owners.values()].sort(
    (a, b) => b.overdue - a.overdue || b.open - a.open || a.owner.localeCompare(b.owner),
  );

  // Stale playbooks.
  const stalePlaybooks = kb.playbooks
    .filter((p) => isStale(p, now, staleAfterDays))
    .map((p) => ({
      id: p.id,
      title: p.data.title,
      status: p.data.status,
      file: p.file,
      lastReviewed: p.data.last_reviewed,
      daysSinceReview: daysSince(p.data.last_reviewed, now),
      owners: [...p.data.owners],
    }))
    .sort((a, b) => b.daysSinceReview - a.daysSinceReview || a.id.localeCompare(b.id));

  // Incidents per category × severity, per severity, per quarter.
  const severities = [...kb.taxonomy.severities].sort((a, b) => a.rank - b.rank);
  const zeroSeverities = () => Object.fromEntries(severities.map((s) => [s.id, 0])) as Record<string, number>;
  const byCategory = new Map<string, CategoryCount>(
    kb.taxonomy.categories.map((c) => [
      c.id,
      { category: c.id, label: c.label, count: 0, bySeverity: zeroSeverities() },
    ]),
  );
  const bySeverity = new Map<string, SeverityCount>(
    severities.map((s) => [s.id, { severity: s.id, label: s.label, count: 0 }]),
  );
  const quarters = new Map<string, QuarterCount>();
  for (const pm of kb.postmortems) {
    const { category, severity, started } = pm.data;
    const cat = byCategory.get(category);
    if (cat) {
      cat.count += 1;
      cat.bySeverity[severity] = (cat.bySeverity[severity] ?? 0) + 1;
    }
    const sev = bySeverity.get(severity);
    if (sev) sev.count += 1;
    const quarter = quarterOf(started);
    const q = quarters.get(quarter) ?? { quarter, count: 0, byCategory: {} };
    q.count += 1;
    q.byCategory[category] = (q.byCategory[category] ?? 0) + 1;
    quarters.set(quarter, q);
  }
  const known = [...quarters.keys()].sort();
  const first = known[0];
  const last = known[known.length - 1];
  const incidentsByQuarter =
    first !== undefined && last !== undefined
      ? quarterRange(first, last).map((quarter) => quarters.get(quarter) ?? { quarter, count: 0, byCategory: {} })
      : [];

  const byStatus: Record<string, number> = {};
  for (const doc of kb.docs) byStatus[doc.data.status] = (byStatus[doc.data.status] ?? 0) + 1;

  return {
    date: isoDay(now),
    staleAfterDays,
    totals: {
      postmortems: kb.postmortems.length,
      playbooks: kb.playbooks.length,
      paths: kb.paths.length,
      openActionItems: open.length,
      overdueActionItems: open.filter((o) => o.overdue).length,
      stalePlaybooks: stalePlaybooks.length,
      byStatus,
    },
    actionItemsByOwner,
    stalePlaybooks,
    incidentsByCategory: [...byCategory.values()],
    incidentsBySeverity: [...bySeverity.values()],
    incidentsByQuarter,
  };
}

// ---------------------------------------------------------------------------------------------
// Text rendering.

/** Styling hooks, so the caller decides about colour (picocolors' `createColors`). */
export interface TextStyle {
  bold: (s: string) => string;
  dim: (s: string) => string;
  red: (s: string) => string;
  yellow: (s: string) => string;
}

const plain: TextStyle = { bold: (s) => s, dim: (s) => s, red: (s) => s, yellow: (s) => s };

/** ANSI colour escapes (ESC [ … m), left out when measuring what a terminal shows. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Characters as a person counts them (grapheme clusters), colour escapes left out. */
function graphemes(s: string): string[] {
  return Array.from(segmenter.segment(s.replace(ANSI, '')), (g) => g.segment);
}

/** Columns padded to their widest cell; numbers (right: true) aligned right. */
export function table(rows: readonly (readonly string[])[], right: readonly boolean[] = []): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, graphemes(cell).length)));
  return rows.map((row) =>
    row
      .map((cell, i) => {
        const pad = ' '.repeat((widths[i] ?? 0) - graphemes(cell).length);
        if (i === row.length - 1 && !right[i]) return cell;
        return right[i] ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd(),
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function truncate(text: string, max: number): string {
  const chars = graphemes(text);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

/** The report as aligned text for a terminal. */
export function formatReportText(report: Report, style: TextStyle = plain): string {
  const out: string[] = [];
  const heading = (text: string) => out.push('', style.bold(text));
  const t = report.totals;
  out.push(
    style.bold(`Hindsight report, ${report.date}`),
    `${plural(t.postmortems, 'postmortem')}, ${plural(t.playbooks, 'playbook')}, ${plural(t.paths, 'path')}` +
      (Object.keys(t.byStatus).length > 0
        ? style.dim(
            ` (${Object.entries(t.byStatus)
              .map(([s, n]) => `${n} ${s}`)
              .join(', ')})`,
          )
        : ''),
  );

  heading(`Open action items by owner: ${t.openActionItems} open, ${t.overdueActionItems} overdue`);
  if (report.actionItemsByOwner.length === 0) out.push(style.dim('  none open'));
  // One table for every owner's items, so the columns line up across the whole section.
  const itemLines = table(
    report.actionItemsByOwner.flatMap((group) =>
      group.items.map((i) => [
        i.overdue ? style.red(`${i.daysOverdue}d overdue`) : i.status,
        `due ${i.due}`,
        i.kind,
        i.postmortem.id,
        truncate(i.title, 70),
      ]),
    ),
  );
  let next = 0;
  for (const group of report.actionItemsByOwner) {
    out.push(
      `  ${style.bold(group.owner)}  ${plural(group.open, 'open item')}${group.overdue > 0 ? `, ${style.red(`${group.overdue} overdue`)}` : ''}`,
    );
    for (const line of itemLines.slice(next, next + group.items.length)) out.push(`    ${line}`);
    next += group.items.length;
  }

  heading(`Playbooks not reviewed in ${report.staleAfterDays} days: ${t.stalePlaybooks}`);
  if (report.stalePlaybooks.length === 0) out.push(style.dim('  none'));
  const staleRows = report.stalePlaybooks.map((p) => [
    style.yellow(`${p.daysSinceReview}d`),
    p.lastReviewed,
    p.id,
    truncate(p.owners.join(', '), 40),
  ]);
  for (const line of table(staleRows, [true])) out.push(`  ${line}`);

  heading('Incidents by root-cause category and severity');
  const severities = report.incidentsBySeverity.map((s) => s.severity);
  const header = ['category', ...severities, 'total'];
  const catRows = report.incidentsByCategory.map((c) => [
    c.label,
    ...severities.map((s) => String(c.bySeverity[s] ?? 0)),
    String(c.count),
  ]);
  const totalRow = ['all', ...report.incidentsBySeverity.map((s) => String(s.count)), String(t.postmortems)];
  const right = header.map((_, i) => i > 0);
  const lines = table([header, ...catRows, totalRow], right);
  lines.forEach((line, i) => out.push(`  ${i === 0 || i === lines.length - 1 ? style.dim(line) : line}`));

  if (report.incidentsByQuarter.length > 0) {
    heading('Incidents per quarter');
    const max = Math.max(...report.incidentsByQuarter.map((q) => q.count));
    const rows = report.incidentsByQuarter.map((q) => [
      q.quarter,
      String(q.count),
      '▇'.repeat(max > 0 ? Math.round((q.count / max) * 30) : 0),
    ]);
    for (const line of table(rows, [false, true])) out.push(`  ${line}`);
  }
  return `${out.join('\n')}\n`;
}
