#!/usr/bin/env node
/**
 * Synthetic knowledge bases for the benchmark and the scale tests: N postmortems, a hundred
 * failure-mode playbooks and a few onboarding paths, written like the real thing.
 *
 * - Sizes: postmortem bodies of roughly 1.5–6 KB (log-normal, median about 3 KB) with every
 *   required section, a timeline table, contributing factors, action items; playbooks of 2–5 KB.
 * - Cross-links: `failure_modes` (Zipf-distributed, so a few failure modes recur a lot, as in
 *   real organisations), `related` postmortems that share a failure mode, wiki-links
 *   (`[[retry-storm]]`) and relative Markdown links in bodies, related playbooks, paths that
 *   link both kinds.
 * - Some Mermaid (about one postmortem in twelve, one playbook in six).
 * - Distributions: categories, severities, detection sources and services skewed the way real
 *   incident data is; incidents spread over eight years with growth; recent ones still drafts
 *   or in review; older action items mostly done.
 * - Seeded: the same options give byte-identical files on every machine.
 * - Valid: every file passes the schemas built from the bundled taxonomy, which is copied in.
 *
 * Usage: `node scripts/bench/generate.ts --postmortems 1000 --out /tmp/kb` (see `--help`).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseTaxonomyText, REQUIRED_SECTIONS, TAXONOMY_FILE, type Taxonomy } from '../../src/schema/index.ts';
import { createRandom, type Random } from './random.ts';
import {
  FACTOR_LEADS,
  FAILURE_MODES,
  LUCKY,
  PEOPLE,
  TAGS,
  TEAMS,
  TRIGGERS,
  WENT_WELL,
  type FailureMode,
} from './vocabulary.ts';

export interface CorpusOptions {
  /** Number of postmortems. */
  postmortems: number;
  /** Number of playbooks (failure modes). Default 100. */
  playbooks?: number;
  /** Number of onboarding paths. Default 4. */
  paths?: number;
  /** PRNG seed. Default 20261101. */
  seed?: number;
  /** The "today" the corpus was written on, `YYYY-MM-DD`. Default `2026-11-01`. */
  asOf?: string;
  /** Years of history. Default 8. */
  years?: number;
  /** Taxonomy YAML text. Default: the bundled `content/taxonomy.yaml`. */
  taxonomyText?: string;
}

/** One generated file: path relative to the knowledge-base root (POSIX) and its text. */
export interface GeneratedFile {
  path: string;
  text: string;
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MINUTE = 60_000;

/** The bundled taxonomy's YAML text. */
export function bundledTaxonomyText(): string {
  return readFileSync(join(REPO_ROOT, TAXONOMY_FILE), 'utf8');
}

interface Playbook {
  id: string;
  mode: FailureMode;
  title: string;
  category: string;
  services: string[];
}

interface Incident {
  id: string;
  file: string;
  start: number;
  playbooks: Playbook[];
}

/** YAML double-quoted scalar (JSON strings are valid YAML). */
const q = (value: string): string => JSON.stringify(value);
const flow = (items: readonly string[]): string => `[${items.map(q).join(', ')}]`;
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const hhmm = (ms: number): string => new Date(ms).toISOString().slice(11, 16);
const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

function slugify(text: string, maxWords = 6): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .slice(0, maxWords)
    .join('-');
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => values[key] ?? match);
}

/** Weights by id; ids the table does not know get weight 1, so any taxonomy works. */
function weightsFor(ids: readonly string[], table: Record<string, number>): [string, number][] {
  return ids.map((id) => [id, table[id] ?? 1]);
}

/** Generate a knowledge base in memory: the taxonomy file and every document. Deterministic. */
export function generateCorpus(options: CorpusOptions): GeneratedFile[] {
  const taxonomyText = options.taxonomyText ?? bundledTaxonomyText();
  const parsed = parseTaxonomyText(taxonomyText);
  if (!parsed.ok) throw new Error(`taxonomy: ${parsed.error}`);
  const taxonomy = parsed.taxonomy;
  const random = createRandom(options.seed ?? 20261101);
  const asOf = Date.parse(`${options.asOf ?? '2026-11-01'}T00:00:00Z`);
  const files: GeneratedFile[] = [{ path: TAXONOMY_FILE, text: taxonomyText }];

  const playbooks = makePlaybooks(random, taxonomy, options.playbooks ?? 100);
  for (const playbook of playbooks) files.push(playbookFile(random, playbook, playbooks, asOf));

  const incidents = makeIncidents(random, options.postmortems, options.years ?? 8, asOf);
  const byPlaybook = new Map<string, Incident[]>();
  const ctx = { random, taxonomy, playbooks, asOf, byPlaybook };
  for (let i = 0; i < incidents.length; i++) {
    files.push(postmortemFile(ctx, incidents, i));
  }

  const pathCount = options.paths ?? 4;
  for (let i = 0; i < pathCount; i++) files.push(pathFile(random, i, playbooks, incidents));
  return files;
}

/** Write a generated knowledge base under `dir` (its `content/` is replaced). Returns the file count. */
export function writeCorpus(dir: string, options: CorpusOptions): { files: number; bytes: number } {
  const files = generateCorpus(options);
  rmSync(join(dir, 'content'), { recursive: true, force: true });
  const made = new Set<string>();
  let bytes = 0;
  for (const file of files) {
    const target = join(dir, file.path);
    const folder = dirname(target);
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    writeFileSync(target, file.text);
    bytes += Buffer.byteLength(file.text);
  }
  return { files: files.length, bytes };
}

// ---------------------------------------------------------------------------------------------
// Playbooks

function makePlaybooks(random: Random, taxonomy: Taxonomy, count: number): Playbook[] {
  const services = taxonomy.services.map((s) => s.id);
  const categories = new Set(taxonomy.categories.filter((c) => !c.draft_only).map((c) => c.id));
  const fallbackCategory = [...categories][0] ?? 'software-bug';
  const out: Playbook[] = [];
  for (let i = 0; i < count; i++) {
    const mode = FAILURE_MODES[i % FAILURE_MODES.length] as FailureMode;
    const round = Math.floor(i / FAILURE_MODES.length);
    const focus =
      round === 0 ? undefined : (services[(i * 7 + round) % Math.max(1, services.length)] ?? `area-${round}`);
    const id = focus ? `${mode.id}-${focus}` : mode.id;
    const serviceName = focus ? (taxonomy.services.find((s) => s.id === focus)?.name ?? focus) : undefined;
    out.push({
      id,
      mode,
      title: serviceName ? `${mode.title} in the ${serviceName.toLowerCase()}` : mode.title,
      category: categories.has(mode.category) ? mode.category : fallbackCategory,
      services: focus && services.includes(focus) ? [focus] : random.sample(services, random.int(1, 3)),
    });
  }
  return out;
}

function playbookFile(random: Random, playbook: Playbook, all: readonly Playbook[], asOf: number): GeneratedFile {
  const { mode } = playbook;
  const sameCategory = all.filter((p) => p !== playbook && p.category === playbook.category);
  const related = random.sample(sameCategory, random.int(0, 4)).map((p) => p.id);
  const reviewedDaysAgo = random.chance(0.92) ? random.int(3, 170) : random.int(190, 500);
  const owners = random.sample(TEAMS, random.int(1, 2));
  const symptoms = [
    mode.symptom,
    `Alerts for ${playbook.services.join(' and ')} fire together within a few minutes`,
    ...(random.chance(0.6) ? ['Support reports a rise in tickets that mention errors or slowness'] : []),
    ...(random.chance(0.4) ? ['Error budget burn rate alert at 14x for the fast window'] : []),
  ];
  const signatures = [
    mode.signature,
    ...(random.chance(0.5) ? [`${mode.signature} (request_id=9f1c2e7a, attempt=3)`] : []),
  ];
  const tags = random.sample(TAGS, random.int(1, 4));
  const frontmatter = [
    '---',
    `id: ${playbook.id}`,
    `title: ${q(playbook.title)}`,
    'status: published',
    `summary: ${q(`${mode.title}: ${lowerFirst(mode.mechanism)}. How to confirm it, stop the bleeding and fix it for good.`)}`,
    `category: ${playbook.category}`,
    'symptoms:',
    ...symptoms.map((s) => `  - ${q(s)}`),
    'error_signatures:',
    ...signatures.map((s) => `  - ${q(s)}`),
    `related: ${flow(related)}`,
    `services: ${flow(playbook.services)}`,
    `owners: ${flow(owners)}`,
    `last_reviewed: ${q(day(asOf - reviewedDaysAgo * 1440 * MINUTE))}`,
    `tags: ${flow(tags)}`,
    '---',
  ];
  const service = playbook.services[0] ?? 'the service';
  const body: string[] = [
    '',
    `${mode.title} is one of the failure modes we see most in ${playbook.services.join(', ')}. In short: ${lowerFirst(mode.mechanism)}.`,
    'This playbook is for the responder who was just paged: confirm first, then mitigate, and leave the lasting fix for daylight.',
    '',
    `## ${REQUIRED_SECTIONS.playbook[0] ?? 'Confirm'}`,
    '',
    `Look for the signature in the logs of ${service}:`,
    '',
    '```text',
    mode.signature,
    '```',
    '',
    'Then check, in this order:',
    '',
    `1. The request rate and error rate of ${service} over the last hour, split by endpoint.`,
    '2. Whether a deploy, a configuration change or a flag change happened in the hour before impact started.',
    `3. The saturation dashboards for the dependencies of ${service}: connections, CPU, queue depth.`,
    '4. Whether other services that share the dependency show the same symptom.',
    '',
  ];
  for (let i = 0, n = random.int(3, 9); i < n; i++) {
    body.push(
      `If ${lowerFirst(random.pick(['the graphs', 'the error-rate panels', 'the latency percentiles', 'the saturation panels']))} ${random.pick(['look flat', 'rose sharply', 'climb steadily', 'move in steps'])}, ${random.pick(['you are probably looking at a different failure mode; check the related playbooks', 'this playbook applies; go on to mitigation', 'collect one example request id before changing anything', 'page the owning team now rather than later'])}.`,
      '',
    );
  }
  body.push(
    `## ${REQUIRED_SECTIONS.playbook[1] ?? 'Mitigate now'}`,
    '',
    `${mode.mitigation}. Announce each step in the incident channel before you take it.`,
    '',
    '```sh',
    `kubectl -n ${service} rollout status deploy/${service}`,
    `kubectl -n ${service} scale deploy/${service} --replicas=${random.int(4, 24)}`,
    '```',
    '',
    '- Watch the error rate for five minutes after each step; one change at a time.',
    '- If the mitigation does not help within fifteen minutes, escalate to the owning team.',
    '- Write down what you changed, with times, for the postmortem timeline.',
    '',
  );
  if (random.chance(1 / 6)) {
    body.push(
      '```mermaid',
      'flowchart TD',
      '  A[Paged] --> B{Signature in logs?}',
      '  B -- yes --> C[Mitigate now]',
      '  B -- no --> D[Check related playbooks]',
      '  C --> E{Error rate back to normal?}',
      '  E -- yes --> F[Hand over, write the postmortem]',
      '  E -- no --> G[Escalate to the owning team]',
      '```',
      '',
    );
  }
  body.push(`## ${REQUIRED_SECTIONS.playbook[2] ?? 'Fix for good'}`, '', `${mode.fix}.`, '');
  body.push(
    `Why it happens: ${lowerFirst(mode.mechanism)}. The limit is rarely visible on the dashboards people open first, which is why the symptom (${lowerFirst(mode.symptom)}) is usually the first clue.`,
    '',
  );
  for (const line of random.sample(
    [
      'Add an alert on the leading signal, not on the outage itself',
      'Write a load test that reproduces the condition',
      'Document the limit next to the code that depends on it',
      'Add a dashboard panel for the saturation metric',
      'Review the timeouts and retry budgets of every caller',
      'Schedule a game day that exercises this failure mode',
      'Record the limit in the capacity plan and review it quarterly',
    ],
    random.int(3, 7),
  )) {
    body.push(`- ${line}.`);
  }
  if (related.length > 0) {
    body.push('', `Related: ${related.map((id) => `[[${id}]]`).join(', ')}.`);
  }
  body.push('');
  return { path: `content/playbooks/${playbook.id}.md`, text: `${frontmatter.join('\n')}\n${body.join('\n')}` };
}

// ---------------------------------------------------------------------------------------------
// Postmortems

/** Start times over `years` with growth (more incidents recently), sorted; ids numbered per year. */
function makeIncidents(random: Random, count: number, years: number, asOf: number): Incident[] {
  const span = years * 365 * 1440 * MINUTE;
  const growth = 1.2; // density ∝ e^(growth·t), t ∈ [0, 1]
  const starts: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = Math.log(1 + random.next() * (Math.exp(growth) - 1)) / growth;
    // Leave the last two days empty so nothing is "in the future" for a validator run today.
    const at = asOf - 2 * 1440 * MINUTE - span + t * span;
    starts.push(Math.floor(at / MINUTE) * MINUTE);
  }
  starts.sort((a, b) => a - b);
  const perYear = new Map<number, number>();
  return starts.map((start) => {
    const year = new Date(start).getUTCFullYear();
    const n = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, n);
    const id = `INC-${year}-${String(n).padStart(3, '0')}`;
    return { id, file: '', start, playbooks: [] };
  });
}

interface PostmortemContext {
  random: Random;
  taxonomy: Taxonomy;
  playbooks: readonly Playbook[];
  asOf: number;
  /** Earlier incidents by playbook id, for `related` and links. */
  byPlaybook: Map<string, Incident[]>;
}

const SEVERITY_WEIGHTS: Record<string, number> = { SEV1: 4, SEV2: 18, SEV3: 46, SEV4: 32 };
const CATEGORY_WEIGHTS: Record<string, number> = {
  'software-bug': 40,
  configuration: 22,
  'infrastructure-limit': 15,
  'third-party-change': 13,
  'usage-growth': 10,
};
const DETECTION_WEIGHTS: Record<string, number> = {
  alert: 55,
  'synthetic-check': 10,
  'customer-report': 18,
  'internal-report': 9,
  'vendor-notice': 4,
  audit: 4,
};

function postmortemFile(ctx: PostmortemContext, incidents: Incident[], index: number): GeneratedFile {
  const { random, taxonomy, asOf } = ctx;
  const incident = incidents[index] as Incident;
  const recent = index >= incidents.length - Math.max(1, Math.round(incidents.length * 0.04));
  const status = recent
    ? random.weighted([
        ['draft', 1],
        ['in-review', 1],
        ['published', 2],
      ] as const)
    : 'published';

  const publishable = taxonomy.categories.filter((c) => !c.draft_only).map((c) => c.id);
  const unknown = taxonomy.categories.find((c) => c.draft_only)?.id;
  let category = random.weighted(weightsFor(publishable, CATEGORY_WEIGHTS));
  const severity = random.weighted(
    weightsFor(
      taxonomy.severities.map((s) => s.id),
      SEVERITY_WEIGHTS,
    ),
  );
  const severityRank = taxonomy.severities.find((s) => s.id === severity)?.rank ?? 3;
  const detection = random.weighted(
    weightsFor(
      taxonomy.detection_sources.map((d) => d.id),
      DETECTION_WEIGHTS,
    ),
  );

  // Failure modes: Zipf over the playbooks of this category, so a few recur a lot.
  const candidates = ctx.playbooks.filter((p) => p.category === category);
  const pool = candidates.length > 0 ? candidates : ctx.playbooks;
  const modeCount = random.weighted([
    [0, 1],
    [1, 6],
    [2, 3],
    [3, 1],
  ] as const);
  const modes = new Set<Playbook>();
  for (let i = 0; i < modeCount * 2 && modes.size < modeCount; i++)
    modes.add(pool[random.zipf(pool.length, 1.05)] as Playbook);
  incident.playbooks = [...modes];
  // tsc (noUncheckedIndexedAccess) needs this assertion; the lint rule's type view disagrees and
  // its autofix breaks the type check, so it is silenced for this line only.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
  const primary = incident.playbooks[0] ?? (pool[random.zipf(pool.length)] as Playbook);
  if (status === 'draft' && unknown && random.chance(0.3)) category = unknown;

  const serviceIds = taxonomy.services.map((s) => s.id);
  const services = [...new Set([...primary.services.slice(0, 1), ...random.sample(serviceIds, random.int(0, 2))])];
  if (services.length === 0) services.push(random.pick(serviceIds.length > 0 ? serviceIds : ['web-frontend']));
  const serviceName = (id: string): string => taxonomy.services.find((s) => s.id === id)?.name ?? id;
  const mainService = serviceName(services[0] as string);
  const other = serviceName(random.pick(serviceIds.length > 0 ? serviceIds : ['event-bus']));

  // Times: detection minutes after start, mitigation and resolution later; worse = longer.
  // Nothing may happen after "today": the latest incidents start two days before it.
  const cap = Math.floor((asOf - incident.start) / MINUTE) - 60;
  const ttd = Math.min(
    cap - 2,
    Math.max(1, Math.round(random.logNormal(detection === 'customer-report' ? 25 : 6, 0.9))),
  );
  const ttm = Math.min(cap - 1, ttd + Math.max(3, Math.round(random.logNormal(25 + 20 / severityRank, 0.8))));
  const ttr = Math.min(cap, ttm + Math.max(10, Math.round(random.logNormal(240, 1.2))));
  const started = incident.start;
  const detected = started + ttd * MINUTE;
  const mitigated = started + ttm * MINUTE;
  const resolved = started + ttr * MINUTE;
  const isResolved = status === 'published' || random.chance(0.5);

  const title = `${primary.mode.title} in the ${mainService} ${random.pick(['during peak traffic', 'after a deploy', 'overnight', 'for one region', 'for enterprise customers', 'at month end', 'during a failover', 'after a vendor change'])}`;
  const slug = slugify(`${primary.mode.id.split('-').slice(0, 3).join(' ')} ${services[0] ?? ''}`);
  incident.file = `${incident.id}-${slug}.md`;

  const related: Incident[] = [];
  for (const playbook of incident.playbooks) {
    const earlier = ctx.byPlaybook.get(playbook.id);
    if (earlier && earlier.length > 0 && random.chance(0.35)) {
      const pick = earlier[earlier.length - 1 - random.int(0, Math.min(20, earlier.length - 1))] as Incident;
      if (!related.includes(pick)) related.push(pick);
    }
  }
  // Only published incidents are linked to: a published page must not point at a draft.
  for (const playbook of status === 'published' ? incident.playbooks : []) {
    const list = ctx.byPlaybook.get(playbook.id) ?? [];
    list.push(incident);
    ctx.byPlaybook.set(playbook.id, list);
  }

  const usersAffected = Math.round(random.logNormal(4000 / severityRank, 1.5));
  const requestsFailed = Math.round(usersAffected * random.logNormal(6, 0.8));
  const trigger = fill(random.pick(TRIGGERS[category] ?? TRIGGERS['software-bug'] ?? ['A deploy']), {
    service: services[0] ?? 'the service',
    n: String(random.int(100, 999)),
  });
  const impactSummary = `${capitalise(lowerFirst(primary.mode.symptom))}; ${random.pick(['users saw errors', 'pages loaded slowly or not at all', 'some requests failed after a long wait', 'a share of operations had to be retried by hand'])} for ${ttm} minutes.`;

  const people = random.sample(PEOPLE, 4);
  const authors = people.slice(0, random.int(1, 2));
  const reviewers = status === 'draft' ? [] : people.slice(2, 2 + random.int(1, 2));
  const tags = random.sample(TAGS, random.int(1, 4));

  const values = {
    service: mainService,
    other,
    mode: primary.id,
    mechanism: primary.mode.mechanism,
    symptom_lower: lowerFirst(primary.mode.symptom),
  };
  const actionItems: string[] = [];
  const itemCount = status === 'draft' ? random.int(0, 3) : random.int(1, 6);
  for (let i = 0; i < itemCount; i++) {
    const dueMs = started + random.int(14, 120) * 1440 * MINUTE;
    const overdueLikely = dueMs < asOf;
    const itemStatus = overdueLikely
      ? random.weighted([
          ['done', 90],
          ['wont-do', 6],
          ['open', 3],
          ['in-progress', 1],
        ] as const)
      : random.weighted([
          ['open', 50],
          ['in-progress', 30],
          ['done', 20],
        ] as const);
    const kind = random.weighted([
      ['prevent', 4],
      ['detect', 3],
      ['mitigate', 2],
      ['process', 1],
    ] as const);
    const itemTitle = fill(
      random.pick(
        {
          prevent: [
            primary.mode.fix,
            `Add a load test for ${lowerFirst(primary.mode.title)} in {service}`,
            `Set explicit limits and timeouts on every caller of {other}`,
          ],
          detect: [
            `Alert on ${lowerFirst(primary.mode.symptom.split(' and ')[0] ?? 'the leading signal')}`,
            'Add a saturation panel to the {service} dashboard',
            'Page the owning team of {service} directly',
          ],
          mitigate: [
            `Automate: ${lowerFirst(primary.mode.mitigation)}`,
            'Add a kill switch for retries in {service}',
            'Document the rollback for {service} in its runbook',
          ],
          process: [
            `Update the {service} runbook with the lessons from ${incident.id}`,
            'Review change approvals for {service}',
            'Run a game day on this failure mode',
          ],
        }[kind],
      ),
      values,
    );
    actionItems.push(
      `  - title: ${q(itemTitle)}`,
      `    owner: ${q(random.pick(TEAMS))}`,
      `    due: ${q(day(dueMs))}`,
      `    status: ${itemStatus}`,
      `    kind: ${kind}`,
      ...(random.chance(0.7)
        ? [
            `    ticket: ${q(`https://tracker.example.com/${(services[0] ?? 'ops').split('-')[0]?.toUpperCase()}-${random.int(10, 9999)}`)}`,
          ]
        : []),
    );
  }

  const frontmatter = [
    '---',
    `id: ${incident.id}`,
    `title: ${q(title)}`,
    `status: ${status}`,
    `summary: ${q(`${capitalise(lowerFirst(primary.mode.symptom))}. ${capitalise(primary.mode.mechanism)}. Impact lasted ${ttm} minutes.`)}`,
    `severity: ${severity}`,
    `category: ${category}`,
    `trigger: ${q(trigger)}`,
    `services: ${flow(services)}`,
    `started: ${q(iso(started))}`,
    `detected: ${q(iso(detected))}`,
    `mitigated: ${q(iso(mitigated))}`,
    ...(isResolved ? [`resolved: ${q(iso(resolved))}`] : []),
    `detection: ${detection}`,
    'impact:',
    `  summary: ${q(impactSummary)}`,
    `  users_affected: ${usersAffected}`,
    `  requests_failed: ${requestsFailed}`,
    ...(random.chance(0.6)
      ? [`  slo_budget_burned: ${Math.round(random.logNormal(20 / severityRank, 1) * 10) / 10}`]
      : []),
    `  data_loss: ${random.chance(0.03)}`,
    `failure_modes: ${flow(incident.playbooks.map((p) => p.id))}`,
    `related: ${flow(related.map((r) => r.id))}`,
    ...(actionItems.length > 0 ? ['action_items:', ...actionItems] : ['action_items: []']),
    `authors: ${flow(authors)}`,
    `reviewers: ${flow(reviewers)}`,
    `tags: ${flow(tags)}`,
    '---',
  ];

  // Body: target a log-normal size so most land between 1.5 and 6 KB.
  const targetBytes = Math.min(6000, Math.max(1500, random.logNormal(2900, 0.42)));
  const sections = REQUIRED_SECTIONS.postmortem;
  const section = (name: string, fallbackIndex: number): string =>
    `## ${sections.find((s) => s === name) ?? sections[fallbackIndex] ?? name}`;

  const timeline: string[] = ['| Time (UTC) | Event |', '| ---------- | ----- |'];
  const events: [number, string][] = [
    [started, `Impact starts: ${lowerFirst(primary.mode.symptom)} (started)`],
    [
      detected,
      `${detection === 'customer-report' ? 'First customer ticket reaches the on-call engineer' : 'Alert pages the on-call engineer'}, who acknowledges it (detected)`,
    ],
    [mitigated, `${primary.mode.mitigation}; error rate back to normal (mitigated)`],
  ];
  const steps = random.sample(
    [
      `Incident channel opened; the on-call engineer takes command`,
      `Dashboards for ${mainService} show the error rate at ${random.int(2, 60)} %`,
      `Suspected the last deploy of ${mainService}; rollback started`,
      `Rollback finished; no change in error rate`,
      `Owning team for ${other} paged to rule out their side`,
      `Found the signature \`${primary.mode.signature}\` in the logs`,
      `Status page updated: degraded performance`,
      `Decided to apply the playbook for [[${primary.id}]]`,
      `Traffic shifted away from the affected region`,
      `Customer support reports ${random.int(5, 400)} tickets so far`,
      `Second responder joins and takes over communication`,
      `Error rate partly recovers, then climbs again`,
      `Queue depth for ${other} starts to fall`,
    ],
    random.int(3, 12),
  );
  steps.forEach((text, i) => {
    const at = detected + Math.round(((i + 1) / (steps.length + 1)) * (mitigated - detected));
    events.push([Math.floor(at / MINUTE) * MINUTE, text]);
  });
  if (isResolved) events.push([resolved, 'Root cause addressed, monitoring period over; incident closed (resolved)']);
  events.sort((a, b) => a[0] - b[0]);
  for (const [at, text] of events)
    timeline.push(`| ${day(at) === day(started) ? hhmm(at) : `${day(at)} ${hhmm(at)}`} | ${text} |`);

  const summaryParas = [
    `On ${day(started)} at ${hhmm(started)} UTC, ${lowerFirst(primary.mode.symptom)} in the ${mainService}. ${capitalise(primary.mode.mechanism)}.`,
    `The ${detection === 'customer-report' ? 'first signal came from customers' : 'on-call engineer was paged'} ${ttd} minutes after impact started, and impact ended ${ttm} minutes after it started, when we could ${lowerFirst(primary.mode.mitigation)}.`,
  ];
  const impactParas = [
    `About ${usersAffected.toLocaleString('en-US')} users were affected and ${requestsFailed.toLocaleString('en-US')} requests failed, from the gateway dashboard. ${random.chance(0.5) ? `The ${other} was not affected.` : 'No data was lost.'}`,
  ];
  const factorLines: string[] = [];
  const wentWell: string[] = [];
  const lucky: string[] = [];
  const extra: string[] = [];
  const linkLine = (): string => {
    const choices: string[] = [];
    const playbook = random.pick(incident.playbooks.length > 0 ? incident.playbooks : [primary]);
    choices.push(`This matches the failure mode described in [[${playbook.id}]].`);
    choices.push(`See the playbook [${playbook.mode.title.toLowerCase()}](../playbooks/${playbook.id}.md).`);
    const earlier = related[0];
    if (earlier) {
      choices.push(`We saw the same pattern in [[${earlier.id}]].`);
      choices.push(`The previous occurrence is written up in [${earlier.id}](${earlier.file}).`);
    }
    return random.pick(choices);
  };

  let size = timeline.join('\n').length + summaryParas.join(' ').length + impactParas.join(' ').length + 250;
  const grow = (target: string[], line: string): void => {
    target.push(line);
    size += line.length + 3;
  };
  grow(factorLines, `- ${fill(FACTOR_LEADS[0] as string, values)} ${linkLine()}`);
  grow(wentWell, `- ${fill(random.pick(WENT_WELL), values)}`);
  grow(lucky, `- ${random.pick(LUCKY)}`);
  let rounds = 0;
  while (size < targetBytes && rounds < 40) {
    rounds += 1;
    const roll = random.next();
    if (roll < 0.45)
      grow(factorLines, `- ${fill(random.pick(FACTOR_LEADS), values)}${random.chance(0.3) ? ` ${linkLine()}` : ''}`);
    else if (roll < 0.6) grow(wentWell, `- ${fill(random.pick(WENT_WELL), values)}`);
    else if (roll < 0.7) grow(lucky, `- ${random.pick(LUCKY)}`);
    else if (roll < 0.85)
      grow(
        summaryParas,
        `${random.pick(['The investigation took longer than it should have because', 'Responders first suspected', 'What made this hard to see was that', 'Once the signature was found,'])} ${lowerFirst(fill(random.pick(FACTOR_LEADS), values))}`,
      );
    else
      grow(
        extra,
        `${random.pick(['In hindsight', 'Looking at the graphs afterwards', 'Talking to the responders'])}, ${lowerFirst(fill(random.pick(FACTOR_LEADS), values))} ${linkLine()}`,
      );
  }

  const body: string[] = [
    '',
    section('Summary', 0),
    '',
    summaryParas.join(' '),
    '',
    section('Impact', 1),
    '',
    ...impactParas,
    '',
    section('Timeline', 2),
    '',
    ...timeline,
    '',
    section('Contributing factors', 3),
    '',
    ...factorLines,
    '',
  ];
  if (extra.length > 0) body.push('### Analysis', '', extra.join(' '), '');
  if (random.chance(1 / 12)) {
    body.push(
      '```mermaid',
      'sequenceDiagram',
      `  participant C as Client`,
      `  participant S as ${mainService}`,
      `  participant D as ${other}`,
      '  C->>S: request',
      '  S->>D: call (no timeout)',
      '  D--xS: slow or failing',
      '  S--xC: error after retries',
      '```',
      '',
    );
  }
  body.push(section('What went well', 4), '', ...wentWell, '', section('Where we got lucky', 5), '', ...lucky, '');
  // Any required section the vocabulary above does not know (a customised list) still appears.
  const known = new Set([
    'Summary',
    'Impact',
    'Timeline',
    'Contributing factors',
    'What went well',
    'Where we got lucky',
  ]);
  for (const name of sections) if (!known.has(name)) body.push(`## ${name}`, '', 'Nothing further to add.', '');
  body.push('## Action items', '', 'Tracked in the action items listed with this postmortem.', '');

  return { path: `content/postmortems/${incident.file}`, text: `${frontmatter.join('\n')}\n${body.join('\n')}` };
}

// ---------------------------------------------------------------------------------------------
// Paths

function pathFile(
  random: Random,
  index: number,
  playbooks: readonly Playbook[],
  incidents: readonly Incident[],
): GeneratedFile {
  const themes = [
    'production-101',
    'payments-on-call',
    'data-platform-basics',
    'edge-and-identity',
    'capacity-planning',
    'vendor-risk',
  ];
  const id = themes[index] ?? `onboarding-path-${index + 1}`;
  const steps: string[] = [];
  const published = incidents.filter((_, i) => i < incidents.length * 0.9);
  for (let i = 0, n = random.int(5, 10); i < n; i++) {
    const usePlaybook = random.chance(0.5) || published.length === 0;
    const doc = usePlaybook
      ? (playbooks[random.zipf(playbooks.length)] as Playbook).id
      : random.pick<Incident>(published).id;
    if (steps.some((s) => s.includes(`"${doc}"`))) continue;
    steps.push(
      `  - doc: ${q(doc)}`,
      `    note: ${q(usePlaybook ? 'Read the confirm section twice: this is what you will check at night.' : 'A real incident: notice how long detection took, and why.')}`,
    );
  }
  const title = capitalise(id.replace(/-/g, ' '));
  const text = [
    '---',
    `id: ${id}`,
    `title: ${q(`${title}: a reading path`)}`,
    'status: published',
    `summary: ${q(`What a new engineer should read first about ${title.toLowerCase()}, in order, with why each matters.`)}`,
    `audience: ${q('New engineers joining an on-call rotation')}`,
    `estimated_minutes: ${random.int(30, 180)}`,
    'steps:',
    ...steps,
    `owners: ${flow(random.sample(TEAMS, 1))}`,
    `tags: ${flow(random.sample(TAGS, 2))}`,
    '---',
    '',
    'Read these in order. Each step says what to take from it; ask in the on-call channel when something is unclear.',
    '',
  ].join('\n');
  return { path: `content/paths/${id}.md`, text };
}

// ---------------------------------------------------------------------------------------------
// Command line

function main(): void {
  const { values } = parseArgs({
    options: {
      postmortems: { type: 'string', default: '1000' },
      playbooks: { type: 'string', default: '100' },
      paths: { type: 'string', default: '4' },
      seed: { type: 'string', default: '20261101' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.out) {
    console.log(
      'Usage: node scripts/bench/generate.ts --out <folder> [--postmortems 1000] [--playbooks 100] [--paths 4] [--seed N]',
    );
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const started = performance.now();
  const result = writeCorpus(resolve(values.out), {
    postmortems: Number(values.postmortems),
    playbooks: Number(values.playbooks),
    paths: Number(values.paths),
    seed: Number(values.seed),
  });
  console.log(
    `${result.files} files, ${(result.bytes / 1024 / 1024).toFixed(1)} MiB in ${values.out} (${Math.round(performance.now() - started)} ms)`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
