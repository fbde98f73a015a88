import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/kb/graph.ts';
import { learningPathDoc, playbookDoc, postmortemDoc, testKb } from '../helpers/kb-docs.ts';

describe('backlinks', () => {
  it('lists every document that links to another once, with every way it does, newest incidents first', () => {
    const kb = testKb([
      playbookDoc('pool', {}, 'See [[storm]].'),
      playbookDoc('storm', { related: ['pool'] }),
      postmortemDoc(
        'INC-2026-001',
        { started: '2026-01-01T00:00:00Z', failure_modes: ['pool'] },
        'Body links [[pool]] twice: [[pool|again]] and [x](../playbooks/pool.md).',
      ),
      postmortemDoc('INC-2026-002', { started: '2026-02-01T00:00:00Z', failure_modes: ['pool'] }),
      learningPathDoc('onboarding', ['pool', 'INC-2026-001']),
    ]);
    const graph = buildGraph(kb);
    const backlinks = graph.backlinks('pool').map((b) => [b.from.id, b.via]);
    expect(backlinks).toEqual([
      ['INC-2026-002', ['failure-mode']],
      ['INC-2026-001', ['body', 'failure-mode']],
      ['storm', ['related']],
      ['onboarding', ['path-step']],
    ]);
    expect(graph.backlinks('storm').map((b) => b.from.id)).toEqual(['pool']);
    expect(graph.backlinks('INC-2026-001').map((b) => b.from.id)).toEqual(['onboarding']);
  });

  it('ignores links to unknown documents and links to itself', () => {
    const kb = testKb([playbookDoc('pool', {}, '[[pool]] [[missing]] [y](../../etc/passwd.md)')]);
    expect(buildGraph(kb).backlinks('pool')).toEqual([]);
    expect(buildGraph(kb).backlinks('missing')).toEqual([]);
  });
});

describe('recurrence', () => {
  it('counts the incidents per failure mode, most recurrent first, and lists them newest first', () => {
    const kb = testKb([
      playbookDoc('pool'),
      playbookDoc('storm'),
      playbookDoc('unused'),
      postmortemDoc('INC-2025-001', { started: '2025-05-01T00:00:00Z', failure_modes: ['pool', 'storm'] }),
      postmortemDoc('INC-2026-001', { started: '2026-01-01T00:00:00Z', failure_modes: ['pool'] }),
      postmortemDoc('INC-2026-002', { started: '2026-03-01T00:00:00Z', failure_modes: ['pool', 'pool'] }),
    ]);
    const graph = buildGraph(kb);
    expect(graph.recurrence.map((r) => [r.playbook.id, r.incidents.map((i) => i.id)])).toEqual([
      ['pool', ['INC-2026-002', 'INC-2026-001', 'INC-2025-001']],
      ['storm', ['INC-2025-001']],
    ]);
    expect(graph.incidentsFor('unused')).toEqual([]);
  });
});

describe('similar incidents', () => {
  it('ranks by shared failure modes, then services and tags, and says what is shared', () => {
    const kb = testKb([
      playbookDoc('pool'),
      postmortemDoc('INC-2026-001', { failure_modes: ['pool'], services: ['api', 'db'], tags: ['postgres'] }),
      postmortemDoc('INC-2026-002', { failure_modes: ['pool'], services: ['web'], category: 'configuration' }),
      postmortemDoc('INC-2026-003', { services: ['api', 'db'], tags: ['postgres'], category: 'configuration' }),
      postmortemDoc('INC-2026-004', { services: ['web'], tags: ['postgres'], category: 'configuration' }),
      postmortemDoc('INC-2026-005', { services: ['other'], tags: ['unrelated'] }),
    ]);
    const similar = buildGraph(kb).similarIncidents('INC-2026-001');
    expect(similar.map((s) => [s.postmortem.id, s.score])).toEqual([
      ['INC-2026-003', 5],
      ['INC-2026-002', 4],
    ]);
    expect(similar[0]?.shared).toEqual({
      failureModes: [],
      services: ['api', 'db'],
      tags: ['postgres'],
      category: false,
    });
    // One shared tag and nothing else is not enough to call two incidents similar.
    expect(buildGraph(kb).similarIncidents('INC-2026-005')).toEqual([]);
  });

  it('stays bounded when every incident shares one service', () => {
    const docs = Array.from({ length: 3000 }, (_, i) =>
      postmortemDoc(`INC-2026-${String(i).padStart(4, '0')}`, { services: ['api'], tags: [`t${i % 7}`] }),
    );
    const graph = buildGraph(testKb(docs), { candidateBudget: 50, similarLimit: 3 });
    const similar = graph.similarIncidents('INC-2026-0000');
    expect(similar).toHaveLength(3);
    // Same service and same tag beats same service alone.
    expect(similar.every((s) => s.shared.tags.length === 1)).toBe(true);
  });
});

describe('related and paths', () => {
  it('relates playbooks and incidents in both directions and knows which paths include a document', () => {
    const kb = testKb([
      playbookDoc('a', { related: ['b'] }),
      playbookDoc('b'),
      postmortemDoc('INC-2026-001', { related: ['INC-2026-002'] }),
      postmortemDoc('INC-2026-002'),
      learningPathDoc('p', ['b', 'INC-2026-002']),
    ]);
    const graph = buildGraph(kb);
    expect(graph.relatedPlaybooks('b').map((p) => p.id)).toEqual(['a']);
    expect(graph.relatedIncidents('INC-2026-002').map((p) => p.id)).toEqual(['INC-2026-001']);
    expect(graph.pathsContaining('INC-2026-002').map((m) => [m.path.id, m.step])).toEqual([['p', 1]]);
  });
});
