/**
 * Timelines: entries from a table (`| Time (UTC) | Event |`), a list (`- 14:05 — alert fired`) or
 * plain lines (`14:05 Alert fired`), with day headings (`**2024-03-02**`, `### March 3`) carrying
 * the date to the entries below them. From the entries, the incident's milestones: when impact
 * began, when a human knew, when impact stopped, when it was closed.
 */
import type { List, Root, RootContent, Table } from 'mdast';
import {
  addDays,
  type Day,
  epoch,
  findDate,
  findDayWithoutYear,
  findStamp,
  formatStamp,
  type Stamp,
  wallMinutes,
  zoneOffset,
} from './datetime.ts';
import { plainText, span } from './markdown.ts';

/** One dated line of the timeline. */
export interface TimelineEntry {
  stamp: Stamp;
  /** ISO 8601 with the offset as written. */
  at: string;
  /** The entry's text without its timestamp. */
  text: string;
  line: number;
  /** The entry came after midnight of its context day and was moved to the next day. */
  rolledOver: boolean;
}

export interface Timeline {
  entries: TimelineEntry[];
  /** A zone declared for the whole timeline (`all times UTC`, `Time (PT)`), as written. */
  declaredZone?: string;
}

/** `(all times UTC)`, `All times are PT`, `Times in CET`, `Time (UTC)`. */
const ZONE_DECLARATIONS = [
  /\ball times?\s+(?:are\s+|shown\s+|listed\s+|given\s+)?(?:in\s+)?\(?([A-Za-z]{1,5}(?:[+-]\d{1,2}(?::?\d{2})?)?)\b/i,
  /\btimes?\s+(?:are\s+|shown\s+|listed\s+|given\s+)?in\s+([A-Za-z]{1,5}(?:[+-]\d{1,2}(?::?\d{2})?)?)\b/i,
  /\b(?:time|timestamp|when)s?\s*\(\s*([A-Za-z]{1,5}(?:[+-]\d{1,2}(?::?\d{2})?)?)\s*\)/i,
];

/** A zone declared in `text`, checked against chrono's list of zone names. */
export function declaredZone(text: string, day: Day): string | undefined {
  for (const pattern of ZONE_DECLARATIONS) {
    const zone = pattern.exec(text)?.[1];
    if (zone !== undefined && zoneOffset(zone.toUpperCase(), day) !== undefined) return zone.toUpperCase();
  }
  return undefined;
}

/** Strip the separator between a timestamp and its text: `14:05 — alert` → `alert`. */
function rest(text: string): string {
  return text
    .replace(/^[\s)\]*_]*(?:[-–—:|>]+\s*)?/, '')
    .replace(/^\((?:[A-Za-z]{1,5})\)\s*[-–—:|]?\s*/, '')
    .trim();
}

interface Context {
  day: Day | undefined;
  zone: string | undefined;
  /** The zone last written on an entry, carried to later entries that have none. */
  carried: string | undefined;
  now: Date;
  previous: Stamp | undefined;
}

function entryFrom(text: string, line: number, context: Context, maxIndex: number): TimelineEntry | undefined {
  const stamp = findStamp(text, {
    ...(context.day ? { day: context.day } : {}),
    ...(context.zone ? { zone: context.zone } : {}),
    ...(context.carried ? { carriedZone: context.carried } : {}),
    now: context.now,
    maxIndex,
  });
  if (!stamp) {
    // A day on its own line (`**March 3**`, `2024-03-03 (all times UTC)`) moves the context.
    const mark = findDate(text, context.now, maxIndex) ?? findDayWithoutYear(text, context.day, context.now, maxIndex);
    if (mark) {
      context.day = mark.day;
      context.previous = undefined;
    }
    return undefined;
  }
  let rolledOver = false;
  const previous = context.previous;
  if (stamp.dayFromContext && previous && wallMinutes(stamp) + 6 * 60 < wallMinutes(previous)) {
    // 23:50 followed by 00:10: the timeline crossed midnight.
    stamp.day = addDays(stamp.day, 1);
    rolledOver = true;
  }
  if (!stamp.dayFromContext || rolledOver) context.day = stamp.day;
  if (stamp.zone === 'written' && stamp.zoneName !== undefined) context.carried = stamp.zoneName;
  context.previous = stamp;
  return { stamp, at: formatStamp(stamp), text: rest(text.slice(stamp.end)), line, rolledOver };
}

function tableEntries(table: Table, context: Context, out: TimelineEntry[]): void {
  const [header, ...rows] = table.children;
  if (!header) return;
  const headers = header.children.map((cell) => plainText(cell));
  let timeColumn = headers.findIndex((h) => /\b(?:time|date|when|timestamp|utc)\b/i.test(h));
  if (timeColumn === -1) timeColumn = 0;
  const headerZone = declaredZone(headers[timeColumn] ?? '', context.day ?? { year: 2000, month: 1, day: 1 });
  if (headerZone && !context.zone) context.zone = headerZone;
  for (const row of rows) {
    const cells = row.children.map((cell) => plainText(cell));
    const timeText = cells[timeColumn] ?? '';
    const description = cells.filter((_, i) => i !== timeColumn && cells[i] !== '').join(' — ');
    const entry = entryFrom(timeText, row.position?.start.line ?? 1, context, 3);
    if (entry) out.push({ ...entry, text: [entry.text, description].filter((t) => t !== '').join(' — ') });
  }
}

function listEntries(list: List, source: string, context: Context, out: TimelineEntry[]): void {
  for (const item of list.children) {
    const [first, ...others] = item.children;
    if (!first) continue;
    const text = plainText(first);
    const entry = entryFrom(text, item.position?.start.line ?? 1, context, 4);
    if (entry) out.push(entry);
    for (const child of others) visit(child, source, context, out);
  }
}

function linesEntries(text: string, firstLine: number, context: Context, out: TimelineEntry[]): void {
  text.split('\n').forEach((line, i) => {
    const entry = entryFrom(line, firstLine + i, context, 4);
    if (entry) out.push(entry);
  });
}

function visit(node: RootContent, source: string, context: Context, out: TimelineEntry[]): void {
  if (node.type === 'table') tableEntries(node, context, out);
  else if (node.type === 'list') listEntries(node, source, context, out);
  else if (node.type === 'paragraph') {
    // Plain text keeps the soft line breaks, one entry per line.
    linesEntries(plainLines(node, source), node.position?.start.line ?? 1, context, out);
  } else if (node.type === 'heading') {
    linesEntries(plainText(node), node.position?.start.line ?? 1, context, out);
  }
}

/** A paragraph's source lines with inline markup removed, one line per source line. */
function plainLines(node: RootContent, source: string): string {
  const { start, end } = span(node);
  return source
    .slice(start, end)
    .split('\n')
    .map((line) =>
      line
        .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
        .replace(/(\*\*|__|`)/g, '')
        .replace(/\\$|<br\s*\/?>$/i, '')
        .trim(),
    )
    .join('\n');
}

/**
 * Read the entries of a timeline section.
 *
 * @param nodes the section's nodes (after its heading)
 * @param day the document's date, used until a day heading or a dated entry says otherwise
 * @param heading the section's heading text, which may declare the zone: "Timeline (all times UTC)"
 */
export function readTimeline(
  nodes: readonly RootContent[],
  source: string,
  day: Day | undefined,
  now: Date,
  heading = '',
): Timeline {
  const context: Context = { day, zone: undefined, carried: undefined, now, previous: undefined };
  const intro = [
    heading,
    ...nodes
      .filter((node) => node.type === 'paragraph' || node.type === 'heading')
      .map((node) => source.slice(span(node).start, span(node).end)),
  ].join('\n');
  context.zone = declaredZone(intro, day ?? { year: 2000, month: 1, day: 1 });
  const entries: TimelineEntry[] = [];
  for (const node of nodes) visit(node, source, context, entries);
  return { entries, ...(context.zone ? { declaredZone: context.zone } : {}) };
}

/** Read entries from the whole document when there is no timeline section (lines that start with a time). */
export function readLooseTimeline(root: Root, source: string, day: Day | undefined, now: Date): Timeline {
  return readTimeline(root.children, source, day, now);
}

/** The four milestones of an incident, each with the entry it came from and why. */
export interface Milestones {
  started?: Milestone;
  detected?: Milestone;
  mitigated?: Milestone;
  resolved?: Milestone;
}

export interface Milestone {
  entry: TimelineEntry;
  /** Why this entry: the keyword that matched, or "earliest entry". */
  reason: string;
}

export const MILESTONE_PATTERNS = {
  started:
    /\b(?:impact (?:began|begins|started|starts)|(?:outage|incident|degradation|errors?|failures?|timeouts?|latency) (?:began|begins|start|started|starts|spiked?|rose)|start of (?:the )?(?:impact|incident|outage)|first (?:errors?|failures?|timeouts?|5\d\d|customer)|(?:began|started) (?:failing|returning|erroring|timing out|to fail|to return))/i,
  detected:
    /\b(?:alerts? (?:fired|fires|triggered|went off|was raised)|alerted|paged|pages? (?:sent|went out|fired)|pagerduty|opsgenie|on-?call (?:engineer )?(?:acknowledged|acks?|was paged|notified)|acknowledged|detected|noticed|customer (?:reports?|tickets?|complaints?)|support (?:ticket|escalat\w*)|(?:incident|sev ?\d) (?:declared|opened|raised)|declared (?:an |the )?(?:incident|sev ?\d))/i,
  mitigated:
    /\b(?:mitigat(?:ed|ion (?:applied|complete|in place))|rolled back|roll-?back (?:complete|completed|finished|done)|reverted|revert (?:deployed|complete)|failed over|failover (?:complete|completed|done)|restored|recovered|recovering|back to normal|returned to normal|error rates? (?:dropped|recovered|returned|back)|impact ended|service (?:restored|recovered)|traffic (?:drained|shifted)|workaround (?:applied|deployed)|(?:hot)?fix (?:deployed|applied|shipped)|deployed (?:a |the )?(?:hot)?fix|backlog (?:is )?draining|(?:limit|quota|capacity) (?:raised|increased))/i,
  resolved:
    /\b(?:resolved|all[- ]clear|incident closed|closed (?:the )?incident|fully (?:recovered|restored)|permanent fix (?:deployed|shipped)|stood down|standing down|monitoring (?:complete|ended)|incident (?:over|ended))/i,
} as const;

function firstMatch(entries: readonly TimelineEntry[], pattern: RegExp, after?: number): Milestone | undefined {
  for (const entry of entries) {
    if (after !== undefined && epoch(entry.stamp) < after) continue;
    const match = pattern.exec(entry.text);
    if (match) return { entry, reason: `"${match[0]}"` };
  }
  return undefined;
}

function lastMatch(entries: readonly TimelineEntry[], pattern: RegExp, after?: number): Milestone | undefined {
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if (!entry) continue;
    if (after !== undefined && epoch(entry.stamp) < after) continue;
    const match = pattern.exec(entry.text);
    if (match) return { entry, reason: `"${match[0]}"` };
  }
  return undefined;
}

/**
 * Pick the milestones from the entries by keyword, in order: impact start (or the earliest entry),
 * first detection, first mitigation after detection, last resolution after mitigation. The result
 * is always ordered: a milestone that would come before the previous one is left out.
 */
export function milestones(entries: readonly TimelineEntry[]): Milestones {
  if (entries.length === 0) return {};
  const sorted = [...entries].sort((a, b) => epoch(a.stamp) - epoch(b.stamp));
  const earliest = sorted[0];
  const result: Milestones = {};
  const started = firstMatch(sorted, MILESTONE_PATTERNS.started);
  const detected = firstMatch(sorted, MILESTONE_PATTERNS.detected);
  if (started) result.started = started;
  if (detected) result.detected = detected;
  if (!result.started || (result.detected && epoch(result.detected.entry.stamp) < epoch(result.started.entry.stamp))) {
    if (earliest) result.started = { entry: earliest, reason: 'earliest timeline entry' };
  }
  const startedAt = result.started ? epoch(result.started.entry.stamp) : undefined;
  if (result.detected && startedAt !== undefined && epoch(result.detected.entry.stamp) < startedAt)
    delete result.detected;
  const afterDetected = result.detected ? epoch(result.detected.entry.stamp) : startedAt;
  const mitigated = firstMatch(sorted, MILESTONE_PATTERNS.mitigated, afterDetected);
  if (mitigated) result.mitigated = mitigated;
  const afterMitigated = result.mitigated ? epoch(result.mitigated.entry.stamp) : afterDetected;
  const resolved = lastMatch(sorted, MILESTONE_PATTERNS.resolved, afterMitigated);
  if (resolved) result.resolved = resolved;
  return result;
}
