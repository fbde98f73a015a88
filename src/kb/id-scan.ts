/**
 * The ids in use in a knowledge base, found fast: for each document file, only the `id:` line of
 * its frontmatter is read (from the first `ID_SCAN_BYTES` of the file), with no YAML, schema or
 * Markdown parse. `hindsight new` needs nothing more to pick the next free id and to check
 * references, and a full load of 10,000 documents takes seconds.
 *
 * Every file counts, valid or not: an id claimed by a broken file is still taken. Walks like the
 * loader: `.md` files in the kind folders, hidden entries skipped, symbolic links not followed.
 */
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { KINDS, type Kind } from '../schema/index.ts';

/** Bytes read from the start of each file: frontmatter ids sit in the first lines. */
export const ID_SCAN_BYTES = 16 * 1024;

export interface ScannedDoc {
  kind: Kind;
  /** The frontmatter id; `undefined` when none could be read. */
  id?: string;
  /** Root-relative POSIX path, e.g. `content/playbooks/retry-storm.md`. */
  file: string;
}

/**
 * The `id` of a frontmatter block, read from the file's first bytes; `undefined` when there is
 * no frontmatter or no top-level `id:` line before it closes. Pure.
 */
export function frontmatterId(head: string): string | undefined {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  if (!/^---[ \t]*\r?\n/.test(text)) return undefined;
  const close = /^(?:---|\.\.\.)[ \t]*\r?$/m.exec(text.slice(3));
  const block = close ? text.slice(3, 3 + close.index) : text;
  const match = /^id:[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s#"'][^\s#]*))[ \t]*(?:#.*)?\r?$/m.exec(block);
  if (!match) return undefined;
  return (match[1] ?? match[2] ?? match[3] ?? '').trim() || undefined;
}

async function readHead(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(ID_SCAN_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, ID_SCAN_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

async function walk(folder: string, rel: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) await walk(join(folder, entry.name), `${rel}/${entry.name}`, out);
    else if (entry.isFile() && entry.name.endsWith('.md')) out.push(`${rel}/${entry.name}`);
  }
}

/** Every document file under `root/content/<kind folder>/` with the id it claims, sorted by file. */
export async function scanIds(root: string): Promise<ScannedDoc[]> {
  const found: { kind: Kind; file: string }[] = [];
  for (const [kind, folder] of Object.entries(KINDS) as [Kind, string][]) {
    const files: string[] = [];
    await walk(join(root, 'content', folder), `content/${folder}`, files);
    for (const file of files) found.push({ kind, file });
  }
  found.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const out: ScannedDoc[] = new Array<ScannedDoc>(found.length);
  let next = 0;
  // A few reads in flight at once: enough to keep the disk busy, far from file-descriptor limits.
  const reader = async () => {
    while (next < found.length) {
      const index = next++;
      const { kind, file } = found[index] as { kind: Kind; file: string };
      let id: string | undefined;
      try {
        id = frontmatterId(await readHead(join(root, file)));
      } catch {
        id = undefined;
      }
      out[index] = id === undefined ? { kind, file } : { kind, id, file };
    }
  };
  await Promise.all(Array.from({ length: Math.min(32, found.length) }, reader));
  return out;
}
