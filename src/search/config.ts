/**
 * The search contract shared by the indexing side (`SearchMeta.astro`, the Astro integration)
 * and the browser side (the /search/ page): filter names, sort keys, content weights and
 * Pagefind ranking options. Pure data: imported by build code and bundled into the client.
 */

/** Pagefind filters every document page carries (where they apply), in the order shown as chips. */
export const FILTER_KEYS = ['kind', 'severity', 'category', 'service', 'year', 'tag', 'status'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

/** Human names of the filters, for chip groups and the no-JavaScript form. */
export const FILTER_LABELS: Record<FilterKey, string> = {
  kind: 'Kind',
  severity: 'Severity',
  category: 'Category',
  service: 'Service',
  year: 'Year',
  tag: 'Tag',
  status: 'Status',
};

/**
 * Sort orders offered to the user. `relevance` is Pagefind's ranking; the others reorder the
 * results in the browser (`sort.ts`) by the keys `SearchMeta.astro` emits (`data-sort-date`: ISO
 * date, postmortem start or playbook review; `data-sort-severity`: the severity's rank, 1 =
 * worst, postmortems only), which the indexer gathers into `pagefind/hindsight-sort.json`.
 */
export const SORTS = {
  relevance: { label: 'Best match' },
  newest: { label: 'Newest first' },
  oldest: { label: 'Oldest first' },
  severity: { label: 'Most severe first' },
} as const satisfies Record<string, { label: string }>;
export type SortId = keyof typeof SORTS;

/**
 * Content weights (Pagefind `data-pagefind-weight`, 0–10; body text is 1, an `<h1>` 7).
 * Error signatures and symptoms are what a responder searches with, so they outrank everything
 * but the title; a postmortem's summary, trigger and impact outrank its long narrative.
 */
export const WEIGHTS = {
  /** Normalised error signatures of a playbook. */
  signatures: 10,
  /** A playbook's symptoms, as written. */
  symptoms: 6,
  /** Summary of any document, a postmortem's trigger and impact. */
  summary: 3,
} as const;

/**
 * Pagefind ranking options, passed to `pagefind.options({ ranking })` by every client (the
 * search page and the relevance benchmark), so what is measured is what users get.
 *
 * `metaWeights`: a match in the title counts most; `signatures` (the normalised error signatures,
 * also a metadata field) boosts the playbook whose signature covers a pasted line; fields that
 * only exist for display carry no weight, so a query "2026" or "playbook" does not rank by them.
 */
export const RANKING = {
  termFrequency: 0.8,
  pageLength: 0.5,
  termSaturation: 1.4,
  termSimilarity: 1.0,
  metaWeights: { title: 6, signatures: 4, date: 0, id: 2 },
} as const;

/**
 * How many results to render per "page" of the results list ("Show more" loads the next). Each
 * result costs a fragment request of a few kilobytes; a responder reads the first handful.
 */
export const PAGE_SIZE = 10;

/**
 * Files the indexer writes next to Pagefind's in the bundle folder: the index profile every
 * search loads (`plan.ts`) and the sort order loaded by those who sort (`sort.ts`).
 */
export const PROFILE_FILE = 'hindsight-index.json';
export const SORT_FILE = 'hindsight-sort.json';

/** What the dev server and the dev search page tell people (there is no index in `astro dev`). */
export const DEV_SEARCH_HINT =
  'Search runs on the built site only (its index is made from the final HTML): run `npm run build && npm run preview`.';
