/**
 * The taxonomy: root-cause categories, severities, detection sources and known services.
 *
 * It is data in `content/taxonomy.yaml` so an organisation can adapt it; this module is the
 * schema that validates it. The document schemas (`./documents.ts`) take a parsed taxonomy and
 * build their enums from it, so there is exactly one list of valid values.
 */
import { z } from 'astro/zod';

/** A lowercase, dash-separated identifier, e.g. `software-bug` or `checkout-api`. */
export const slugSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected a lowercase slug such as "checkout-api"')
  .max(80);

const definition = z.string().min(1).describe('What this means, in a sentence or three a new hire understands.');

export const categorySchema = z.strictObject({
  /** Stable id written in postmortems, e.g. `third-party-change`. */
  id: slugSchema.describe('Stable id written in postmortems, e.g. "third-party-change".'),
  /** Human label, e.g. "Third-party change". */
  label: z.string().min(1).describe('Human label, e.g. "Third-party change".'),
  /** One line shown next to the category on postmortem pages. */
  summary: z.string().min(1).describe('One line shown next to the category on postmortem pages.'),
  /** The full definition shown on the category page. */
  definition,
  /** When true, only drafts may use this category (the `unknown` placeholder). Default false. */
  draft_only: z.boolean().default(false).describe('When true, only drafts may use this category. Default false.'),
});

export const severitySchema = z.strictObject({
  /** Id written in postmortems, e.g. `SEV1`. */
  id: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'expected an id such as "SEV1"')
    .describe('Id written in postmortems, e.g. "SEV1".'),
  /** Order, 1 = most severe. */
  rank: z.number().int().min(1).describe('Order, 1 = most severe.'),
  label: z.string().min(1).describe('Human label, e.g. "SEV1 · Critical".'),
  definition,
});

export const detectionSourceSchema = z.strictObject({
  /** Id written in `detection:`, e.g. `alert` or `customer-report`. */
  id: slugSchema.describe('Id written in `detection:`, e.g. "alert".'),
  label: z.string().min(1),
  /** True when our own monitoring found it (alerts, synthetic checks). */
  monitoring: z
    .boolean()
    .describe('True when our own monitoring found it (alerts, synthetic checks), false otherwise.'),
  definition,
});

export const serviceSchema = z.strictObject({
  /** Id written in `services:`, e.g. `checkout-api`. */
  id: slugSchema.describe('Id written in `services:`, e.g. "checkout-api".'),
  name: z.string().min(1),
  /** Owning team, free text. */
  team: z.string().min(1).optional(),
  description: z.string().min(1).optional(),
});

function uniqueIds(list: readonly { id: string }[], ctx: z.RefinementCtx, field: string) {
  const seen = new Map<string, number>();
  list.forEach((item, index) => {
    const first = seen.get(item.id);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [field, index, 'id'],
        message: `duplicate id "${item.id}" (already used by ${field}[${first}])`,
      });
    } else {
      seen.set(item.id, index);
    }
  });
}

export const taxonomySchema = z
  .strictObject({
    categories: z.array(categorySchema).min(1),
    severities: z.array(severitySchema).min(1),
    detection_sources: z.array(detectionSourceSchema).min(1),
    services: z.array(serviceSchema).default([]),
  })
  .superRefine((t, ctx) => {
    uniqueIds(t.categories, ctx, 'categories');
    uniqueIds(t.severities, ctx, 'severities');
    uniqueIds(t.detection_sources, ctx, 'detection_sources');
    uniqueIds(t.services, ctx, 'services');
  });

export type Taxonomy = z.infer<typeof taxonomySchema>;
export type Category = z.infer<typeof categorySchema>;
export type Severity = z.infer<typeof severitySchema>;
export type DetectionSource = z.infer<typeof detectionSourceSchema>;
export type Service = z.infer<typeof serviceSchema>;

/** Where the taxonomy lives, relative to the knowledge-base root. */
export const TAXONOMY_FILE = 'content/taxonomy.yaml';
