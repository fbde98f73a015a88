/**
 * `hindsight new`, run for real in temporary knowledge bases: exit codes, the printed path, the
 * file written (and validated), files never overwritten, titles that would escape refused with
 * nothing written anywhere, every frontmatter field settable by a flag, prompts on a terminal.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFrontmatter } from '../../src/kb/frontmatter.ts';
import { frontmatterId } from '../../src/kb/id-scan.ts';
import { slugify, titleProblem } from '../../src/kb/scaffold.ts';
import { validateKnowledgeBase } from '../../src/kb/validate.ts';
import { HINDSIGHT, hindsight, kbdir, listFiles, NODE, testdir, TAXONOMY } from './cli-testdir.ts';

const NOW = '2026-03-04';

function frontmatter(file: string): Record<string, unknown> {
  const parsed = parseFrontmatter(readFileSync(file, 'utf8'), file);
  expect(parsed.diagnostics).toEqual([]);
  return parsed.data as Record<string, unknown>;
}

async function errorsIn(root: string) {
  const { diagnostics } = await validateKnowledgeBase(root, { now: new Date(`${NOW}T12:00:00Z`) });
  return diagnostics.filter((d) => d.severity === 'error');
}

const PLAYBOOK = `---
id: retry-storm
title: Retry storm
status: published
summary: Clients retry failed calls immediately and without limit, multiplying load.
category: software-bug
symptoms: ["Request rate to a dependency triples while user traffic is flat"]
owners: ["@platform"]
last_reviewed: 2026-02-01
---
## Confirm

x

## Mitigate now

x

## Fix for good

x
`;

const EARLIER = `---
id: INC-2025-031
title: Earlier incident
status: draft
summary: An earlier incident with the same shape of failure.
severity: SEV3
category: unknown
trigger: A deploy
services: [checkout-api]
started: 2025-06-01T10:00:00Z
detection: alert
impact: { summary: Slow checkout for some users, data_loss: false }
authors: [Someone]
---
`;

describe('hindsight new postmortem', () => {
  it('writes a valid draft with the next id of the year and prints its path', async () => {
    const root = kbdir();
    const run = hindsight(['new', 'postmortem', 'Checkout returned 500s for 38% of attempts', '--now', NOW], root);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    const path = 'content/postmortems/INC-2026-001-checkout-returned-500s-for-38-of-attempts.md';
    expect(run.stdout).toBe(`${path}\n`);
    const data = frontmatter(join(root, path));
    expect(data).toMatchObject({
      id: 'INC-2026-001',
      title: 'Checkout returned 500s for 38% of attempts',
      status: 'draft',
      category: 'unknown',
      severity: 'SEV4',
      started: '2026-03-04T12:00:00Z',
    });
    // Optional timestamps are left out (a comment shows where they go), not faked.
    expect(data).not.toHaveProperty('detected');
    expect(readFileSync(join(root, path), 'utf8')).toMatch(/^# detected: /m);
    expect(await errorsIn(root)).toEqual([]);
  });

  it('refuses a --now date that does not exist instead of rolling it into the next month', () => {
    const root = kbdir();
    const run = hindsight(['new', 'postmortem', 'Checkout outage on a leap day', '--now', '2026-02-30'], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--now expects a date such as 2026-05-01');
    expect(listFiles(root).filter((f) => f.startsWith('content/postmortems/'))).toEqual([]);
  });

  it('takes the next free number after every id in use, including broken files and other years', () => {
    const root = kbdir({
      'content/postmortems/INC-2026-007-old.md': '---\nid: INC-2026-007\ntitle: x\n---\n',
      // A file whose name and id disagree: the id counts.
      'content/postmortems/misnamed.md': '---\nid: INC-2026-012\n---\n',
      'content/postmortems/INC-2025-050-last-year.md': '---\nid: INC-2025-050\n---\n',
    });
    const run = hindsight(['new', 'postmortem', 'Payments webhook backlog', '--now', NOW], root);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('content/postmortems/INC-2026-013-payments-webhook-backlog.md');
    const nextYear = hindsight(['new', 'postmortem', 'New year, new incident', '--now', '2027-01-02'], root);
    expect(nextYear.stdout.trim()).toBe('content/postmortems/INC-2027-001-new-year-new-incident.md');
  });

  it('reads the id of every file cheaply, quoted or not, only inside the frontmatter', () => {
    expect(frontmatterId('---\ntitle: x\nid: INC-2026-004 # comment\n---\n')).toBe('INC-2026-004');
    expect(frontmatterId('\ufeff---\r\nid: "retry-storm"\r\n---\r\n')).toBe('retry-storm');
    expect(frontmatterId("---\nid: 'a-b'\n---\n")).toBe('a-b');
    expect(frontmatterId('---\ntitle: x\n---\nid: INC-2026-009\n')).toBeUndefined();
    expect(frontmatterId('id: INC-2026-009\n')).toBeUndefined();
    expect(frontmatterId('---\nimpact:\n  id: nested\n---\n')).toBeUndefined();
  });

  it('sets every postmortem field from flags, so scripts need no prompts', async () => {
    const root = kbdir({
      'content/playbooks/retry-storm.md': PLAYBOOK,
      'content/postmortems/INC-2025-031-earlier.md': EARLIER,
    });
    const action = {
      title: 'Add a 5 s connect timeout',
      owner: '@payments',
      due: '2026-04-30',
      status: 'open',
      kind: 'prevent',
      ticket: 'https://tracker.example.com/PAY-142',
    };
    const run = hindsight(
      [
        'new',
        'postmortem',
        'Card payments failed: "timeout" # 2',
        '--now',
        NOW,
        '--id',
        'INC-2026-040',
        '--status',
        'in-review',
        '--summary',
        'Card payments failed for 40 minutes after a deploy changed the client timeout.',
        '--severity',
        'SEV2',
        '--category',
        'configuration',
        '--trigger',
        'Deploy of payments-service v88',
        '--services',
        'payments-service,checkout-api',
        '--started',
        '2026-03-01T10:00:00Z',
        '--detected',
        '2026-03-01T11:06:00+01:00',
        '--mitigated',
        '2026-03-01T10:40:00Z',
        '--resolved',
        '2026-03-02T09:00:00Z',
        '--detection',
        'customer-report',
        '--impact-summary',
        'Card payments returned an error for a third of attempts',
        '--users-affected',
        '12000',
        '--requests-failed',
        '48210',
        '--slo-budget-burned',
        '35.5',
        '--data-loss',
        'no',
        '--failure-modes',
        'retry-storm',
        '--related',
        'INC-2025-031',
        '--action-items',
        JSON.stringify(action),
        '--authors',
        'Dana Okafor, Lee Chen',
        '--reviewers',
        'Sam Rivera',
        '--tags',
        'payments,timeouts',
        '--allowlist',
        '{"match":"10.20.0.15","reason":"private address of a decommissioned host"}',
      ],
      root,
    );
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    const file = join(root, 'content/postmortems/INC-2026-040-card-payments-failed-timeout-2.md');
    expect(run.stdout.trim()).toBe('content/postmortems/INC-2026-040-card-payments-failed-timeout-2.md');
    expect(frontmatter(file)).toEqual({
      id: 'INC-2026-040',
      title: 'Card payments failed: "timeout" # 2',
      status: 'in-review',
      summary: 'Card payments failed for 40 minutes after a deploy changed the client timeout.',
      severity: 'SEV2',
      category: 'configuration',
      trigger: 'Deploy of payments-service v88',
      services: ['payments-service', 'checkout-api'],
      started: '2026-03-01T10:00:00Z',
      detected: '2026-03-01T11:06:00+01:00',
      mitigated: '2026-03-01T10:40:00Z',
      resolved: '2026-03-02T09:00:00Z',
      detection: 'customer-report',
      impact: {
        summary: 'Card payments returned an error for a third of attempts',
        users_affected: 12000,
        requests_failed: 48210,
        slo_budget_burned: 35.5,
        data_loss: false,
      },
      failure_modes: ['retry-storm'],
      related: ['INC-2025-031'],
      action_items: [action],
      authors: ['Dana Okafor', 'Lee Chen'],
      reviewers: ['Sam Rivera'],
      tags: ['payments', 'timeouts'],
      allowlist: [{ match: '10.20.0.15', reason: 'private address of a decommissioned host' }],
    });
    expect(await errorsIn(root)).toEqual([]);
  });

  it.each([
    [['--severity', 'sev2'], /--severity[\s\S]*did you mean "SEV2"/],
    [['--services', 'checkout-api,paymnts-service'], /--services[\s\S]*did you mean "payments-service"/],
    [
      ['--started', '2026-03-04 02:14'],
      /--started: "started" is not a timestamp with a time zone[\s\S]*2026-03-04T02:14:00Z/,
    ],
    [['--failure-modes', 'retry-strom'], /--failure-modes[\s\S]*did you mean "retry-storm"/],
    [
      ['--related', 'INC-2025-999'],
      /--related: "related\[0\]" refers to "INC-2025-999", which is not a known postmortem/,
    ],
    [['--users-affected', 'many'], /--users-affected: expected a number/],
    [['--data-loss', 'perhaps'], /--data-loss: expected yes or no/],
    [['--action-items', '{"title": "x"'], /--action-items: expected JSON/],
    [
      ['--action-items', '{"title":"Add a timeout","owner":"@p","due":"soon","status":"open","kind":"prevent"}'],
      /--action-items: "action_items\[0\]\.due" is not a calendar date/,
    ],
    [['--id', '../../etc/passwd'], /--id/],
    [['--severty', 'SEV1'], /unknown option --severty; did you mean --severity\?/],
    [['--symptoms', 'x'], /--symptoms does not apply to a postmortem/],
    [['--severity', 'SEV1', '--severity', 'SEV2'], /--severity was given 2 times/],
  ])('refuses %j with the flag, what was expected and a suggestion, and writes nothing', (flags, message) => {
    const root = kbdir({ 'content/playbooks/retry-storm.md': PLAYBOOK });
    const run = hindsight(['new', 'postmortem', 'Checkout outage', '--now', NOW, ...flags], root);
    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(listFiles(root)).toEqual(['content/playbooks/retry-storm.md', 'content/taxonomy.yaml']);
  });
});

describe('hindsight new never overwrites', () => {
  it('refuses a second playbook with the same title, leaving the first untouched', () => {
    const root = kbdir();
    const first = hindsight(['new', 'playbook', 'Connection pool exhaustion', '--now', NOW], root);
    expect(first.code).toBe(0);
    const file = join(root, 'content/playbooks/connection-pool-exhaustion.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('TODO: what a responder sees first', 'Edited by a person'));
    const edited = readFileSync(file, 'utf8');
    const second = hindsight(['new', 'playbook', 'Connection pool exhaustion', '--now', NOW], root);
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toMatch(
      /"connection-pool-exhaustion" is already used by content\/playbooks\/connection-pool-exhaustion\.md; nothing was written/,
    );
    expect(readFileSync(file, 'utf8')).toBe(edited);
  });

  it('refuses when the file name exists even if it is not a valid document', () => {
    const garbage = "not a document, but somebody's unsaved notes\n";
    const root = kbdir({ 'content/playbooks/retry-storm.md': garbage });
    const run = hindsight(['new', 'playbook', 'Retry storm', '--now', NOW], root);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/content\/playbooks\/retry-storm\.md already exists; nothing was written/);
    expect(readFileSync(join(root, 'content/playbooks/retry-storm.md'), 'utf8')).toBe(garbage);
    // No temporary file is left behind either.
    expect(listFiles(root)).toEqual(['content/playbooks/retry-storm.md', 'content/taxonomy.yaml']);
  });

  it('refuses an explicit id that another document already has, of any kind', () => {
    const root = kbdir({ 'content/playbooks/retry-storm.md': PLAYBOOK });
    const run = hindsight(
      ['new', 'path', 'Retry storms for beginners', '--id', 'retry-storm', '--audience', 'New engineers', '--now', NOW],
      root,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/already used by content\/playbooks\/retry-storm\.md/);
    expect(listFiles(root)).toEqual(['content/playbooks/retry-storm.md', 'content/taxonomy.yaml']);
  });
});

describe('hindsight new run several times at once', () => {
  const runAsync = (args: string[], cwd: string) =>
    new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(NODE, [HINDSIGHT, ...args], {
        cwd,
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.on('close', (code) => {
        resolve({ code, stdout });
      });
    });

  it('gives every postmortem its own id: the id is claimed before the file is written', async () => {
    const root = kbdir();
    const runs = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        runAsync(['new', 'postmortem', `Concurrent incident number ${n}`, '--yes', '--now', NOW], root),
      ),
    );
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    const files = listFiles(join(root, 'content/postmortems'));
    expect(files).toHaveLength(4);
    expect(files.map((f) => f.slice(0, 12)).sort()).toEqual([
      'INC-2026-001',
      'INC-2026-002',
      'INC-2026-003',
      'INC-2026-004',
    ]);
    // No claim is left behind, and the knowledge base validates (no duplicate ids).
    expect(listFiles(join(root, 'content')).filter((f) => f.includes('.claim'))).toEqual([]);
    expect(await errorsIn(root)).toEqual([]);
  });
});

describe('hindsight new refuses titles that would escape or make no name', () => {
  it.each([
    ['../../etc', /looks like a file path/],
    ['../../../../tmp/evil', /looks like a file path/],
    ['..\\..\\windows', /looks like a file path/],
    ['/', /looks like a file path/],
    ['/etc/passwd', /looks like a file path/],
    ['~/notes', /looks like a file path/],
    ['!!!!!', /no letters or digits/],
    ['line one\nline two', /control characters/],
    ['   ', /empty/],
  ])('%j', (title, message) => {
    const parent = testdir({ 'kb/content/taxonomy.yaml': TAXONOMY });
    const root = join(parent, 'kb');
    const before = listFiles(parent);
    for (const kind of ['postmortem', 'playbook', 'path']) {
      const run = hindsight(['new', kind, title, '--now', NOW], root);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
    }
    // Nothing written anywhere: not in the knowledge base, not next to it.
    expect(listFiles(parent)).toEqual(before);
    expect(existsSync(join(parent, 'etc'))).toBe(false);
  });

  it('never writes through a kind folder that is a symbolic link leading outside content/', () => {
    const parent = testdir({ 'kb/content/taxonomy.yaml': TAXONOMY });
    mkdirSync(join(parent, 'elsewhere'));
    symlinkSync(join(parent, 'elsewhere'), join(parent, 'kb/content/postmortems'));
    const run = hindsight(['new', 'postmortem', 'Checkout outage', '--now', NOW], join(parent, 'kb'));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/content\/postmortems leads outside content\//);
    expect(listFiles(parent)).toEqual(['kb/content/postmortems', 'kb/content/taxonomy.yaml']);
  });

  it('refuses a NUL byte (it cannot even be passed on a command line, but prompts could read one)', () => {
    expect(titleProblem('Checkout\u0000outage')).toMatch(/control characters/);
  });

  it('asks for an --id when a playbook title has no Latin letters or digits', () => {
    const root = kbdir();
    const run = hindsight(['new', 'playbook', 'Сбой оплаты', '--now', NOW], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/pass one with --id/);
    const withId = hindsight(['new', 'playbook', 'Сбой оплаты', '--id', 'payment-failure', '--now', NOW], root);
    expect(withId.code).toBe(0);
    expect(withId.stdout.trim()).toBe('content/playbooks/payment-failure.md');
  });

  it('makes short, safe slugs', () => {
    expect(slugify('Crème brûlée: the café’s 5xx / timeouts!')).toBe('creme-brulee-the-cafe-s-5xx-timeouts');
    expect(slugify('a'.repeat(30) + ' ' + 'b'.repeat(40))).toBe('a'.repeat(30));
    expect(slugify('../../etc')).toBe('etc');
  });
});

describe('hindsight new: usage', () => {
  it('exits 2 with a clear message for a missing or misspelt kind, a missing title, or no content/ folder', () => {
    const root = kbdir();
    const empty = testdir({});
    const cases: [string[], string, RegExp][] = [
      [['new'], root, /which kind of document/],
      [['new', 'playbok', 'Retry storm'], root, /did you mean playbook\?/],
      [['new', 'playbook'], root, /missing the title/],
      [['new', 'playbook', 'Retry storm'], empty, /no content\/ folder/],
    ];
    for (const [args, cwd, message] of cases) {
      const run = hindsight(args, cwd);
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr).toMatch(message);
    }
    expect(hindsight(['new', 'playbook', 'Retry storm', '--root', root], empty).code).toBe(0);
    expect(listFiles(empty)).toEqual([]);
  });

  it('--dry-run prints the document and writes nothing', () => {
    const root = kbdir();
    const run = hindsight(['new', 'playbook', 'Disk full on the database host', '--dry-run', '--now', NOW], root);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^---\n[\s\S]*^id: disk-full-on-the-database-host$[\s\S]*^## Confirm$/m);
    expect(listFiles(root)).toEqual(['content/taxonomy.yaml']);
  });

  it('a path needs something to point at: refused in an empty knowledge base, first document otherwise', () => {
    const root = kbdir();
    const empty = hindsight(['new', 'path', 'Production 101', '--now', NOW], root);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/no documents yet/);
    const withSteps = hindsight(
      ['new', 'path', 'Production 101', '--now', NOW, '--steps', 'production-101: never mind'],
      root,
    );
    expect(withSteps.code).toBe(2); // a path cannot list itself
    expect(withSteps.stderr).toMatch(/--steps: "steps\[0\]\.doc" refers to this document itself/);
    // Refused before anything touched the disk: not even the content/paths folder was made.
    expect(existsSync(join(root, 'content/paths'))).toBe(false);
  });
});

describe('hindsight new: templates', () => {
  it("uses the knowledge base's own template when it has one", async () => {
    const root = kbdir({
      'templates/playbook.md': `---
id: "{{id}}"
title: "{{title}}"
status: draft
summary: "Our house style: every playbook starts as a TODO summary."
category: "{{category}}"
symptoms: ["TODO: first symptom"]
owners: ["@sre"]
last_reviewed: "{{date}}"
tags: [house-style]
---
## Confirm

Ask in #incidents first. ({{title}})

## Mitigate now

## Fix for good
`,
    });
    const run = hindsight(['new', 'playbook', 'Queue backlog', '--now', NOW], root);
    expect(run.code).toBe(0);
    const text = readFileSync(join(root, 'content/playbooks/queue-backlog.md'), 'utf8');
    expect(text).toContain('Ask in #incidents first. (Queue backlog)');
    expect(frontmatter(join(root, 'content/playbooks/queue-backlog.md'))).toMatchObject({
      owners: ['@sre'],
      tags: ['house-style'],
      last_reviewed: NOW,
    });
    expect(await errorsIn(root)).toEqual([]);
  });

  it('reports an unknown placeholder with the template line, and writes nothing', () => {
    const root = kbdir({
      'templates/playbook.md': '---\nid: "{{id}}"\ntitle: "{{title}}"\nowners: ["{{owner}}"]\n---\n',
    });
    const run = hindsight(['new', 'playbook', 'Queue backlog', '--now', NOW], root);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/templates\/playbook\.md:4: unknown placeholder \{\{owner\}\}/);
    expect(listFiles(root)).toEqual(['content/taxonomy.yaml', 'templates/playbook.md']);
  });

  it('keeps a title that contains placeholder braces as literal text', () => {
    const root = kbdir();
    const run = hindsight(['new', 'playbook', 'Template {{id}} leaks into titles', '--now', NOW], root);
    expect(run.code).toBe(0);
    expect(frontmatter(join(root, 'content/playbooks/template-id-leaks-into-titles.md'))['title']).toBe(
      'Template {{id}} leaks into titles',
    );
  });
});

// Prompts need a terminal: `script` (util-linux) gives the command one.
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

describe.skipIf(!hasScript)('hindsight new on a terminal', () => {
  it('asks for missing values, re-asks after a wrong answer, and keeps defaults on Enter', async () => {
    const root = kbdir();
    const answers = [
      'Checkout outage after deploy', // title
      'Checkout failed for a third of users for 40 minutes after a deploy.', // summary
      '2', // severity by number
      'softwre-bug', // category, misspelt: asked again
      'software-bug',
      'checkout-api', // services
      '', // started: keep the default
      'customer-report', // detection
      'Dana Okafor', // authors
    ];
    const command = `'${NODE}' '${HINDSIGHT}' new postmortem --now ${NOW}`;
    const run = spawnSync('script', ['-qec', command, '/dev/null'], {
      cwd: root,
      input: `${answers.join('\n')}\n`,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 30_000,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Root-cause category \[unknown\]: .*did you mean software-bug\?/);
    const file = join(root, 'content/postmortems/INC-2026-001-checkout-outage-after-deploy.md');
    expect(frontmatter(file)).toMatchObject({
      title: 'Checkout outage after deploy',
      summary: 'Checkout failed for a third of users for 40 minutes after a deploy.',
      severity: 'SEV2',
      category: 'software-bug',
      services: ['checkout-api'],
      started: '2026-03-04T12:00:00Z',
      detection: 'customer-report',
      authors: ['Dana Okafor'],
    });
    expect(await errorsIn(root)).toEqual([]);
  });

  it('stops without writing when the answers run out (Ctrl-D)', () => {
    const root = kbdir();
    const command = `'${NODE}' '${HINDSIGHT}' new playbook --now ${NOW}`;
    const run = spawnSync('script', ['-qec', command, '/dev/null'], {
      cwd: root,
      input: 'Queue backlog\n',
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 30_000,
    });
    expect(run.stdout).toMatch(/nothing was written/);
    expect(listFiles(root)).toEqual(['content/taxonomy.yaml']);
  });

  it('never prompts with --yes', () => {
    const root = kbdir();
    const command = `'${NODE}' '${HINDSIGHT}' new playbook 'Queue backlog' --yes --now ${NOW}`;
    const run = spawnSync('script', ['-qec', command, '/dev/null'], {
      cwd: root,
      input: '',
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 30_000,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).not.toMatch(/Summary/);
    expect(existsSync(join(root, 'content/playbooks/queue-backlog.md'))).toBe(true);
  });
});
