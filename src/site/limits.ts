/**
 * How much a page lists before it links to a full list instead, so a failure mode seen in
 * 1,500 incidents still has a light playbook page.
 */
export const INCIDENTS_SHOWN = 30;

/**
 * How many incidents a category, severity, service, year or tag page lists, most recent first,
 * before linking to the full list (`HINDSIGHT_LIST_LIMIT` overrides it). At 10,000 postmortems
 * a busy tag's page listing every incident weighed 2 MB.
 */
export const FACET_INCIDENTS_SHOWN = 100;

/** `HINDSIGHT_LIST_LIMIT`, checked: a whole number of at least 1, else `FACET_INCIDENTS_SHOWN`. */
export function facetListLimit(value: string | undefined = process.env['HINDSIGHT_LIST_LIMIT']): number {
  if (value === undefined || value === '') return FACET_INCIDENTS_SHOWN;
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new Error(
      `HINDSIGHT_LIST_LIMIT must be a whole number of incidents, at least 1 (e.g. ${FACET_INCIDENTS_SHOWN}); found "${value}"`,
    );
  return Number(value);
}
