/**
 * Small documents and a page renderer for the search unit tests. Pages are shaped like the
 * site's: navigation chrome outside, the document in `<article data-pagefind-body>` with the
 * markup `SearchMeta.astro` renders (`searchMarkup`).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PathDoc, PlaybookDoc, PostmortemDoc } from '../../src/kb/model.ts';
import type { PlaybookData, PostmortemData } from '../../src/schema/index.ts';
import { searchMarkup, searchRecord } from '../../src/search/document.ts';
import { KINDS } from '../../src/schema/index.ts';

export const SEVERITIES = {
  severities: [
    { id: 'SEV1', rank: 1, label: 'SEV1 · Critical', definition: 'x' },
    { id: 'SEV2', rank: 2, label: 'SEV2 · Major', definition: 'x' },
    { id: 'SEV3', rank: 3, label: 'SEV3 · Minor', definition: 'x' },
  ],
};

const info = { links: [], headings: [], images: [], mermaidBlocks: 0 };

export function playbook(
  id: string,
  data: Partial<PlaybookData> & Pick<PlaybookData, 'title' | 'symptoms'>,
  body = '',
): PlaybookDoc {
  return {
    kind: 'playbook',
    id,
    file: `content/playbooks/${id}.md`,
    body,
    bodyLine: 1,
    info,
    data: {
      id,
      status: 'published',
      summary: `${data.title}: what happens and what to do about it.`,
      category: 'infrastructure-limit',
      error_signatures: [],
      related: [],
      services: [],
      owners: ['@oncall'],
      last_reviewed: '2026-09-01',
      tags: [],
      allowlist: [],
      ...data,
    },
  };
}

export function postmortem(
  id: string,
  data: Partial<PostmortemData> & Pick<PostmortemData, 'title' | 'summary'>,
  body = '',
): PostmortemDoc {
  return {
    kind: 'postmortem',
    id,
    file: `content/postmortems/${id}.md`,
    body,
    bodyLine: 1,
    info,
    data: {
      id,
      status: 'published',
      severity: 'SEV2',
      category: 'software-bug',
      trigger: 'Deploy of the service',
      services: ['checkout-api'],
      started: '2026-03-04T02:14:00Z',
      detection: 'alert',
      impact: { summary: 'Users saw errors and retried', data_loss: false },
      failure_modes: [],
      related: [],
      action_items: [],
      authors: ['Dana'],
      reviewers: [],
      tags: [],
      allowlist: [],
      ...data,
    },
  };
}

export function path(id: string, title: string): PathDoc {
  return {
    kind: 'path',
    id,
    file: `content/paths/${id}.md`,
    body: '',
    bodyLine: 1,
    info,
    data: {
      id,
      title,
      status: 'published',
      summary: `${title}: a reading list for new engineers.`,
      audience: 'New backend engineers',
      steps: [{ doc: 'x', note: 'Read this first, it matters.' }],
      owners: [],
      tags: [],
      allowlist: [],
    },
  };
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A document page as the site renders it: chrome around, the document in the indexed article. */
export function documentPage(doc: PostmortemDoc | PlaybookDoc | PathDoc, options: { body?: boolean } = {}): string {
  const open = options.body === false ? '<article>' : '<article data-pagefind-body>';
  const paragraphs = doc.body
    .split(/\n{2,}/)
    .filter(Boolean)
    .map((p) => `<p>${escape(p)}</p>`)
    .join('');
  const signatures =
    doc.kind === 'playbook'
      ? `<h2 id="signatures">Error signatures</h2><ul>${doc.data.error_signatures.map((s) => `<li><code>${escape(s)}</code></li>`).join('')}</ul><h2 id="symptoms">Symptoms</h2><ul>${doc.data.symptoms.map((s) => `<li>${escape(s)}</li>`).join('')}</ul>`
      : '';
  // The chrome a postmortem page repeats (fact labels and counts, timeline milestones, action
  // items, failure-mode links), each with a marker word the index must not hold.
  const facts =
    doc.kind === 'postmortem'
      ? `<section class="card"><dl class="facts"><div><dt>Time to xyzzylabel</dt><dd>${escape(doc.data.trigger)} <span class="muted small">· xyzzycount users</span></dd></div></dl></section>` +
        '<section class="timeline card"><h2>Timeline</h2><ol><li><strong>Detected xyzzymilestone</strong></li></ol></section>' +
        '<section aria-labelledby="hs-action-items"><h2 id="hs-action-items">Action items</h2><p>xyzzyaction</p></section>' +
        '<section aria-labelledby="hs-failure-modes"><h2 id="hs-failure-modes">Failure modes</h2><p>xyzzymode</p></section>'
      : '';
  return `<!doctype html><html lang="en"><head><title>${escape(doc.data.title)}</title></head><body>
<header><nav>Postmortems Playbooks Onboarding Insights xyzzynav</nav></header>
<main>${open}<h1>${escape(doc.data.title)}</h1>${searchMarkup(searchRecord(doc, SEVERITIES))}${signatures}${facts}${paragraphs}</article></main>
<footer>xyzzyfoot</footer></body></html>`;
}

/** Write a minimal built site: document pages plus a home page and a list page that must stay out of the index. */
export async function writeSite(
  dir: string,
  docs: (PostmortemDoc | PlaybookDoc | PathDoc)[],
  options: { body?: boolean } = {},
): Promise<void> {
  for (const doc of docs) {
    const folder = join(dir, KINDS[doc.kind], doc.id);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'index.html'), documentPage(doc, options));
  }
  await writeFile(
    join(dir, 'index.html'),
    '<!doctype html><html lang="en"><body><nav>xyzzyhome</nav><main><h1>Home</h1></main></body></html>',
  );
  await mkdir(join(dir, 'playbooks'), { recursive: true });
  await writeFile(
    join(dir, 'playbooks', 'index.html'),
    // A list page that (wrongly) marks itself for indexing: only document pages may be indexed.
    '<!doctype html><html lang="en"><body><main data-pagefind-body><h1>Playbooks</h1><p>xyzzylist connection pool</p></main></body></html>',
  );
}
