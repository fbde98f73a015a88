/**
 * The knowledge graph: every cross-document relation the site shows, computed once per build.
 *
 * - backlinks ("referenced by"): body links (`[[id]]`, relative `.md` links) and frontmatter
 *   references (`failure_modes`, `related`, path steps), one entry per linking document;
 * - recurrence: the incidents each playbook's failure mode was involved in;
 * - similar incidents: postmortems sharing failure modes, services, tags and category;
 * - related playbooks (in both directions) and the onboarding paths a document is part of.
 *
 * Pure, no Astro import. Linear in documents and links, except similar incidents, which look at
 * a bounded number of candidates per postmortem (`candidateBudget`), so 10,000 postmortems
 * that all share one service still cost n × budget, not n².
 */
import type { AnyDoc, KnowledgeBase, PathDoc, PlaybookDoc, PostmortemDoc } from './model.ts';
import { createLinkIndex, resolveLink, type LinkIndex } from './links.ts';

/** How one document refers to another. */
export type LinkVia = 'body' | 'failure-mode' | 'related' | 'path-step';

/** A document that refers to another, and how. */
export interface Backlink {
  from: AnyDoc;
  via: LinkVia[];
}

/** A postmortem similar to another, with what they share (to explain the match to the reader). */
export interface SimilarIncident {
  postmortem: PostmortemDoc;
  score: number;
  shared: { failureModes: string[]; services: string[]; tags: string[]; category: boolean };
}

/** A step of an onboarding path that points at a document. */
export interface PathMembership {
  path: PathDoc;
  /** 0-based step index. */
  step: number;
}

/** One failure mode and every incident it was involved in, newest first. */
export interface Recurrence {
  playbook: PlaybookDoc;
  incidents: PostmortemDoc[];
}

export interface KnowledgeGraph {
  links: LinkIndex;
  /** Documents that refer to `id`, postmortems (newest first) before playbooks and paths. */
  backlinks: (id: string) => Backlink[];
  /** Incidents whose `failure_modes` name the playbook, newest first. */
  incidentsFor: (playbookId: string) => PostmortemDoc[];
  /** Up to `similarLimit` similar incidents, best first. */
  similarIncidents: (postmortemId: string) => SimilarIncident[];
  /** Playbooks related to this one, in either direction, by title. */
  relatedPlaybooks: (playbookId: string) => PlaybookDoc[];
  /** Related incidents named in either direction, newest first. */
  relatedIncidents: (postmortemId: string) => PostmortemDoc[];
  /** Paths that include the document as a step. */
  pathsContaining: (id: string) => PathMembership[];
  /** Failure modes with at least one incident, most recurrent first (ties: most recent incident). */
  recurrence: Recurrence[];
}

export interface GraphOptions {
  /** Similar incidents kept per postmortem. Default 5. */
  similarLimit?: number;
  /** Candidate postmortems examined per postmortem when looking for similar ones. Default 400. */
  candidateBudget?: number;
}

/** Weights of what two incidents share; a pair needs `SIMILAR_MIN_SCORE` to count as similar. */
export const SIMILARITY_WEIGHTS = { failureMode: 4, service: 2, tag: 1, category: 1 } as const;
export const SIMILAR_MIN_SCORE = 3;

/** Newest first by `started`, then by id for a stable order. */
export function byStartedDesc(a: PostmortemDoc, b: PostmortemDoc): number {
  return b.data.started.localeCompare(a.data.started) || a.id.localeCompare(b.id);
}

const KIND_ORDER = { postmortem: 0, playbook: 1, path: 2 } as const;

function compareDocs(a: AnyDoc, b: AnyDoc): number {
  if (a.kind === 'postmortem' && b.kind === 'postmortem') return byStartedDesc(a, b);
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.data.title.localeCompare(b.data.title);
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Build every relation once. Only documents in `kb` take part (the site passes the visible ones). */
export function buildGraph(kb: KnowledgeBase, options: GraphOptions = {}): KnowledgeGraph {
  const similarLimit = options.similarLimit ?? 5;
  const candidateBudget = options.candidateBudget ?? 400;
  const links = createLinkIndex(kb.docs);

  // Backlinks: target id → (source id → backlink), so a document linking twice is listed once.
  const incoming = new Map<string, Map<string, Backlink>>();
  const addLink = (from: AnyDoc, toId: string, via: LinkVia) => {
    if (toId === from.id || !kb.byId.has(toId)) return;
    let sources = incoming.get(toId);
    if (!sources) incoming.set(toId, (sources = new Map<string, Backlink>()));
    const existing = sources.get(from.id);
    if (!existing) sources.set(from.id, { from, via: [via] });
    else if (!existing.via.includes(via)) existing.via.push(via);
  };

  const incidents = new Map<string, PostmortemDoc[]>();
  const relatedPlaybooks = new Map<string, Set<string>>();
  const relatedIncidents = new Map<string, Set<string>>();
  const paths = new Map<string, PathMembership[]>();
  const relate = (map: Map<string, Set<string>>, a: string, b: string) => {
    if (a === b) return;
    let set = map.get(a);
    if (!set) map.set(a, (set = new Set()));
    set.add(b);
  };

  for (const doc of kb.docs) {
    for (const link of doc.info.links) {
      const resolution = resolveLink(link, doc.file, links);
      if (resolution.ok) addLink(doc, resolution.target.id, 'body');
    }
    if (doc.kind === 'postmortem') {
      for (const mode of new Set(doc.data.failure_modes)) {
        addLink(doc, mode, 'failure-mode');
        if (kb.byId.get(mode)?.kind === 'playbook') pushTo(incidents, mode, doc);
      }
      for (const other of doc.data.related) {
        addLink(doc, other, 'related');
        if (kb.byId.get(other)?.kind === 'postmortem') {
          relate(relatedIncidents, doc.id, other);
          relate(relatedIncidents, other, doc.id);
        }
      }
    } else if (doc.kind === 'playbook') {
      for (const other of doc.data.related) {
        addLink(doc, other, 'related');
        if (kb.byId.get(other)?.kind === 'playbook') {
          relate(relatedPlaybooks, doc.id, other);
          relate(relatedPlaybooks, other, doc.id);
        }
      }
    } else {
      doc.data.steps.forEach((step, index) => {
        addLink(doc, step.doc, 'path-step');
        if (kb.byId.has(step.doc)) pushTo(paths, step.doc, { path: doc, step: index });
      });
    }
  }

  const backlinks = new Map<string, Backlink[]>();
  for (const [id, sources] of incoming)
    backlinks.set(
      id,
      [...sources.values()].sort((a, b) => compareDocs(a.from, b.from)),
    );
  for (const list of incidents.values()) list.sort(byStartedDesc);

  const recurrence: Recurrence[] = [];
  for (const playbook of kb.playbooks) {
    const list = incidents.get(playbook.id);
    if (list && list.length > 0) recurrence.push({ playbook, incidents: list });
  }
  recurrence.sort(
    (a, b) =>
      b.incidents.length - a.incidents.length ||
      byStartedDesc(a.incidents[0] as PostmortemDoc, b.incidents[0] as PostmortemDoc) ||
      a.playbook.id.localeCompare(b.playbook.id),
  );

  const similar = computeSimilar(kb.postmortems, similarLimit, candidateBudget);
  const docsOf = <D extends AnyDoc>(ids: Set<string> | undefined, kind: D['kind']): D[] =>
    [...(ids ?? [])].map((id) => kb.byId.get(id)).filter((d): d is D => d?.kind === kind);

  return {
    links,
    backlinks: (id) => backlinks.get(id) ?? [],
    incidentsFor: (id) => incidents.get(id) ?? [],
    similarIncidents: (id) => similar.get(id) ?? [],
    relatedPlaybooks: (id) =>
      docsOf<PlaybookDoc>(relatedPlaybooks.get(id), 'playbook').sort((a, b) =>
        a.data.title.localeCompare(b.data.title),
      ),
    relatedIncidents: (id) => docsOf<PostmortemDoc>(relatedIncidents.get(id), 'postmortem').sort(byStartedDesc),
    pathsContaining: (id) => paths.get(id) ?? [],
    recurrence,
  };
}

/** Feature keys of one postmortem: `f:` failure mode, `s:` service, `t:` tag. */
function featuresOf(pm: PostmortemDoc): string[] {
  return [
    ...new Set([
      ...pm.data.failure_modes.map((f) => `f:${f}`),
      ...pm.data.services.map((s) => `s:${s}`),
      ...pm.data.tags.map((t) => `t:${t}`),
    ]),
  ];
}

/**
 * Similar incidents through an inverted index: for each postmortem, walk the posting lists of
 * its rarest features first (newest incidents first in each list) until `budget` candidates have
 * been seen, then score each candidate by everything the two share.
 *
 * Hot at scale (10,000 postmortems × 400 candidates), so the loops work on integers: features
 * are interned, "newest first" is a precomputed rank, and per-postmortem sets are stamp arrays.
 * Every index below is in range by construction, hence the non-null assertions.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion */
function computeSimilar(
  postmortems: readonly PostmortemDoc[],
  limit: number,
  budget: number,
): Map<string, SimilarIncident[]> {
  const n = postmortems.length;
  // rank[i]: position of postmortems[i] in byStartedDesc order (lower = newer).
  const order = postmortems.map((_, i) => i).sort((a, b) => byStartedDesc(postmortems[a]!, postmortems[b]!));
  const rank = new Int32Array(n);
  order.forEach((docIndex, position) => (rank[docIndex] = position));

  const featureIds = new Map<string, number>();
  const featureKeys: string[] = [];
  const features: Int32Array[] = [];
  for (const pm of postmortems) {
    const keys = featuresOf(pm);
    const ids = new Int32Array(keys.length);
    keys.forEach((key, k) => {
      let id = featureIds.get(key);
      if (id === undefined) {
        id = featureKeys.length;
        featureIds.set(key, id);
        featureKeys.push(key);
      }
      ids[k] = id;
    });
    features.push(ids);
  }
  const weight = Int32Array.from(featureKeys, (key) =>
    key.startsWith('f:')
      ? SIMILARITY_WEIGHTS.failureMode
      : key.startsWith('s:')
        ? SIMILARITY_WEIGHTS.service
        : SIMILARITY_WEIGHTS.tag,
  );
  // Posting lists in byStartedDesc order: fill them walking the documents newest first.
  const postings: number[][] = featureKeys.map(() => []);
  for (const docIndex of order) for (const f of features[docIndex]!) postings[f]!.push(docIndex);

  const categories = postmortems.map((pm) => pm.data.category);
  const ownStamp = new Int32Array(featureKeys.length).fill(-1);
  const seenStamp = new Int32Array(n).fill(-1);
  const result = new Map<string, SimilarIncident[]>();
  // The best `limit` so far, best first: parallel arrays, reused for every postmortem.
  const bestDoc = new Int32Array(limit + 1);
  const bestScore = new Int32Array(limit + 1);
  for (let i = 0; i < n; i++) {
    const pm = postmortems[i]!;
    const category = pm.data.category;
    const own = features[i]!;
    for (const f of own) ownStamp[f] = i;
    seenStamp[i] = i;
    const ordered = [...own].sort((a, b) => postings[a]!.length - postings[b]!.length);
    let count = 0;
    let visits = 0;
    outer: for (const f of ordered) {
      for (const other of postings[f]!) {
        if (visits++ >= budget) break outer;
        if (seenStamp[other] === i) continue;
        seenStamp[other] = i;
        // Score the candidate by everything it shares; keep the best `limit` (higher score, then newer).
        let score = categories[other] === category ? SIMILARITY_WEIGHTS.category : 0;
        for (const g of features[other]!) if (ownStamp[g] === i) score += weight[g]!;
        if (score < SIMILAR_MIN_SCORE) continue;
        let at = count;
        while (
          at > 0 &&
          (bestScore[at - 1]! < score || (bestScore[at - 1] === score && rank[bestDoc[at - 1]!]! > rank[other]!))
        )
          at -= 1;
        if (at >= limit) continue;
        for (let m = Math.min(count, limit - 1); m > at; m--) {
          bestDoc[m] = bestDoc[m - 1]!;
          bestScore[m] = bestScore[m - 1]!;
        }
        bestDoc[at] = other;
        bestScore[at] = score;
        if (count < limit) count += 1;
      }
    }
    const best = Array.from({ length: count }, (_, m) => ({ doc: bestDoc[m]!, score: bestScore[m]! }));
    result.set(
      pm.id,
      best.map(({ doc, score }) => {
        const other = postmortems[doc]!;
        const shared = {
          failureModes: [] as string[],
          services: [] as string[],
          tags: [] as string[],
          category: false,
        };
        for (const g of features[doc]!) {
          if (ownStamp[g] !== i) continue;
          const key = featureKeys[g]!;
          const value = key.slice(2);
          if (key.startsWith('f:')) shared.failureModes.push(value);
          else if (key.startsWith('s:')) shared.services.push(value);
          else shared.tags.push(value);
        }
        shared.category = other.data.category === pm.data.category;
        return { postmortem: other, score, shared };
      }),
    );
  }
  return result;
}
/* eslint-enable @typescript-eslint/no-non-null-assertion */
