/**
 * What the search index knows about one document page: Pagefind filters, sort keys, result
 * metadata and the weighted text blocks that make titles, symptoms and error signatures outrank
 * body text. Pure (no Astro import): `SearchMeta.astro` renders it into attributes, and unit
 * tests check it without a build.
 */
import type { AnyDoc } from '../kb/model.ts';
import type { Taxonomy } from '../schema/index.ts';
import { WEIGHTS, type FilterKey } from './config.ts';
import { normalizeErrorText } from './normalize.ts';

/** A block of hidden, weighted text indexed with the page (never shown). */
export interface WeightedBlock {
  weight: number;
  /** One entry per line; each is indexed as its own paragraph. */
  lines: string[];
}

export interface SearchRecord {
  /** Filter values; multi-valued keys (service, tag) carry several. */
  filters: Partial<Record<FilterKey, string[]>>;
  /**
   * Sort keys: `date` (ISO 8601, UTC) and, for postmortems, `severity` (rank, 1 = worst). Not
   * given to Pagefind (its sort orders would weigh on every search): the indexer reads them
   * from the page into `pagefind/hindsight-sort.json`.
   */
  sort: { date?: string; severity?: number };
  /** Result metadata: `title`, `id`, `date` (YYYY-MM-DD), `signatures` (playbooks). */
  meta: Record<string, string>;
  blocks: WeightedBlock[];
}

/** Normalised error signatures, de-duplicated, in their original order. */
export function normalizedSignatures(signatures: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const signature of signatures) {
    const text = normalizeErrorText(signature).text;
    const key = text.toLowerCase();
    if (text.length === 0 || seen.has(key)) continue;
    seen.add(key);
    out.push(text);
  }
  return out;
}

/** ISO timestamp in UTC, so that sorting and the year filter agree whatever zone was written. */
function utc(timestamp: string): string {
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? timestamp : date.toISOString();
}

/**
 * Build the search record of a document. `taxonomy` supplies severity ranks for sorting; a
 * severity missing from it (impossible after validation) sorts last.
 */
export function searchRecord(doc: AnyDoc, taxonomy: Pick<Taxonomy, 'severities'>): SearchRecord {
  const filters: SearchRecord['filters'] = { kind: [doc.kind], status: [doc.data.status] };
  const sort: SearchRecord['sort'] = {};
  const meta: Record<string, string> = { title: doc.data.title, id: doc.id };
  const blocks: WeightedBlock[] = [];
  if (doc.data.tags.length > 0) filters.tag = [...doc.data.tags];

  switch (doc.kind) {
    case 'postmortem': {
      const data = doc.data;
      const started = utc(data.started);
      filters.severity = [data.severity];
      filters.category = [data.category];
      filters.service = [...data.services];
      filters.year = [started.slice(0, 4)];
      sort.date = started;
      const rank = taxonomy.severities.find((s) => s.id === data.severity)?.rank ?? 999;
      sort.severity = rank;
      meta['date'] = started.slice(0, 10);
      blocks.push({ weight: WEIGHTS.summary, lines: [data.summary, data.trigger, data.impact.summary] });
      break;
    }
    case 'playbook': {
      const data = doc.data;
      filters.category = [data.category];
      if (data.services.length > 0) filters.service = [...data.services];
      sort.date = utc(`${data.last_reviewed}T00:00:00Z`);
      meta['date'] = data.last_reviewed;
      const signatures = normalizedSignatures(data.error_signatures);
      if (signatures.length > 0) {
        meta['signatures'] = signatures.join(' · ');
        blocks.push({ weight: WEIGHTS.signatures, lines: signatures });
      }
      blocks.push({ weight: WEIGHTS.symptoms, lines: [...data.symptoms] });
      blocks.push({ weight: WEIGHTS.summary, lines: [data.summary] });
      break;
    }
    case 'path': {
      blocks.push({ weight: WEIGHTS.summary, lines: [doc.data.summary, doc.data.audience] });
      break;
    }
  }
  return { filters, sort, meta, blocks };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The hidden markup that carries a search record into the page (rendered by `SearchMeta.astro`
 * inside `<article data-pagefind-body>`): sort keys as `data-sort-*` attributes of the wrapper
 * (read by the indexer, `readSortKeys`), one empty element per filter value and metadata field,
 * and one weighted block per group of lines. Nothing in it is visible.
 */
export function searchMarkup(record: SearchRecord): string {
  const attr = (name: string, key: string, value: string) => `<span ${name}="${escapeHtml(`${key}:${value}`)}"></span>`;
  const parts: string[] = [];
  for (const [key, values] of Object.entries(record.filters)) {
    for (const value of values) parts.push(attr('data-pagefind-filter', key, value));
  }
  for (const [key, value] of Object.entries(record.meta)) parts.push(attr('data-pagefind-meta', key, value));
  for (const block of record.blocks) {
    const lines = block.lines.filter((line) => line.trim().length > 0).map((line) => `<p>${escapeHtml(line)}</p>`);
    if (lines.length > 0) parts.push(`<div data-pagefind-weight="${block.weight}">${lines.join('')}</div>`);
  }
  const sortAttrs = Object.entries(record.sort)
    .map(([key, value]) => ` data-sort-${key}="${escapeHtml(String(value))}"`)
    .join('');
  return `<div hidden class="search-meta"${sortAttrs}>${parts.join('')}</div>`;
}

const SEARCH_META = /<div hidden class="search-meta"([^>]*)>/;

/**
 * The sort keys `searchMarkup` wrote into a page, or undefined when the page has no search
 * metadata.
 */
export function readSortKeys(html: string): SearchRecord['sort'] | undefined {
  const match = SEARCH_META.exec(html);
  if (!match) return undefined;
  const attrs = match[1] ?? '';
  const date = /\sdata-sort-date="([^"]*)"/.exec(attrs)?.[1];
  const severity = /\sdata-sort-severity="(\d+)"/.exec(attrs)?.[1];
  return {
    ...(date ? { date } : {}),
    ...(severity ? { severity: Number(severity) } : {}),
  };
}
