import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/kb/graph.ts';
import { analyzeBody } from '../../src/kb/markdown.ts';
import {
  buildKnowledgeBase,
  type AnyDoc,
  type PathDoc,
  type PlaybookDoc,
  type PostmortemDoc,
} from '../../src/kb/model.ts';
import type { PathData, PlaybookData, PostmortemData, Taxonomy } from '../../src/schema/index.ts';

const taxonomy: Taxonomy = {
  categories: [
    { id: 'software-bug', label: 'Software bug', summary: 's', definition: 'd', draft_only: false },
    { id: 'configuration', label: 'Configuration', summary: 's', definition: 'd', draft_only: false },
  ],
  severities: [{ id: 'SEV1', rank: 1, label: 'SEV1', definition: 'd' }],
  detection_sources: [{ id: 'alert', label: 'Alert', monitoring: true, definition: 'd' }],
  services: [],
};

function postmortem(id: string, data: Partial<PostmortemData> = {}, body = ''): PostmortemDoc {
  const full: PostmortemData = {
    id,
    title: `Incident ${id}`,
    status: 'published',
    summary: 'A summary long enough to pass.',
    severity: 'SEV1',
    category: 'software-bug',
    trigger: 'deploy',
    services: ['api'],
    started: '2026-01-01T00:00:00Z',
    detection: 'alert',
    impact: { summary: 'users saw errors', data_loss: false },
    failure_modes: [],
    related: [],
    action_items: [],
    authors: ['a'],
    reviewers: [],
    tags: [],
    allowlist: [],
    ...data,
  };
  return {
    kind: 'postmortem',
    id,
    file: `content/postmortems/${id}.md`,
    data: full,
    body,
    bodyLine: 1,
    info: analyzeBody(body),
  };
}

function playbook(id: string, data: Partial<PlaybookData> = {}, body = ''): PlaybookDoc {
  const full: PlaybookData = {
    id,
    title: `Playbook ${id}`,
    status: 'published',
    summary: 'A summary long enough to pass.',
    category: 'software-bug',
    symptoms: ['something'],
    error_signatures: [],
    related: [],
    services: [],
    owners: ['o'],
    last_reviewed: '2026-01-01',
    tags: [],
    allowlist: [],
    ...data,
  };
  return {
    kind: 'playbook',
    id,
    file: `content/playbooks/${id}.md`,
    data: full,
    body,
    bodyLine: 1,
    info: analyzeBody(body),
  };
}

function path(id: string, steps: string[]): PathDoc {
  const data: PathData = {
    id,
    title: `Path ${id}`,
    status: 'published',
    summary: 'A summary long enough to pass.',
    audience: 'new people',
    steps: steps.map((doc) => ({ doc, note: 'read this one first' })),
    owners: [],
    tags: [],
    allowlist: [],
  };
  return { kind: 'path', id, file: `content/paths/${id}.md`, data, body: '', bodyLine: 1, info: analyzeBody('') };
}

const kbOf = (docs: AnyDoc[]) => buildKnowledgeBase('/kb', taxonomy, docs);

describe('backlinks', () => {
  it('lists every document that links to another once, with every way it does, newest incidents first', () => {
    const kb = kbOf([
      playbook('pool', {}, 'See [[storm]].'),
      playbook('storm', { related: ['pool'] }),
      postmortem(
        'INC-2026-001',
        { started: '2026-01-01T00:00:00Z', failure_modes: ['pool'] },
        'Body links [[pool]] twice: [[pool|again]] and [x](../playbooks/pool.md).',
      ),
      postmortem('INC-2026-002', { started: '2026-02-01T00:00:00Z', failure_modes: ['pool'] }),
      path('onboarding', ['pool', 'INC-2026-001']),
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
    const kb = kbOf([playbook('pool', {}, '[[pool]] [[missing]] [y](../../etc/passwd.md)')]);
    expect(buildGraph(kb).backlinks('pool')).toEqual([]);
    expect(buildGraph(kb).backlinks('missing')).toEqual([]);
  });
});

describe('recurrence', () => {
  it('counts the incidents per failure mode, most recurrent first, and lists them newest first', () => {
    const kb = kbOf([
      playbook('pool'),
      playbook('storm'),
      playbook('unused'),
      postmortem('INC-2025-001', { started: '2025-05-01T00:00:00Z', failure_modes: ['pool', 'storm'] }),
      postmortem('INC-2026-001', { started: '2026-01-01T00:00:00Z', failure_modes: ['pool'] }),
      postmortem('INC-2026-002', { started: '2026-03-01T00:00:00Z', failure_modes: ['pool', 'pool'] }),
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
    const kb = kbOf([
      playbook('pool'),
      postmortem('INC-2026-001', { failure_modes: ['pool'], services: ['api', 'db'], tags: ['postgres'] }),
      postmortem('INC-2026-002', { failure_modes: ['pool'], services: ['web'], category: 'configuration' }),
      postmortem('INC-2026-003', { services: ['api', 'db'], tags: ['postgres'], category: 'configuration' }),
      postmortem('INC-2026-004', { services: ['web'], tags: ['postgres'], category: 'configuration' }),
      postmortem('INC-2026-005', { services: ['other'], tags: ['unrelated'] }),
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
      postmortem(`INC-2026-${String(i).padStart(4, '0')}`, { services: ['api'], tags: [`t${i % 7}`] }),
    );
    const graph = buildGraph(kbOf(docs), { candidateBudget: 50, similarLimit: 3 });
    const similar = graph.similarIncidents('INC-2026-0000');
    expect(similar).toHaveLength(3);
    // Same service and same tag beats same service alone.
    expect(similar.every((s) => s.shared.tags.length === 1)).toBe(true);
  });
});

describe('related and paths', () => {
  it('relates playbooks and incidents in both directions and knows which paths include a document', () => {
    const kb = kbOf([
      playbook('a', { related: ['b'] }),
      playbook('b'),
      postmortem('INC-2026-001', { related: ['INC-2026-002'] }),
      postmortem('INC-2026-002'),
      path('p', ['b', 'INC-2026-002']),
    ]);
    const graph = buildGraph(kb);
    expect(graph.relatedPlaybooks('b').map((p) => p.id)).toEqual(['a']);
    expect(graph.relatedIncidents('INC-2026-002').map((p) => p.id)).toEqual(['INC-2026-001']);
    expect(graph.pathsContaining('INC-2026-002').map((m) => [m.path.id, m.step])).toEqual([['p', 1]]);
  });
});
