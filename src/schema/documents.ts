/**
 * Frontmatter schemas for the three document kinds: postmortems, playbooks and onboarding paths.
 *
 * `createSchemas(taxonomy)` builds them with enums taken from the taxonomy, so the valid
 * categories, severities, detection sources and services are defined once, as data. Astro's
 * content collections (`src/content.config.ts`), the `hindsight` CLI and the exported JSON
 * Schema (`hindsight schema`) all call this function; every TypeScript type below is inferred.
 *
 * Each field is documented twice on purpose in one place: a JSDoc comment for readers of this
 * file and `.describe()` for the JSON Schema, which editors show on hover.
 */
import { z } from 'astro/zod';
import { slugSchema, type Taxonomy } from './taxonomy.ts';

/** Postmortem ids: `INC-<year>-<number>`, e.g. `INC-2026-014`. */
export const POSTMORTEM_ID = /^INC-\d{4}-\d{3,}$/;

/**
 * A timestamp with a time zone, ISO 8601: `2026-03-04T02:14:00Z` or `2026-03-04T03:14:00+01:00`.
 * YAML parsers that turn timestamps into Date objects (Astro's) are accepted and normalised to
 * UTC; the CLI reads YAML 1.2 and so sees the text, zone and all, and insists on the zone.
 */
export const timestampSchema = z.preprocess(
  (value) => (value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : value),
  z.iso
    .datetime({ offset: true })
    .describe('Timestamp with a time zone, e.g. "2026-03-04T02:14:00Z" or "2026-03-04T03:14:00+01:00".'),
);

/** A calendar date, `YYYY-MM-DD`, e.g. `2026-04-30`. */
export const dateSchema = z.preprocess(
  (value) => (value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString().slice(0, 10) : value),
  z.iso.date().describe('A calendar date, YYYY-MM-DD, e.g. "2026-04-30".'),
);

/** Publication state shared by every kind. Only `published` reaches the production site. */
export const statusSchema = z
  .enum(['draft', 'in-review', 'published'])
  .describe('draft | in-review | published. Only published documents reach the production site.');

/** Action-item state. `open` and `in-progress` count as open in reports. */
export const actionStatusSchema = z
  .enum(['open', 'in-progress', 'done', 'wont-do'])
  .describe('open | in-progress | done | wont-do. Open and in-progress items count as open.');

/** What an action item is for: stop a recurrence, notice sooner, recover faster, or process. */
export const actionKindSchema = z
  .enum(['prevent', 'detect', 'mitigate', 'process'])
  .describe('prevent (stop it recurring) | detect (notice sooner) | mitigate (recover faster) | process.');

const title = z
  .string()
  .trim()
  .min(5, 'expected a descriptive title of at least 5 characters')
  .max(160)
  .describe('Title as it appears in lists and search results.');

const summary = z
  .string()
  .trim()
  .min(20, 'expected a summary of at least 20 characters')
  .max(1200)
  .describe('One to three sentences: what happened (or what this is), for lists and search.');

const tags = z.array(slugSchema).default([]).describe('Free-form lowercase tags, e.g. ["postgres", "retries"].');

const people = (what: string) => z.array(z.string().trim().min(1)).describe(what);

/**
 * Reviewed exceptions to the secret and personal-data scan: an exact string that looks sensitive
 * but was checked and may be published, with the reason.
 */
const allowlist = z
  .array(
    z.strictObject({
      match: z.string().min(1).describe('The exact text that was reviewed, e.g. "10.20.0.15".'),
      reason: z.string().min(10).describe('Why it may be published, e.g. "private address of a decommissioned host".'),
    }),
  )
  .default([])
  .describe('Reviewed exceptions to the secret and personal-data scan.');

function enumOf(ids: readonly string[], what: string, example: string) {
  const [first, ...rest] = ids;
  if (first === undefined) throw new Error(`taxonomy defines no ${what}`);
  return z.enum([first, ...rest]).describe(`${what}, from content/taxonomy.yaml, e.g. "${example}".`);
}

/** Build the document schemas for one taxonomy. */
export function createSchemas(taxonomy: Taxonomy) {
  const category = enumOf(
    taxonomy.categories.map((c) => c.id),
    'Root-cause category',
    taxonomy.categories[0]?.id ?? '',
  );
  const severity = enumOf(
    taxonomy.severities.map((s) => s.id),
    'Severity',
    taxonomy.severities[0]?.id ?? '',
  );
  const detection = enumOf(
    taxonomy.detection_sources.map((d) => d.id),
    'How the incident was first noticed',
    taxonomy.detection_sources[0]?.id ?? '',
  );
  const serviceIds = taxonomy.services.map((s) => s.id);
  const service =
    serviceIds.length > 0
      ? enumOf(serviceIds, 'Service', serviceIds[0] ?? '')
      : slugSchema.describe('Service id (the taxonomy lists none yet).');

  const actionItem = z.strictObject({
    /** What will be done, as a verb phrase: "Add a 5 s connect timeout to the tax client". */
    title: z.string().trim().min(5).describe('What will be done, e.g. "Add a 5 s connect timeout to the tax client".'),
    /** Who is accountable: a person or a team handle. */
    owner: z.string().trim().min(1).describe('Who is accountable: a person or team, e.g. "@payments-oncall".'),
    /** When it is due, YYYY-MM-DD. Open items past this date are reported as overdue. */
    due: dateSchema,
    status: actionStatusSchema,
    kind: actionKindSchema,
    /** Link to the tracking ticket: http(s) only (a `javascript:` URL would run when clicked). */
    ticket: z
      .url({ protocol: /^https?$/, error: 'expected an http(s) link, e.g. "https://tracker.example.com/PAY-142"' })
      .optional()
      .describe('Link to the tracking ticket, e.g. "https://tracker.example.com/PAY-142".'),
  });

  const postmortem = z.strictObject({
    /** Stable id, `INC-<year>-<number>`; the file is named after it. */
    id: z
      .string()
      .regex(POSTMORTEM_ID, 'expected an id such as "INC-2026-014"')
      .describe('Stable id, INC-<year>-<number>, e.g. "INC-2026-014". The file name starts with it.'),
    title,
    status: statusSchema,
    summary,
    severity,
    /** The root cause category: the heart of the model. `unknown` is allowed in drafts only. */
    category,
    /** What set it off: a deploy, a traffic spike, a certificate expiring, a vendor change. */
    trigger: z
      .string()
      .trim()
      .min(3)
      .describe('What set it off, e.g. "Deploy of checkout-api v412" or "Monthly invoicing run".'),
    /** Services involved, ids from the taxonomy. */
    services: z
      .array(service)
      .min(1, 'expected at least one service')
      .describe('Services involved, ids from the taxonomy.'),
    /** When impact began. */
    started: timestampSchema,
    /** When a human knew (page acknowledged, report triaged). */
    detected: timestampSchema.optional(),
    /** When user impact stopped (rollback, failover, limit raised). */
    mitigated: timestampSchema.optional(),
    /** When the incident was closed: root cause addressed or risk accepted. */
    resolved: timestampSchema.optional(),
    detection,
    impact: z
      .strictObject({
        /** What users saw, in their words. */
        summary: z
          .string()
          .trim()
          .min(10)
          .describe('What users experienced, e.g. "Checkout returned HTTP 500 for 38% of attempts".'),
        users_affected: z.number().int().min(0).optional().describe('Users affected (estimate), e.g. 12000.'),
        requests_failed: z.number().int().min(0).optional().describe('Failed requests (estimate), e.g. 48210.'),
        /** Share of the period's error budget consumed, in percent (can exceed 100). */
        slo_budget_burned: z
          .number()
          .min(0)
          .max(10000)
          .optional()
          .describe('Share of the error budget consumed, in percent; may exceed 100. e.g. 35.'),
        /** Was data lost or corrupted? */
        data_loss: z.boolean().describe('Was data lost or corrupted? true | false.'),
      })
      .describe('What the incident cost.'),
    /** Playbook ids of the failure modes involved. */
    failure_modes: z
      .array(slugSchema)
      .default([])
      .describe('Playbook ids of the failure modes involved, e.g. ["retry-storm"].'),
    /** Related postmortem ids. */
    related: z
      .array(z.string().regex(POSTMORTEM_ID, 'expected a postmortem id such as "INC-2025-031"'))
      .default([])
      .describe('Related postmortem ids, e.g. ["INC-2025-031"].'),
    action_items: z.array(actionItem).default([]).describe('Follow-up work, each with an owner and a due date.'),
    authors: people('Who wrote it, e.g. ["Dana Okafor"].').min(1, 'expected at least one author'),
    reviewers: people('Who reviewed it (required to publish).').default([]),
    tags,
    allowlist,
  });

  const playbook = z.strictObject({
    /** Slug id; the file is `content/playbooks/<id>.md`. */
    id: slugSchema.describe('Slug id; the file is content/playbooks/<id>.md, e.g. "connection-pool-exhaustion".'),
    title,
    status: statusSchema,
    summary,
    /** The root-cause category this failure mode usually falls under. */
    category,
    /** What a responder sees: dashboards, alerts, user reports. */
    symptoms: z
      .array(z.string().trim().min(5))
      .min(1, 'expected at least one symptom')
      .describe('What a responder sees: alerts, dashboards, user reports.'),
    /** Literal log lines and error messages, as a responder would paste them into search. */
    error_signatures: z
      .array(z.string().trim().min(5))
      .default([])
      .describe('Literal error messages and log lines, e.g. "FATAL: sorry, too many clients already".'),
    related: z.array(slugSchema).default([]).describe('Related playbook ids.'),
    services: z.array(service).default([]).describe('Services where this failure mode is most likely.'),
    owners: people('Who keeps this playbook current.').min(1, 'expected at least one owner'),
    /** When someone last checked this playbook against reality. */
    last_reviewed: dateSchema,
    tags,
    allowlist,
  });

  const pathStep = z.strictObject({
    /** Id of a postmortem, playbook or another path. */
    doc: z.string().min(1).describe('Id of a postmortem, playbook or path, e.g. "retry-storm".'),
    /** Why read this now: what the reader should take from it. */
    note: z.string().trim().min(10).describe('Why read this now, and what to take from it.'),
  });

  const path = z.strictObject({
    id: slugSchema.describe('Slug id; the file is content/paths/<id>.md, e.g. "production-101".'),
    title,
    status: statusSchema,
    summary,
    /** Who this is for, e.g. "New backend engineers, first week". */
    audience: z.string().trim().min(3).describe('Who this is for, e.g. "New backend engineers, first week".'),
    estimated_minutes: z.number().int().min(1).max(6000).optional().describe('Reading time, in minutes.'),
    steps: z.array(pathStep).min(1, 'expected at least one step').describe('Ordered reading list.'),
    owners: people('Who keeps this path current.').default([]),
    tags,
    allowlist,
  });

  return { postmortem, playbook, path, actionItem };
}

export type Schemas = ReturnType<typeof createSchemas>;
export type PostmortemData = z.infer<Schemas['postmortem']>;
export type PlaybookData = z.infer<Schemas['playbook']>;
export type PathData = z.infer<Schemas['path']>;
export type ActionItem = z.infer<Schemas['actionItem']>;
export type DocStatus = z.infer<typeof statusSchema>;

/** The three document kinds and the folder each lives in under `content/`. */
export const KINDS = {
  postmortem: 'postmortems',
  playbook: 'playbooks',
  path: 'paths',
} as const;
export type Kind = keyof typeof KINDS;
