/**
 * The knowledge base as the site sees it, built once per build from Astro's content collections
 * and shared by every page: documents, the graph (backlinks, recurrence, similar incidents) and
 * the statistics. Pages call `siteKb()`; the first call does the work, the rest await the same
 * promise.
 *
 * Visibility: `astro build` publishes only `status: published`; `astro dev` shows drafts and
 * documents in review too (with a banner), so authors can preview them.
 */
import { getCollection, type CollectionEntry } from 'astro:content';
import { readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import {
  parseTaxonomyText,
  TAXONOMY_FILE,
  type PathData,
  type PlaybookData,
  type PostmortemData,
  type Category,
  type DetectionSource,
  type Severity,
  type Service,
  type Taxonomy,
} from '../schema/index.ts';
import { analyzeBody } from '../kb/markdown.ts';
import { buildKnowledgeBase, type AnyDoc, type KnowledgeBase } from '../kb/model.ts';
import { knowledgeBaseRoot } from '../kb/root.ts';
import { buildGraph, type KnowledgeGraph } from '../kb/graph.ts';
import { computeStats, type KnowledgeStats } from '../kb/stats.ts';
import { validatedDoc } from './validated.ts';
import { facetListLimit } from './limits.ts';

/** Replaced at compile time by `src/site/integration.ts`: true only under `astro dev`. */
declare const __HINDSIGHT_SHOW_UNPUBLISHED__: unknown;
/** Unpublished documents are shown only when the integration says so; anything else hides them. */
const SHOW_UNPUBLISHED =
  typeof __HINDSIGHT_SHOW_UNPUBLISHED__ !== 'undefined' && __HINDSIGHT_SHOW_UNPUBLISHED__ === true;

type Entry = CollectionEntry<'postmortems'> | CollectionEntry<'playbooks'> | CollectionEntry<'paths'>;

export interface SiteKb {
  kb: KnowledgeBase;
  graph: KnowledgeGraph;
  stats: KnowledgeStats;
  /** "Today" for overdue action items: the build time, or `HINDSIGHT_NOW` (ISO date) when set. */
  now: Date;
  /** Incidents a category, severity, service, year or tag page lists (`HINDSIGHT_LIST_LIMIT`). */
  listLimit: number;
  /** True in `astro dev`: unpublished documents are shown, with a banner. */
  showUnpublished: boolean;
  /** The collection entry of a document, for `render(entry)`. */
  entry: (id: string) => Entry | undefined;
  category: (id: string) => Category | undefined;
  severity: (id: string) => Severity | undefined;
  service: (id: string) => Service | undefined;
  detection: (id: string) => DetectionSource | undefined;
}

/** 1-based line where the body starts in the file, so link positions are file positions. */
function bodyLineOf(absFile: string, body: string): number {
  try {
    const text = readFileSync(absFile, 'utf8').replace(/\r\n?/g, '\n');
    const at = body === '' ? -1 : text.indexOf(body.slice(0, 200));
    return at <= 0 ? 1 : text.slice(0, at).split('\n').length;
  } catch {
    return 1;
  }
}

function loadTaxonomy(root: string): Taxonomy {
  const result = parseTaxonomyText(readFileSync(join(root, TAXONOMY_FILE), 'utf8'));
  if (!result.ok) throw new Error(`${TAXONOMY_FILE}: ${result.error}; run \`npx hindsight validate\` for details`);
  return result.taxonomy;
}

function toDoc(entry: Entry, root: string): AnyDoc {
  const absFile = resolve(entry.filePath ?? '');
  const file = relative(root, absFile).split(sep).join('/');
  const body = entry.body ?? '';
  // In a build, validation has already analysed this very body; the dev server reads afresh.
  const validated = SHOW_UNPUBLISHED ? undefined : validatedDoc(root, file, body);
  const bodyLine = validated?.bodyLine ?? bodyLineOf(absFile, body);
  const base = { id: entry.id, file, body, bodyLine, info: validated?.info ?? analyzeBody(body, bodyLine) };
  switch (entry.collection) {
    case 'postmortems':
      // The collections' schemas are the same `createSchemas` output, so the data types match.
      return { ...base, kind: 'postmortem', data: entry.data as PostmortemData };
    case 'playbooks':
      return { ...base, kind: 'playbook', data: entry.data as PlaybookData };
    case 'paths':
      return { ...base, kind: 'path', data: entry.data as PathData };
  }
}

async function build(): Promise<SiteKb> {
  const root = knowledgeBaseRoot();
  const showUnpublished = SHOW_UNPUBLISHED;
  const visible = (entry: Entry) => showUnpublished || entry.data.status === 'published';
  const entries: Entry[] = [
    ...(await getCollection('postmortems', visible)),
    ...(await getCollection('playbooks', visible)),
    ...(await getCollection('paths', visible)),
  ];
  const entryById = new Map(entries.map((e) => [e.id, e]));
  const taxonomy = loadTaxonomy(root);
  const kb = buildKnowledgeBase(
    root,
    taxonomy,
    entries.map((e) => toDoc(e, root)),
  );
  const nowEnv = process.env['HINDSIGHT_NOW'];
  const now = nowEnv ? new Date(nowEnv) : new Date();
  const find = <T extends { id: string }>(list: readonly T[]) => {
    const map = new Map(list.map((item) => [item.id, item]));
    return (id: string) => map.get(id);
  };
  return {
    kb,
    graph: buildGraph(kb),
    stats: computeStats(kb, now),
    now,
    listLimit: facetListLimit(),
    showUnpublished,
    entry: (id) => entryById.get(id),
    category: find(taxonomy.categories),
    severity: find(taxonomy.severities),
    service: find(taxonomy.services),
    detection: find(taxonomy.detection_sources),
  };
}

let memo: Promise<SiteKb> | undefined;

/** The site's knowledge base, built on first use and shared by every page of the build. */
export function siteKb(): Promise<SiteKb> {
  // The dev server re-reads on every request, so edits show up on reload.
  if (SHOW_UNPUBLISHED) return build();
  memo ??= build();
  return memo;
}
