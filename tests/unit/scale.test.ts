/**
 * Scale: a knowledge base of 10,000 generated postmortems validates clean, and every
 * cross-document computation (backlinks, similar incidents, recurrence, stats, link resolution
 * and the validation rules) grows linearly (or n·log n) with the number of documents.
 *
 * No clock is involved: each computation runs over documents wrapped in counting proxies, and
 * the number of property reads at 10,000 postmortems is compared with the number at 2,000. Five
 * times the documents must cost at most nine times the reads (linear is 5×, n·log n about 6×);
 * anything that compares every document with every other would read about 25 times as much.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../scripts/bench/generate.ts';
import { parseTaxonomyText, type Taxonomy } from '../../src/schema/index.ts';
import { buildGraph, type KnowledgeGraph } from '../../src/kb/graph.ts';
import type { LoadResult } from '../../src/kb/load.ts';
import { buildKnowledgeBase, type AnyDoc, type KnowledgeBase } from '../../src/kb/model.ts';
import { computeStats } from '../../src/kb/stats.ts';
import { runRules } from '../../src/kb/validate.ts';
import { parseFiles } from '../../src/kb/workers.ts';

const SMALL = 2_000;
const LARGE = 10_000;
/** Allowed growth of the work for 5× the documents. */
const MAX_GROWTH = 9;
const AS_OF = new Date('2026-11-01T12:00:00Z');

interface Corpus {
  taxonomy: Taxonomy;
  docs: AnyDoc[];
  files: string[];
  parseDiagnostics: number;
}

async function loadGenerated(postmortems: number): Promise<Corpus> {
  const files = generateCorpus({ postmortems });
  const taxonomyFile = files[0];
  if (!taxonomyFile) throw new Error('the generator wrote no taxonomy');
  const parsedTaxonomy = parseTaxonomyText(taxonomyFile.text);
  if (!parsedTaxonomy.ok) throw new Error(parsedTaxonomy.error);
  const encoder = new TextEncoder();
  const inputs = files.slice(1).map((f) => ({ relPath: f.path, bytes: encoder.encode(f.text) }));
  const report = await parseFiles(inputs, parsedTaxonomy.taxonomy, { root: '/generated', cache: false });
  return {
    taxonomy: parsedTaxonomy.taxonomy,
    docs: report.results.flatMap((r) => (r.doc ? [r.doc] : [])),
    files: inputs.map((i) => i.relPath),
    parseDiagnostics: report.results.reduce((sum, r) => sum + r.diagnostics.length, 0),
  };
}

/** Wrap documents so that every property read on them (at any depth) is counted. */
function countingDocs(docs: readonly AnyDoc[]): { docs: AnyDoc[]; reads: () => number } {
  let reads = 0;
  const proxies = new WeakMap<object, object>();
  const wrap = <T extends object>(target: T): T => {
    const known = proxies.get(target);
    if (known) return known as T;
    const proxy = new Proxy(target, {
      get(object, key, receiver) {
        reads += 1;
        const value: unknown = Reflect.get(object, key, receiver);
        return value !== null && typeof value === 'object' ? wrap(value) : value;
      },
    });
    proxies.set(target, proxy);
    return proxy;
  };
  return { docs: docs.map((d) => wrap(d)), reads: () => reads };
}

function loadResultFor(kb: KnowledgeBase, files: string[]): LoadResult {
  return { kb, diagnostics: [], rejected: [], files, locate: () => ({ line: 1, column: 1 }) };
}

/** Property reads made by `work` over a counted copy of the corpus, and what it returned. */
function measure<T>(corpus: Corpus, work: (kb: KnowledgeBase, load: LoadResult) => T): { reads: number; result: T } {
  const counted = countingDocs(corpus.docs);
  const kb = buildKnowledgeBase('/generated', corpus.taxonomy, counted.docs);
  const load = loadResultFor(kb, corpus.files);
  const before = counted.reads();
  const result = work(kb, load);
  return { reads: counted.reads() - before, result };
}

/** The knowledge graph plus every page's lookups, as the site makes them: once per document. */
function graphAndLookups(kb: KnowledgeBase): { kb: KnowledgeBase; graph: KnowledgeGraph } {
  const graph = buildGraph(kb);
  for (const doc of kb.docs) {
    graph.backlinks(doc.id);
    if (doc.kind === 'postmortem') graph.similarIncidents(doc.id);
    if (doc.kind === 'playbook') graph.incidentsFor(doc.id);
  }
  return { kb, graph };
}

function expectLinearGrowth(small: number, large: number): void {
  expect(small).toBeGreaterThan(SMALL);
  expect(large / small, `${small} reads at ${SMALL} postmortems, ${large} at ${LARGE}`).toBeLessThanOrEqual(MAX_GROWTH);
}

describe(`a knowledge base of ${LARGE.toLocaleString('en-US')} generated postmortems`, { timeout: 300_000 }, () => {
  let small: Corpus;
  let large: Corpus;

  beforeAll(async () => {
    small = await loadGenerated(SMALL);
    large = await loadGenerated(LARGE);
  }, 300_000);

  it('parses every generated document without a diagnostic', () => {
    expect(small.parseDiagnostics).toBe(0);
    expect(large.parseDiagnostics).toBe(0);
    expect(large.docs.filter((d) => d.kind === 'postmortem')).toHaveLength(LARGE);
    expect(large.docs.filter((d) => d.kind === 'playbook')).toHaveLength(100);
  });

  it('passes every validation rule with no errors', () => {
    const kb = buildKnowledgeBase('/generated', large.taxonomy, large.docs);
    const errors = runRules(loadResultFor(kb, large.files), { now: AS_OF }).filter((d) => d.severity === 'error');
    expect(errors.slice(0, 5)).toEqual([]);
  });

  it('computes the knowledge graph (backlinks, recurrence, similar incidents) in linear or n·log n work, densely linked', () => {
    const atSmall = measure(small, graphAndLookups);
    const atLarge = measure(large, graphAndLookups);
    expectLinearGrowth(atSmall.reads, atLarge.reads);
    // The generated corpus is as cross-linked as a real one, so the measurement means something.
    const { kb, graph } = atLarge.result;
    expect(kb.playbooks.filter((p) => graph.backlinks(p.id).length > 0).length).toBeGreaterThan(90);
    expect(graph.recurrence[0]?.incidents.length).toBeGreaterThan(200);
    expect(kb.postmortems.filter((p) => graph.similarIncidents(p.id).length > 0).length).toBeGreaterThan(LARGE * 0.9);
  });

  it('computes the statistics behind the insights page in linear or n·log n work', () => {
    expectLinearGrowth(
      measure(small, (kb) => computeStats(kb, AS_OF)).reads,
      measure(large, (kb) => computeStats(kb, AS_OF)).reads,
    );
  });

  it('resolves links and runs every validation rule in linear or n·log n work', () => {
    const rules = (_kb: KnowledgeBase, load: LoadResult) => runRules(load, { now: AS_OF });
    expectLinearGrowth(measure(small, rules).reads, measure(large, rules).reads);
  });
});
