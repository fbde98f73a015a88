/**
 * The pages the production build must have indexed: one per published document, at the URL
 * `docPath()` gives it. Read from the documents' frontmatter with a light scan (only `id` and
 * `status`), because by the time the index is built the knowledge base has been validated in
 * full (`hindsight validate` / the site integration refuses to build otherwise).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { docPath } from '../kb/links.ts';
import { KINDS, type Kind } from '../schema/index.ts';
import { eachLimit } from './each-limit.ts';

/** `key: value` of a top-level scalar in a frontmatter block, quotes removed. */
function scalar(frontmatter: string, key: string): string | undefined {
  const match = new RegExp(`^${key}:[ \\t]*(.*?)[ \\t]*(?:#.*)?$`, 'm').exec(frontmatter);
  if (!match?.[1]) return undefined;
  return match[1].replace(/^(["'])(.*)\1$/, '$2');
}

/** The frontmatter block of a Markdown file (between the leading `---` lines), or undefined. */
export function frontmatterBlock(text: string): string | undefined {
  const match = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\s*(?:\r?\n|$)/.exec(text);
  return match?.[1];
}

async function markdownFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries.filter((e) => e.isFile() && e.name.endsWith('.md')).map((e) => join(e.parentPath, e.name));
}

/** Files read at once by the scan: enough to keep the disk busy, few enough to stay light. */
const SCAN_CONCURRENCY = 16;

/**
 * Site-relative paths (`postmortems/INC-2026-001/index.html`) of every published document in
 * the knowledge base at `root`, sorted.
 */
export async function publishedDocumentPages(root: string): Promise<string[]> {
  const files: { kind: Kind; file: string }[] = [];
  for (const [kind, folder] of Object.entries(KINDS) as [Kind, string][]) {
    for (const file of await markdownFiles(join(root, 'content', folder))) files.push({ kind, file });
  }
  const pages: string[] = [];
  await eachLimit(files, SCAN_CONCURRENCY, async ({ kind, file }) => {
    const head = (await readFile(file, 'utf8')).slice(0, 64 * 1024);
    const frontmatter = frontmatterBlock(head);
    if (!frontmatter) return;
    const id = scalar(frontmatter, 'id');
    if (id && scalar(frontmatter, 'status') === 'published') pages.push(`${docPath({ kind, id })}index.html`);
  });
  return pages.sort();
}
