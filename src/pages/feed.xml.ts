/**
 * RSS feed of published postmortems, newest first (@astrojs/rss). Drafts and documents in review
 * never appear, even when the dev server shows them elsewhere.
 */
import rss from '@astrojs/rss';
import type { APIContext } from 'astro';
import { siteKb } from '../site/kb.ts';
import { byStartedDesc } from '../kb/graph.ts';
import { docHref } from '../site/format.ts';

export async function GET(context: APIContext): Promise<Response> {
  const { kb, category, severity } = await siteKb();
  const items = kb.postmortems
    .filter((pm) => pm.data.status === 'published')
    .sort(byStartedDesc)
    .slice(0, 50)
    .map((pm) => ({
      title: `${pm.id}: ${pm.data.title}`,
      link: docHref(pm),
      pubDate: new Date(pm.data.started),
      description: `${severity(pm.data.severity)?.label ?? pm.data.severity} · ${category(pm.data.category)?.label ?? pm.data.category}. ${pm.data.summary}`,
      categories: [pm.data.severity, pm.data.category, ...pm.data.services, ...pm.data.tags],
    }));
  return rss({
    title: 'Hindsight: postmortems',
    description: 'Published incident postmortems: what broke, why, and what we changed.',
    site: context.site ?? 'http://localhost:4321',
    items,
    customData: '<language>en</language>',
  });
}
