/**
 * In-memory documents for tests of the pure core (`src/kb/graph.ts`, `src/kb/stats.ts`, …): a
 * small taxonomy and one builder per kind, each filling every required field so a test states
 * only what it is about. No files, no parsing of frontmatter (see `./kb.ts` for files on disk).
 */
import { analyzeBody } from '../../src/kb/markdown.ts';
import {
  buildKnowledgeBase,
  type AnyDoc,
  type KnowledgeBase,
  type PathDoc,
  type PlaybookDoc,
  type PostmortemDoc,
} from '../../src/kb/model.ts';
import type { PathData, PlaybookData, PostmortemData, Taxonomy } from '../../src/schema/index.ts';

/** Two categories, SEV1 and SEV2 (listed out of rank order), a monitoring and a human detection source. */
export const TEST_TAXONOMY: Taxonomy = {
  categories: [
    { id: 'software-bug', label: 'Software bug', summary: 's', definition: 'd', draft_only: false },
    { id: 'configuration', label: 'Configuration', summary: 's', definition: 'd', draft_only: false },
  ],
  severities: [
    { id: 'SEV2', rank: 2, label: 'SEV2', definition: 'd' },
    { id: 'SEV1', rank: 1, label: 'SEV1', definition: 'd' },
  ],
  detection_sources: [
    { id: 'alert', label: 'Alert', monitoring: true, definition: 'd' },
    { id: 'customer-report', label: 'Customer', monitoring: false, definition: 'd' },
  ],
  services: [],
};

/** A published SEV1 software-bug postmortem started 2026-01-01, with `data` overriding any field. */
export function postmortemDoc(id: string, data: Partial<PostmortemData> = {}, body = ''): PostmortemDoc {
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

/** A published software-bug playbook last reviewed 2026-01-01, with `data` overriding any field. */
export function playbookDoc(id: string, data: Partial<PlaybookData> = {}, body = ''): PlaybookDoc {
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

/** A published learning path through the documents `steps`, in order. */
export function learningPathDoc(id: string, steps: readonly string[]): PathDoc {
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

/** A knowledge base rooted at `/kb` over `TEST_TAXONOMY` and `docs`. */
export function testKb(docs: readonly AnyDoc[]): KnowledgeBase {
  return buildKnowledgeBase('/kb', TEST_TAXONOMY, [...docs]);
}
