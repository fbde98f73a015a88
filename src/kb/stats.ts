/**
 * Numbers about the knowledge base, computed once per build for the home, taxonomy and insights
 * pages: groupings by category, severity, service, tag and year; incidents per quarter; the
 * share of software bugs; time to detect, mitigate and resolve by severity and over time;
 * detection by monitoring versus people; action-item completion.
 *
 * Pure, no Astro import, linear in postmortems and action items (plus sorting).
 */
import { median, quantileSorted } from 'd3-array';
import type { KnowledgeBase, PostmortemDoc } from './model.ts';
import { byStartedDesc } from './graph.ts';
import { isOpen, isOverdue } from './actions.ts';

const MINUTE_MS = 60_000;

/** Minutes from `started` to each milestone; absent when the milestone is not recorded. */
export interface Durations {
  detect?: number;
  mitigate?: number;
  resolve?: number;
}

function minutesBetween(from: string, to: string | undefined): number | undefined {
  if (to === undefined) return undefined;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms >= 0 ? Math.round(ms / MINUTE_MS) : undefined;
}

/** Durations per document: list pages ask for the same incident's many times over. */
const durationsOf = new WeakMap<PostmortemDoc, Readonly<Durations>>();

/**
 * Time to detect, mitigate and resolve, in minutes from the start of impact. Computed once per
 * document (documents are not changed once loaded); the result is shared, so it is read-only.
 */
export function incidentDurations(pm: PostmortemDoc): Readonly<Durations> {
  let result = durationsOf.get(pm);
  if (result === undefined) {
    result = computeDurations(pm);
    durationsOf.set(pm, result);
  }
  return result;
}

function computeDurations(pm: PostmortemDoc): Durations {
  const { started, detected, mitigated, resolved } = pm.data;
  const result: Durations = {};
  const detect = minutesBetween(started, detected);
  const mitigate = minutesBetween(started, mitigated);
  const resolve = minutesBetween(started, resolved);
  if (detect !== undefined) result.detect = detect;
  if (mitigate !== undefined) result.mitigate = mitigate;
  if (resolve !== undefined) result.resolve = resolve;
  return result;
}

/** `YYYY-Qn` of an ISO timestamp, in UTC, e.g. `2026-Q1`. */
export function quarterOf(iso: string): string {
  const date = new Date(iso);
  return `${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
}

/** Every quarter from `first` to `last` inclusive, so charts show empty quarters as zero. */
export function quarterRange(first: string, last: string): string[] {
  const parse = (q: string) => {
    const [year, quarter] = q.split('-Q');
    return Number(year) * 4 + Number(quarter) - 1;
  };
  const out: string[] = [];
  for (let i = parse(first); i <= parse(last); i++) out.push(`${Math.floor(i / 4)}-Q${(i % 4) + 1}`);
  return out;
}

/** Median and 90th percentile of a list of minutes. */
export interface Summary {
  count: number;
  median?: number;
  p90?: number;
}

function summarize(values: number[]): Summary {
  if (values.length === 0) return { count: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, median: quantileSorted(sorted, 0.5) ?? 0, p90: quantileSorted(sorted, 0.9) ?? 0 };
}

export interface SeverityDurations {
  severity: string;
  incidents: number;
  detect: Summary;
  mitigate: Summary;
  resolve: Summary;
}

export interface QuarterCounts {
  quarter: string;
  /** Incidents per category id (every taxonomy category present, zero when none). */
  byCategory: Record<string, number>;
  total: number;
  /** Incidents whose category is `software-bug`. */
  bugs: number;
  /** Incidents first noticed by our own monitoring. */
  monitoring: number;
  /** Median minutes to detect and to resolve, among incidents that record them. */
  detectMedian?: number;
  resolveMedian?: number;
}

export interface ActionItemStats {
  total: number;
  byStatus: Record<'open' | 'in-progress' | 'done' | 'wont-do', number>;
  byKind: Record<'prevent' | 'detect' | 'mitigate' | 'process', number>;
  open: number;
  overdue: number;
  /** done / (total - wont-do), 0..1; undefined when there is nothing to complete. */
  completionRate?: number;
}

export interface KnowledgeStats {
  postmortems: number;
  playbooks: number;
  paths: number;
  /** Postmortems grouped by taxonomy value, newest first within each group. */
  byCategory: Map<string, PostmortemDoc[]>;
  bySeverity: Map<string, PostmortemDoc[]>;
  byService: Map<string, PostmortemDoc[]>;
  byTag: Map<string, PostmortemDoc[]>;
  byYear: Map<string, PostmortemDoc[]>;
  byDetection: Map<string, PostmortemDoc[]>;
  /** Continuous quarters from the first incident to the last. */
  quarters: QuarterCounts[];
  /** Software bugs versus everything else, over all incidents. */
  bugShare: { bugs: number; other: number };
  /** Monitoring-detected versus reported by people or vendors, over all incidents. */
  detection: { monitoring: number; other: number };
  durationsBySeverity: SeverityDurations[];
  actionItems: ActionItemStats;
}

/** The category id the bug-share chart counts as "software bug". */
export const SOFTWARE_BUG = 'software-bug';

function group(
  postmortems: readonly PostmortemDoc[],
  keys: (pm: PostmortemDoc) => readonly string[],
): Map<string, PostmortemDoc[]> {
  const map = new Map<string, PostmortemDoc[]>();
  for (const pm of postmortems) {
    for (const key of new Set(keys(pm))) {
      const list = map.get(key);
      if (list) list.push(pm);
      else map.set(key, [pm]);
    }
  }
  return map;
}

/** Compute every statistic once. `now` decides which open action items are overdue. */
export function computeStats(kb: KnowledgeBase, now: Date): KnowledgeStats {
  const postmortems = [...kb.postmortems].sort(byStartedDesc);
  const monitoringSources = new Set(kb.taxonomy.detection_sources.filter((d) => d.monitoring).map((d) => d.id));
  const categoryIds = kb.taxonomy.categories.map((c) => c.id);

  const durations = new Map(postmortems.map((pm) => [pm, incidentDurations(pm)]));

  // Quarters, oldest first, with empty quarters filled in.
  const quarters: QuarterCounts[] = [];
  if (postmortems.length > 0) {
    const newest = postmortems[0] as PostmortemDoc;
    const oldest = postmortems[postmortems.length - 1] as PostmortemDoc;
    const index = new Map<string, { counts: QuarterCounts; detect: number[]; resolve: number[] }>();
    for (const quarter of quarterRange(quarterOf(oldest.data.started), quarterOf(newest.data.started))) {
      const byCategory = Object.fromEntries(categoryIds.map((id) => [id, 0]));
      const counts: QuarterCounts = { quarter, byCategory, total: 0, bugs: 0, monitoring: 0 };
      quarters.push(counts);
      index.set(quarter, { counts, detect: [], resolve: [] });
    }
    for (const pm of postmortems) {
      const bucket = index.get(quarterOf(pm.data.started));
      if (!bucket) continue;
      const { counts } = bucket;
      counts.total += 1;
      counts.byCategory[pm.data.category] = (counts.byCategory[pm.data.category] ?? 0) + 1;
      if (pm.data.category === SOFTWARE_BUG) counts.bugs += 1;
      if (monitoringSources.has(pm.data.detection)) counts.monitoring += 1;
      const d = durations.get(pm) ?? {};
      if (d.detect !== undefined) bucket.detect.push(d.detect);
      if (d.resolve !== undefined) bucket.resolve.push(d.resolve);
    }
    for (const { counts, detect, resolve } of index.values()) {
      const detectMedian = median(detect);
      const resolveMedian = median(resolve);
      if (detectMedian !== undefined) counts.detectMedian = detectMedian;
      if (resolveMedian !== undefined) counts.resolveMedian = resolveMedian;
    }
  }

  const bySeverity = group(postmortems, (pm) => [pm.data.severity]);
  const durationsBySeverity: SeverityDurations[] = [...kb.taxonomy.severities]
    .sort((a, b) => a.rank - b.rank)
    .map((severity) => {
      const list = bySeverity.get(severity.id) ?? [];
      const pick = (key: keyof Durations) =>
        summarize(list.map((pm) => durations.get(pm)?.[key]).filter((v): v is number => v !== undefined));
      return {
        severity: severity.id,
        incidents: list.length,
        detect: pick('detect'),
        mitigate: pick('mitigate'),
        resolve: pick('resolve'),
      };
    });

  const actionItems: ActionItemStats = {
    total: 0,
    byStatus: { open: 0, 'in-progress': 0, done: 0, 'wont-do': 0 },
    byKind: { prevent: 0, detect: 0, mitigate: 0, process: 0 },
    open: 0,
    overdue: 0,
  };
  for (const pm of postmortems) {
    for (const item of pm.data.action_items) {
      actionItems.total += 1;
      actionItems.byStatus[item.status] += 1;
      actionItems.byKind[item.kind] += 1;
      if (isOpen(item)) actionItems.open += 1;
      if (isOverdue(item, now)) actionItems.overdue += 1;
    }
  }
  const completable = actionItems.total - actionItems.byStatus['wont-do'];
  if (completable > 0) actionItems.completionRate = actionItems.byStatus.done / completable;

  const bugs = postmortems.filter((pm) => pm.data.category === SOFTWARE_BUG).length;
  const monitoring = postmortems.filter((pm) => monitoringSources.has(pm.data.detection)).length;

  return {
    postmortems: postmortems.length,
    playbooks: kb.playbooks.length,
    paths: kb.paths.length,
    byCategory: group(postmortems, (pm) => [pm.data.category]),
    bySeverity,
    byService: group(postmortems, (pm) => pm.data.services),
    byTag: group(postmortems, (pm) => pm.data.tags),
    byYear: group(postmortems, (pm) => [pm.data.started.slice(0, 4)]),
    byDetection: group(postmortems, (pm) => [pm.data.detection]),
    quarters,
    bugShare: { bugs, other: postmortems.length - bugs },
    detection: { monitoring, other: postmortems.length - monitoring },
    durationsBySeverity,
    actionItems,
  };
}
