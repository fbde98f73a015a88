import { describe, expect, it } from 'vitest';
import { computeStats, incidentDurations, quarterOf, quarterRange } from '../../src/kb/stats.ts';
import { postmortemDoc, testKb } from '../helpers/kb-docs.ts';

const item = (status: 'open' | 'in-progress' | 'done' | 'wont-do', due: string) => ({
  title: 'Do the thing',
  owner: '@o',
  due,
  status,
  kind: 'prevent' as const,
});

describe('durations', () => {
  it('measures minutes from the start of impact to each recorded milestone, with zones', () => {
    const doc = postmortemDoc('INC-2026-001', {
      started: '2026-03-04T09:00:00Z',
      detected: '2026-03-04T10:07:00+01:00',
      mitigated: '2026-03-04T09:42:00Z',
    });
    expect(incidentDurations(doc)).toEqual({ detect: 7, mitigate: 42 });
  });

  it('names quarters in UTC and fills the gaps between them', () => {
    expect(quarterOf('2025-12-31T23:30:00-02:00')).toBe('2026-Q1');
    expect(quarterRange('2025-Q3', '2026-Q2')).toEqual(['2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2']);
  });
});

describe('computeStats', () => {
  const kb = testKb([
    postmortemDoc('INC-2025-001', {
      started: '2025-08-01T00:00:00Z',
      detected: '2025-08-01T00:10:00Z',
      resolved: '2025-08-01T02:00:00Z',
      detection: 'customer-report',
      action_items: [item('done', '2025-09-01'), item('wont-do', '2025-09-01')],
    }),
    postmortemDoc('INC-2026-001', {
      started: '2026-02-01T00:00:00Z',
      detected: '2026-02-01T00:02:00Z',
      resolved: '2026-02-01T01:00:00Z',
      category: 'configuration',
      severity: 'SEV2',
      action_items: [item('open', '2026-03-01'), item('in-progress', '2026-12-01')],
    }),
    postmortemDoc('INC-2026-002', {
      started: '2026-02-15T00:00:00Z',
      detected: '2026-02-15T00:04:00Z',
      tags: ['x'],
      services: ['api', 'db'],
    }),
  ]);
  const stats = computeStats(kb, new Date('2026-06-01T00:00:00Z'));

  it('groups postmortems by category, severity, service, tag, year and detection source', () => {
    expect([...stats.byCategory.keys()].sort()).toEqual(['configuration', 'software-bug']);
    expect(stats.byService.get('api')?.map((p) => p.id)).toEqual(['INC-2026-002', 'INC-2026-001', 'INC-2025-001']);
    expect(stats.byService.get('db')?.map((p) => p.id)).toEqual(['INC-2026-002']);
    expect(stats.byYear.get('2026')?.length).toBe(2);
    expect(stats.byTag.get('x')?.length).toBe(1);
    expect(stats.byDetection.get('customer-report')?.length).toBe(1);
  });

  it('counts incidents per quarter by category, with empty quarters, bugs and monitoring', () => {
    expect(stats.quarters.map((q) => [q.quarter, q.total, q.bugs, q.monitoring])).toEqual([
      ['2025-Q3', 1, 1, 0],
      ['2025-Q4', 0, 0, 0],
      ['2026-Q1', 2, 1, 2],
    ]);
    expect(stats.quarters[2]?.byCategory).toEqual({ 'software-bug': 1, configuration: 1 });
    expect(stats.quarters[2]?.detectMedian).toBe(3);
    expect(stats.quarters[1]?.detectMedian).toBeUndefined();
    expect(stats.bugShare).toEqual({ bugs: 2, other: 1 });
    expect(stats.detection).toEqual({ monitoring: 2, other: 1 });
  });

  it('summarises durations by severity in rank order', () => {
    expect(stats.durationsBySeverity.map((s) => [s.severity, s.incidents, s.detect.median, s.resolve.count])).toEqual([
      ['SEV1', 2, 7, 1],
      ['SEV2', 1, 2, 1],
    ]);
  });

  it('counts action items by status, open and overdue, and the completion rate without dropped items', () => {
    expect(stats.actionItems).toMatchObject({
      total: 4,
      open: 2,
      overdue: 1,
      byStatus: { open: 1, 'in-progress': 1, done: 1, 'wont-do': 1 },
    });
    expect(stats.actionItems.completionRate).toBeCloseTo(1 / 3);
  });

  it('is empty but well-formed for an empty knowledge base', () => {
    const empty = computeStats(testKb([]), new Date());
    expect(empty.quarters).toEqual([]);
    expect(empty.actionItems.completionRate).toBeUndefined();
  });
});
