/**
 * `hindsight report`, run for real: open and overdue action items grouped by owner, stale
 * playbooks, incidents per category, severity and quarter, as aligned text and as JSON; broken
 * documents left out with a warning; usage errors exit 2, an invalid taxonomy exits 1.
 */
import { describe, expect, it } from 'vitest';
import { playbook, postmortem, TAXONOMY as SMALL_TAXONOMY } from '../helpers/kb.ts';
import type { Report } from '../../src/kb/report.ts';
import { hindsight, testdir } from './cli-testdir.ts';

const NOW = '2026-06-15';

function item(title: string, owner: string, due: string, status = 'open', kind = 'prevent') {
  return { title, owner, due, status, kind };
}

const KB = {
  'content/taxonomy.yaml': SMALL_TAXONOMY,
  'content/playbooks/pool-exhaustion.md': playbook({ last_reviewed: '2026-05-01' }),
  'content/playbooks/cache-stampede.md': playbook({
    id: 'cache-stampede',
    title: 'Cache stampede',
    last_reviewed: '2025-06-01',
    owners: ['@data', '@web'],
  }),
  'content/playbooks/dns-failures.md': playbook({
    id: 'dns-failures',
    title: 'DNS failures',
    status: 'draft',
    last_reviewed: '2024-01-10',
  }),
  'content/postmortems/INC-2026-001-a.md': postmortem({
    id: 'INC-2026-001',
    started: '2026-03-04T02:00:00Z',
    detected: '2026-03-04T02:10:00Z',
    mitigated: '2026-03-04T02:40:00Z',
    resolved: '2026-03-05T10:00:00Z',
    action_items: [
      item('Add a connection budget per service', '@platform', '2026-06-01'),
      item('Alert on pool saturation', '@platform', '2026-07-01', 'in-progress', 'detect'),
      item('Write the runbook', '@platform', '2026-01-01', 'done', 'process'),
    ],
  }),
  'content/postmortems/INC-2026-002-b.md': postmortem({
    id: 'INC-2026-002',
    severity: 'SEV1',
    category: 'software-bug',
    started: '2026-04-20T09:00:00Z',
    detected: undefined,
    mitigated: undefined,
    resolved: undefined,
    action_items: [
      item('Make the charge endpoint idempotent', '@payments', '2026-05-01'),
      item('Dedupe retries', '@payments', '2026-06-14', 'open', 'mitigate'),
    ],
  }),
  'content/postmortems/INC-2025-010-c.md': postmortem({
    id: 'INC-2025-010',
    started: '2025-08-02T12:00:00Z',
    detected: '2025-08-02T12:30:00Z',
    mitigated: '2025-08-02T13:00:00Z',
    resolved: '2025-08-03T12:00:00Z',
    action_items: [item('Raise the pool size', '@data', '2025-09-01', 'wont-do')],
  }),
};

function json(root: string, ...extra: string[]): Report {
  const run = hindsight(['report', '--format', 'json', '--now', NOW, ...extra], root);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Report;
}

describe('hindsight report --format json', () => {
  const root = testdir(KB);
  const report = json(root);

  it('groups open action items by owner, most overdue owners first, done and wont-do left out', () => {
    expect(report.totals).toMatchObject({
      postmortems: 3,
      playbooks: 3,
      paths: 0,
      openActionItems: 4,
      overdueActionItems: 3,
    });
    expect(report.actionItemsByOwner.map((o) => [o.owner, o.open, o.overdue])).toEqual([
      ['@payments', 2, 2],
      ['@platform', 2, 1],
    ]);
    const payments = report.actionItemsByOwner[0]?.items ?? [];
    expect(payments.map((i) => [i.title, i.daysOverdue, i.postmortem.id])).toEqual([
      ['Make the charge endpoint idempotent', 45, 'INC-2026-002'],
      ['Dedupe retries', 1, 'INC-2026-002'],
    ]);
    const platform = report.actionItemsByOwner[1]?.items ?? [];
    expect(platform.map((i) => [i.title, i.overdue])).toEqual([
      ['Add a connection budget per service', true],
      ['Alert on pool saturation', false],
    ]);
  });

  it('lists playbooks not reviewed within the threshold, most stale first, drafts included', () => {
    expect(report.stalePlaybooks.map((p) => [p.id, p.daysSinceReview, p.status])).toEqual([
      ['dns-failures', 887, 'draft'],
      ['cache-stampede', 379, 'published'],
    ]);
    const strict = json(root, '--stale-days', '30');
    expect(strict.stalePlaybooks.map((p) => p.id)).toEqual(['dns-failures', 'cache-stampede', 'pool-exhaustion']);
  });

  it('counts incidents per category × severity, per severity and per quarter (empty quarters included)', () => {
    expect(report.incidentsByCategory).toEqual([
      { category: 'software-bug', label: 'Software bug', count: 1, bySeverity: { SEV1: 1, SEV2: 0 } },
      { category: 'configuration', label: 'Configuration', count: 2, bySeverity: { SEV1: 0, SEV2: 2 } },
      { category: 'unknown', label: 'Not yet classified', count: 0, bySeverity: { SEV1: 0, SEV2: 0 } },
    ]);
    expect(report.incidentsBySeverity.map((s) => [s.severity, s.count])).toEqual([
      ['SEV1', 1],
      ['SEV2', 2],
    ]);
    expect(report.incidentsByQuarter.map((q) => [q.quarter, q.count])).toEqual([
      ['2025-Q3', 1],
      ['2025-Q4', 0],
      ['2026-Q1', 1],
      ['2026-Q2', 1],
    ]);
  });
});

describe('hindsight report (text)', () => {
  it('prints aligned sections a person can scan', () => {
    const root = testdir(KB);
    const run = hindsight(['report', '--now', NOW], root);
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/^Hindsight report, 2026-06-15$/m);
    expect(out).toMatch(/^Open action items by owner: 4 open, 3 overdue$/m);
    expect(out).toMatch(/^ {2}@payments {2}2 open items, 2 overdue$/m);
    expect(out).toMatch(
      /^ {4}45d overdue {2}due 2026-05-01 {2}prevent {3}INC-2026-002 {2}Make the charge endpoint idempotent$/m,
    );
    expect(out).toMatch(/^ {4}in-progress {2}due 2026-07-01 {2}detect {4}INC-2026-001 {2}Alert on pool saturation$/m);
    expect(out).toMatch(/^ {4}1d overdue {3}due 2026-06-14 {2}mitigate {2}INC-2026-002 {2}Dedupe retries$/m);
    expect(out).toMatch(/^Playbooks not reviewed in 180 days: 2$/m);
    expect(out).toMatch(/^ {2}887d {2}2024-01-10 {2}dns-failures {4}@platform$/m);
    expect(out).toContain(
      [
        '  category            SEV1  SEV2  total',
        '  Software bug           1     0      1',
        '  Configuration          0     2      2',
      ].join('\n'),
    );
    expect(out.includes('\u001b[')).toBe(false); // no colour when not on a terminal
  });

  it('says so when nothing is open or stale', () => {
    const root = testdir({ 'content/taxonomy.yaml': SMALL_TAXONOMY });
    const run = hindsight(['report', '--now', NOW], root);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/0 postmortems, 0 playbooks, 0 paths/);
    expect(run.stdout).toMatch(/Open action items by owner: 0 open, 0 overdue\n {2}none open/);
  });
});

describe('hindsight report: problems and usage', () => {
  it('leaves broken documents out with a warning, and still reports', () => {
    const root = testdir({
      ...KB,
      'content/postmortems/INC-2026-003-broken.md': postmortem({ id: 'INC-2026-003', severity: 'SEV9' }),
    });
    const run = hindsight(['report', '--format', 'json', '--now', NOW], root);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /warning: 1 document failed validation and is left out of this report; run `npx hindsight validate`/,
    );
    expect((JSON.parse(run.stdout) as Report).totals.postmortems).toBe(3);
  });

  it('exits 1 without a report when the taxonomy is invalid', () => {
    const root = testdir({ ...KB, 'content/taxonomy.yaml': 'categories: []\n' });
    const run = hindsight(['report', '--now', NOW], root);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/content\/taxonomy\.yaml/);
  });

  it.each([
    [['--format', 'yaml'], /unknown format "yaml"/],
    [['--stale-days', 'soon'], /--stale-days expects a whole number/],
    [['--now', 'yesterday'], /--now expects a date/],
    [['--fromat', 'json'], /did you mean --format\?/],
  ])('exits 2 on %j', (flags, message) => {
    const root = testdir(KB);
    const run = hindsight(['report', ...flags], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });
});
