/**
 * Small, valid knowledge-base files for tests: a minimal taxonomy and one document of each kind,
 * each a function taking frontmatter overrides so a test states only what it changes.
 * `stringify` from `yaml` writes the frontmatter, so tests never hand-format YAML by accident.
 */
import { stringify } from 'yaml';

export const TAXONOMY = `categories:
  - id: software-bug
    label: Software bug
    summary: The code did something other than what its authors intended.
    definition: A defect in code we own.
  - id: configuration
    label: Configuration
    summary: A setting was wrong, missing or drifted.
    definition: The configuration was wrong.
  - id: unknown
    label: Not yet classified
    summary: Investigation under way.
    draft_only: true
    definition: A placeholder while the investigation is open.
severities:
  - id: SEV1
    rank: 1
    label: SEV1 · Critical
    definition: A core journey is down.
  - id: SEV2
    rank: 2
    label: SEV2 · Major
    definition: A core journey is degraded.
detection_sources:
  - id: alert
    label: Alert
    monitoring: true
    definition: Our monitoring paged someone.
  - id: customer-report
    label: Customer report
    monitoring: false
    definition: A customer told us.
services:
  - id: checkout-api
    name: Checkout API
  - id: orders-db
    name: Orders database
`;

export const POSTMORTEM_SECTIONS = [
  'Summary',
  'Impact',
  'Timeline',
  'Contributing factors',
  'What went well',
  'Where we got lucky',
];
export const PLAYBOOK_SECTIONS = ['Confirm', 'Mitigate now', 'Fix for good'];

export function sections(names: readonly string[]): string {
  return names.map((name) => `## ${name}\n\nText.\n`).join('\n');
}

export function frontmatter(data: Record<string, unknown>, body: string): string {
  return `---\n${stringify(data, { lineWidth: 0 })}---\n${body}`;
}

export function postmortemData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'INC-2026-001',
    title: 'Checkout pool exhaustion',
    status: 'published',
    summary: 'Checkout failed for a third of users while the orders database ran out of connections.',
    severity: 'SEV2',
    category: 'configuration',
    trigger: 'Deploy of checkout-api v412',
    services: ['checkout-api'],
    started: '2026-03-04T02:00:00Z',
    detected: '2026-03-04T02:10:00Z',
    mitigated: '2026-03-04T02:40:00Z',
    resolved: '2026-03-05T10:00:00Z',
    detection: 'alert',
    impact: { summary: 'Checkout returned HTTP 500 for 38% of attempts', data_loss: false },
    failure_modes: ['pool-exhaustion'],
    action_items: [
      {
        title: 'Add a connection budget per service',
        owner: '@platform',
        due: '2026-09-01',
        status: 'open',
        kind: 'prevent',
      },
    ],
    authors: ['Dana Okafor'],
    reviewers: ['Sam Lee'],
    ...overrides,
  };
}

export function postmortem(overrides: Record<string, unknown> = {}, body = sections(POSTMORTEM_SECTIONS)): string {
  return frontmatter(postmortemData(overrides), body);
}

export function playbookData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'pool-exhaustion',
    title: 'Connection pool exhaustion',
    status: 'published',
    summary: 'The application runs out of database connections and requests queue until they time out.',
    category: 'configuration',
    symptoms: ['Requests time out waiting for a database connection'],
    owners: ['@platform'],
    last_reviewed: '2026-05-01',
    ...overrides,
  };
}

export function playbook(overrides: Record<string, unknown> = {}, body = sections(PLAYBOOK_SECTIONS)): string {
  return frontmatter(playbookData(overrides), body);
}

export function pathDoc(overrides: Record<string, unknown> = {}, body = 'Read these in order.\n'): string {
  return frontmatter(
    {
      id: 'first-week',
      title: 'Your first week on call',
      status: 'published',
      summary: 'What to read before your first on-call shift, in the order that makes sense.',
      audience: 'New backend engineers',
      steps: [{ doc: 'pool-exhaustion', note: 'The failure mode you will meet first.' }],
      ...overrides,
    },
    body,
  );
}

/** A valid knowledge base: taxonomy, one postmortem, one playbook, one path. */
export function validKb(): Record<string, string> {
  return {
    'content/taxonomy.yaml': TAXONOMY,
    'content/postmortems/INC-2026-001-checkout-pool.md': postmortem(),
    'content/playbooks/pool-exhaustion.md': playbook(),
    'content/paths/first-week.md': pathDoc(),
  };
}
