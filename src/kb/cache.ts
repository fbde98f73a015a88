/**
 * A content-hash cache for per-file parsing, so a warm `hindsight validate` does not parse
 * unchanged files again (YAML with positions, the schema, the Markdown body: about a millisecond
 * per document, ten seconds for 10,000 of them). What is stored for a file is everything worked
 * out from it alone (`parseAndCheckFile` in `./load.ts`): the document, its diagnostics, the
 * findings of the file-local rules and the positions other rules will report at.
 *
 * - An entry is reused only when the file's bytes hash to the same SHA-1 as when it was stored,
 *   and the whole cache is dropped when its key changes: the cache format, the tool version, the
 *   source of the parsing code and of the rules (`src/kb`, `src/schema`), the versions of the
 *   parsers it depends on and of Node (whose regular expressions the rules use), and the taxonomy
 *   the schemas and rules read. A stale result can therefore only come from a
 *   change the key does not see, such as a dependency patched in place in `node_modules`.
 * - The cache is an optimisation, never a source of truth: a missing, unreadable, truncated or
 *   corrupted cache file, or one written by another version, is ignored and rebuilt, and a cache
 *   that cannot be written is skipped silently.
 * - Bodies and frontmatter text are not stored (they are slices of the file, which is read anyway
 *   to hash it), which keeps the file about a quarter of the size of the content.
 * - One file per knowledge-base root, in `HINDSIGHT_CACHE_DIR/hindsight/` when that is set,
 *   otherwise in `node_modules/.cache/hindsight/` of the knowledge base (or of the working
 *   directory), otherwise in the system's temporary folder. Written atomically (temp + rename);
 *   files not used for two weeks (left by temporary roots) are deleted when another is saved.
 *   The file is JSON in pure ASCII, read back as a one-byte string (`asciiJson`).
 */
import { isAscii } from 'node:buffer';
import { hash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Taxonomy } from '../schema/index.ts';
import { normalizeText } from './frontmatter.ts';
import type { ParsedFile } from './load.ts';

/** Bump when the stored shape changes. */
export const CACHE_FORMAT = 3;

/** Parsers whose output is cached; their installed versions are part of the key. */
const PARSER_PACKAGES = ['yaml', 'zod', 'satteri', 'astro'];

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(HERE, '../..');

/** A parsed file as stored: the document without its body, the frontmatter without its text. */
interface StoredEntry {
  /** SHA-1 of the file's bytes, hex. */
  hash: string;
  parsed: ParsedFile;
  /** Offset in the normalised text where the body starts, when the body was left out. */
  bodyFrom?: number;
  /** Length of the frontmatter YAML (it starts at `frontmatter.firstLineColumn`), when left out. */
  yamlLength?: number;
}

interface StoredCache {
  format: number;
  key: string;
  entries: Record<string, StoredEntry>;
}

/** The cache for one run: look up before parsing, store after, save once at the end. */
export interface ParseCache {
  /** The cache file (it may not exist yet). */
  readonly file: string;
  /** The cached result for these exact bytes (whose SHA-1 may be given), or undefined. */
  get(relPath: string, bytes: Uint8Array, sha1?: string): ParsedFile | undefined;
  /** Remember a fresh result for these bytes (whose SHA-1 may be given). */
  set(relPath: string, bytes: Uint8Array, parsed: ParsedFile, sha1?: string): void;
  /**
   * Write every entry seen in this run (looked up or set) and forget the others (deleted files).
   * Never throws; returns false when the cache could not be written.
   */
  save(): boolean;
  /** Hits and misses so far, for benchmarks and `--verbose`. */
  readonly stats: { hits: number; misses: number };
}

/**
 * Hash of what produces a parse result besides the file itself: the tool's version, the source
 * of `src/kb` and `src/schema`, the installed parser versions, Node's version. Undefined when the
 * sources cannot be read (e.g. inside a bundle): caching is then disabled rather than unsafe.
 */
function computeFingerprint(): string | undefined {
  try {
    const parts: string[] = [`format:${CACHE_FORMAT}`, `node:${process.versions.node}`];
    parts.push(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    for (const folder of ['src/kb', 'src/schema']) {
      const files = readdirSync(join(REPO_ROOT, folder), { recursive: true, encoding: 'utf8' })
        .filter((name) => name.endsWith('.ts'))
        .sort();
      if (files.length === 0) throw new Error(`no sources in ${folder}`);
      for (const name of files) parts.push(name, readFileSync(join(REPO_ROOT, folder, name), 'utf8'));
    }
    for (const name of PARSER_PACKAGES) {
      const manifest = join(REPO_ROOT, 'node_modules', name, 'package.json');
      parts.push(
        `${name}:${existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version : 'none'}`,
      );
    }
    return hash('sha256', parts.join('\0'));
  } catch {
    return undefined;
  }
}

/**
 * Computed once, when this module loads: the sources hashed are then the sources running. (Hashed
 * lazily, a long-lived process whose files were edited after it started would file results of the
 * old code under the new code's key.)
 */
const FINGERPRINT = computeFingerprint();

export function codeFingerprint(): string | undefined {
  return FINGERPRINT;
}

/** Cache files of other roots unused for this long are deleted (temporary roots leave them behind). */
const PRUNE_AFTER_MS = 14 * 86_400_000;

function pruneOldCaches(dir: string): void {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    if (!/^parse-[0-9a-f]+\.json$/.test(name)) continue;
    try {
      if (now - statSync(join(dir, name)).mtimeMs > PRUNE_AFTER_MS) unlinkSync(join(dir, name));
    } catch {
      // Another run pruned it first.
    }
  }
}

/** The cache key for a taxonomy: undefined when caching is unavailable. */
export function cacheKey(taxonomy: Taxonomy | undefined): string | undefined {
  const code = codeFingerprint();
  return code === undefined ? undefined : hash('sha256', `${code}\0${JSON.stringify(taxonomy ?? null)}`);
}

/** Where the parse cache of the knowledge base at `root` lives. */
export function defaultCacheFile(root: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const name = `parse-${hash('sha1', resolve(root)).slice(0, 16)}.json`;
  const configured = env['HINDSIGHT_CACHE_DIR'];
  if (configured) return join(resolve(cwd, configured), 'hindsight', name);
  for (const base of [root, cwd]) {
    if (existsSync(join(base, 'node_modules'))) return join(base, 'node_modules', '.cache', 'hindsight', name);
  }
  return join(tmpdir(), 'hindsight-cache', name);
}

/**
 * JSON with every character outside ASCII escaped (`\u00e9`): the same data, in a file that reads
 * back as a one-byte string whatever the documents contain (text with one "é" would otherwise make
 * the whole 30 MB string two-byte: twice the memory, and slower to parse).
 */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function readStored(file: string, key: string): Record<string, StoredEntry> {
  try {
    const bytes = readFileSync(file);
    // Written by `asciiJson`: anything else is not a cache this version wrote.
    if (!isAscii(bytes)) return {};
    const stored = JSON.parse(bytes.toString('latin1')) as Partial<StoredCache> | null;
    if (stored?.format === CACHE_FORMAT && stored.key === key && stored.entries && typeof stored.entries === 'object') {
      return stored.entries;
    }
  } catch {
    // Missing, unreadable or corrupted: start empty.
  }
  return {};
}

const decoder = new TextDecoder();

/** Buffers at least this large hold many files (the reader thread's batches, `./read.ts`). */
const SHARED_BUFFER_BYTES = 1024 * 1024;
const latin1Of = new WeakMap<ArrayBufferLike, string>();

/**
 * A file's text. An ASCII file in a large shared buffer is a slice of one string made from the
 * whole buffer (ASCII reads the same as Latin-1 and as UTF-8): one large string instead of
 * thousands of small ones that the garbage collector would copy as they survive (10,000
 * postmortems: 46 MB of text). Anything else is decoded on its own, as before.
 */
function textOf(bytes: Uint8Array): string {
  const { buffer } = bytes;
  if (buffer.byteLength < SHARED_BUFFER_BYTES || !isAscii(bytes)) return decoder.decode(bytes);
  let whole = latin1Of.get(buffer);
  if (whole === undefined) {
    whole = Buffer.from(buffer).toString('latin1');
    latin1Of.set(buffer, whole);
  }
  return whole.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
}

/** Plausible stored entry: guards against a cache edited or truncated into another shape. */
function isEntry(value: unknown): value is StoredEntry {
  if (!value || typeof value !== 'object') return false;
  const entry = value as Partial<StoredEntry>;
  return (
    typeof entry.hash === 'string' &&
    !!entry.parsed &&
    typeof entry.parsed === 'object' &&
    Array.isArray(entry.parsed.diagnostics)
  );
}

/** Rebuild a full result from a stored entry and the file's text; undefined when they disagree. */
function restore(entry: StoredEntry, bytes: Uint8Array): ParsedFile | undefined {
  if (entry.bodyFrom === undefined && entry.yamlLength === undefined) return entry.parsed;
  const text = normalizeText(textOf(bytes));
  const parsed: ParsedFile = { ...entry.parsed };
  if (entry.bodyFrom !== undefined) {
    if (!parsed.doc || entry.bodyFrom > text.length) return undefined;
    parsed.doc = { ...parsed.doc, body: text.slice(entry.bodyFrom) };
  }
  if (entry.yamlLength !== undefined) {
    if (!parsed.frontmatter) return undefined;
    const start = parsed.frontmatter.firstLineColumn;
    parsed.frontmatter = { ...parsed.frontmatter, yaml: text.slice(start, start + entry.yamlLength) };
  }
  return parsed;
}

/** Leave out what can be sliced from the file again; keep it when the slice would differ. */
function compact(hashHex: string, parsed: ParsedFile, bytes: Uint8Array): StoredEntry {
  if (!parsed.doc && !parsed.frontmatter) return { hash: hashHex, parsed };
  const text = normalizeText(decoder.decode(bytes));
  const stored: StoredEntry = { hash: hashHex, parsed: { ...parsed } };
  if (parsed.doc && text.endsWith(parsed.doc.body)) {
    stored.bodyFrom = text.length - parsed.doc.body.length;
    stored.parsed.doc = { ...parsed.doc, body: '' };
  }
  const fm = parsed.frontmatter;
  if (fm && text.startsWith(fm.yaml, fm.firstLineColumn)) {
    stored.yamlLength = fm.yaml.length;
    stored.parsed.frontmatter = { ...fm, yaml: '' };
  }
  return stored;
}

/**
 * Open the parse cache for a knowledge base. Returns undefined when caching is unavailable
 * (the key cannot be computed); callers then parse everything.
 *
 * @param options.file cache file; default `defaultCacheFile(root)`
 */
export function openParseCache(
  root: string,
  taxonomy: Taxonomy | undefined,
  options: { file?: string } = {},
): ParseCache | undefined {
  const key = cacheKey(taxonomy);
  if (key === undefined) return undefined;
  const file = options.file ?? defaultCacheFile(root);
  const previous = readStored(file, key);
  const next: Record<string, StoredEntry> = {};
  const stats = { hits: 0, misses: 0 };
  // Unchanged when every stored entry was hit and nothing new was set: saving is then skipped.
  let changed = false;
  return {
    file,
    stats,
    get(relPath, bytes, sha1) {
      const entry = Object.hasOwn(previous, relPath) ? previous[relPath] : undefined;
      if (!isEntry(entry) || entry.hash !== (sha1 ?? hash('sha1', bytes))) {
        stats.misses += 1;
        return undefined;
      }
      const parsed = restore(entry, bytes);
      if (!parsed) {
        stats.misses += 1;
        return undefined;
      }
      next[relPath] = entry;
      stats.hits += 1;
      return parsed;
    },
    set(relPath, bytes, parsed, sha1) {
      next[relPath] = compact(sha1 ?? hash('sha1', bytes), parsed, bytes);
      changed = true;
    },
    save() {
      if (!changed && stats.hits === Object.keys(previous).length) return true;
      const data: StoredCache = { format: CACHE_FORMAT, key, entries: next };
      const temp = `${file}.${process.pid}.tmp`;
      try {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(temp, asciiJson(data));
        renameSync(temp, file);
        pruneOldCaches(dirname(file));
        return true;
      } catch {
        return false;
      }
    },
  };
}
