/** Documents of every kind grouped by tag, postmortems (newest first) before playbooks and paths. */
import { byStartedDesc } from '../kb/graph.ts';
import type { AnyDoc, KnowledgeBase } from '../kb/model.ts';

const cache = new WeakMap<KnowledgeBase, Map<string, AnyDoc[]>>();
const ORDER = { postmortem: 0, playbook: 1, path: 2 } as const;

export function taggedDocs(kb: KnowledgeBase): Map<string, AnyDoc[]> {
  const cached = cache.get(kb);
  if (cached) return cached;
  const map = new Map<string, AnyDoc[]>();
  for (const doc of kb.docs) {
    for (const tag of new Set(doc.data.tags)) {
      const list = map.get(tag);
      if (list) list.push(doc);
      else map.set(tag, [doc]);
    }
  }
  for (const list of map.values()) {
    list.sort((a, b) =>
      a.kind === 'postmortem' && b.kind === 'postmortem'
        ? byStartedDesc(a, b)
        : ORDER[a.kind] - ORDER[b.kind] || a.data.title.localeCompare(b.data.title),
    );
  }
  cache.set(kb, map);
  return map;
}
