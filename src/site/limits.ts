/**
 * How much a page lists before it links to a full list instead, so a failure mode seen in
 * 1,500 incidents still has a light playbook page.
 */
export const INCIDENTS_SHOWN = 30;
