/**
 * JSON export of every published document's metadata, for other tools (dashboards, chat bots,
 * spreadsheets): frontmatter (minus the secret-scan allowlist), site URL, derived durations,
 * and the relations the site computes. Drafts and documents in review are never exported.
 */
import type { APIContext } from 'astro';
import { siteKb } from '../site/kb.ts';
import { incidentDurations } from '../kb/stats.ts';
import { docHref } from '../site/format.ts';

export async function GET(context: APIContext): Promise<Response> {
  const { kb, graph } = await siteKb();
  const absolute = (path: string) => (context.site ? new URL(path, context.site).href : path);
  const documents = kb.docs
    .filter((doc) => doc.data.status === 'published')
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id))
    .map((doc) => {
      const { allowlist: _allowlist, ...data } = doc.data;
      const base = { kind: doc.kind, ...data, url: absolute(docHref(doc)), file: doc.file };
      const referencedBy = graph.backlinks(doc.id).map((b) => b.from.id);
      if (doc.kind === 'postmortem') {
        const d = incidentDurations(doc);
        return {
          ...base,
          minutes_to_detect: d.detect ?? null,
          minutes_to_mitigate: d.mitigate ?? null,
          minutes_to_resolve: d.resolve ?? null,
          referenced_by: referencedBy,
        };
      }
      if (doc.kind === 'playbook')
        return { ...base, incidents: graph.incidentsFor(doc.id).map((pm) => pm.id), referenced_by: referencedBy };
      return { ...base, referenced_by: referencedBy };
    });
  const body = { schema: 'hindsight-export/1', count: documents.length, taxonomy: kb.taxonomy, documents };
  return new Response(JSON.stringify(body, null, 2), {
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}
