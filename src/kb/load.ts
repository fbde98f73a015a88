/**
 * Load a knowledge base from disk: the taxonomy, then every `*.md` under `content/postmortems`,
 * `content/playbooks` and `content/paths` (recursively; the folder gives the kind).
 *
 * Two layers:
 * - `parseDocumentFile(relPath, bytes, schemas)` is pure (bytes in, document and diagnostics
 *   out), so a content-hash cache or worker threads can wrap it without touching anything else;
 *   `parseAndCheckFile` adds what the rules can work out from the file alone (file-local rules,
 *   positions), which is what the cache keeps.
 * - `loadKnowledgeBase(root)` walks the folders safely and reads each file once, bounded in size:
 *   symbolic links that lead outside `content/` are refused, symbolic links to folders are not
 *   followed, only regular files are opened, files over `MAX_FILE_BYTES` are never read, and
 *   empty, binary and invalid UTF-8 files are diagnostics (`./read.ts`; with many files and a
 *   cache to parse, a reader thread reads them meanwhile).
 *
 * A document that fails its schema is never dropped silently: its diagnostics are returned, it is
 * left out of `kb.docs` (the site must not build it), and it is listed in `rejected` with the id
 * it claims, so rules can still see it (a duplicate id with a broken file is still a duplicate,
 * and a link to a broken document is not also reported as a link to nothing).
 */
import { existsSync, lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { KINDS, TAXONOMY_FILE, taxonomySchema, type Kind, type Schemas, type Taxonomy } from '../schema/index.ts';
import type { Diagnostic } from './diagnostics.ts';
import { locateField, parseFrontmatter, parseYamlFile, type FrontmatterSource } from './frontmatter.ts';
import { analyzeBody, isImageFile } from './markdown.ts';
import { buildKnowledgeBase, type AnyDoc, type KnowledgeBase, type Point } from './model.ts';
import { issuesToDiagnostics } from './schema-issues.ts';
import { checkDocumentLimit } from './limits.ts';
import { MAX_FILE_BYTES, readFiles, readOutcome, type ReadOutcome } from './read.ts';
import { cacheFileFor, openCache, parseFiles, parseSettings, type ParseOptions } from './workers.ts';
import { fieldKey, locateAhead, runFileRules, type FieldPositions, type FileChecks } from './rules/index.ts';

export { MAX_FILE_BYTES, readBounded } from './read.ts';

/** A document file that was found but not loaded (unreadable or invalid), with the id it claims. */
export interface RejectedDoc {
  kind: Kind;
  file: string;
  /** The frontmatter `id`, when it could be read as a string. */
  id?: string;
}

/** The result of reading one document file: pure, serialisable. */
export interface ParsedFile {
  /** The loaded document, when it passed its schema. */
  doc?: AnyDoc;
  /** Set instead of `doc` when the file is a document that could not be loaded. */
  rejected?: RejectedDoc;
  /** The frontmatter text, for locating fields later. */
  frontmatter?: FrontmatterSource;
  diagnostics: Diagnostic[];
  /**
   * With `doc`: what the file-local rules found in it (`FILE_RULES` in `./rules/index.ts`), run
   * by `parseAndCheckFile` so that the parse cache keeps it. Absent when they were not run.
   */
  checks?: FileChecks;
  /** With `doc`: positions of the fields other rules are likely to report at (`Rule.locatesFields`). */
  positions?: FieldPositions;
}

export interface LoadResult {
  kb: KnowledgeBase;
  diagnostics: Diagnostic[];
  /** Documents found but not loaded; each has at least one error in `diagnostics`. */
  rejected: RejectedDoc[];
  /** Every content file seen (root-relative, POSIX), loaded or not, sorted. */
  files: string[];
  /**
   * Every other file under `content/` (images and attachments: not Markdown, not hidden), sorted,
   * for checking image paths. Optional so that results assembled elsewhere (tests) need not list them.
   */
  assets?: string[];
  /** File position of a frontmatter field; the start of the frontmatter when it is absent. */
  locate: (file: string, path: readonly (string | number)[]) => Point;
  /**
   * What the file-local rules found, by document file, for the documents they already ran on
   * while parsing (`parseAndCheckFile`). `runRules` uses these instead of running those rules again.
   */
  checks?: ReadonlyMap<string, FileChecks>;
}

const FOLDER_KIND = new Map<string, Kind>(Object.entries(KINDS).map(([kind, folder]) => [folder, kind as Kind]));

/** The kind of a root-relative path such as `content/playbooks/x.md`, or undefined. */
export function kindOfPath(relPath: string): Kind | undefined {
  const [top, folder] = relPath.split('/');
  return top === 'content' && folder !== undefined ? FOLDER_KIND.get(folder) : undefined;
}

function error(file: string, code: string, message: string, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { code, severity: 'error', file, line: 1, column: 1, message, ...extra };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Lenient = new TextDecoder('utf-8');

/** Bytes → text, or a diagnostic for empty, binary and invalid UTF-8 content. Pure. */
export function decodeContent(relPath: string, bytes: Uint8Array): { text?: string; diagnostics: Diagnostic[] } {
  if (bytes.length === 0) {
    return {
      diagnostics: [
        error(relPath, 'file-empty', 'the file is empty', {
          hint: 'delete it, or start from a template: `npx hindsight new`',
        }),
      ],
    };
  }
  if (bytes.length > MAX_FILE_BYTES) return { diagnostics: [tooLarge(relPath, bytes.length)] };
  const utf16 = utf16Order(bytes);
  if (utf16 !== undefined) {
    return {
      diagnostics: [
        error(relPath, 'invalid-utf8', 'UTF-16 text: save the file as UTF-8', {
          expected: 'UTF-8 encoded text',
          found: `UTF-16 (${utf16})`,
          hint: 'in your editor, re-save with the encoding "UTF-8" (e.g. VS Code: "Save with Encoding"; Notepad: "Save As", Encoding: UTF-8)',
        }),
      ],
    };
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return {
      diagnostics: [
        error(relPath, 'binary-file', 'the file is binary (it contains NUL bytes), not Markdown text', {
          ...pointOf(bytes, nul),
          found: 'a NUL byte (0x00)',
          hint: 'binary files do not belong in the content folders; keep images and attachments elsewhere',
        }),
      ],
    };
  }
  try {
    return { text: utf8.decode(bytes), diagnostics: [] };
  } catch {
    const lenient = utf8Lenient.decode(bytes);
    const bad = lenient.indexOf('\uFFFD');
    const before = bad === -1 ? '' : lenient.slice(0, bad);
    const line = before.split('\n').length;
    const column = bad === -1 ? 1 : bad - before.lastIndexOf('\n');
    return {
      diagnostics: [
        error(relPath, 'invalid-utf8', 'the file is not valid UTF-8 text', {
          line,
          column,
          expected: 'UTF-8 encoded text',
          hint: 're-save the file as UTF-8 in your editor',
        }),
      ],
    };
  }
}

/**
 * `'little-endian'` or `'big-endian'` when the bytes are UTF-16 text: a UTF-16 byte-order mark, or
 * (with no mark) a first line `---` written in UTF-16, as some Windows tools save it. Undefined
 * otherwise. UTF-16 is not binary, but it is not UTF-8 either, and Astro reads only UTF-8.
 */
export function utf16Order(bytes: Uint8Array): 'little-endian' | 'big-endian' | undefined {
  const [a, b, c, d] = bytes;
  if ((a === 0xff && b === 0xfe) || (a === 0x2d && b === 0 && c === 0x2d && d === 0)) return 'little-endian';
  if ((a === 0xfe && b === 0xff) || (a === 0 && b === 0x2d && c === 0 && d === 0x2d)) return 'big-endian';
  return undefined;
}

/** 1-based line and column (in characters) of a byte offset, counting `\n` and lone `\r` as line ends. */
function pointOf(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const byte = bytes[i];
    if (byte === 0x0a || (byte === 0x0d && bytes[i + 1] !== 0x0a)) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: utf8Lenient.decode(bytes.subarray(lineStart, offset)).length + 1 };
}

function tooLarge(file: string, size: number): Diagnostic {
  return error(
    file,
    'file-too-large',
    `the file is ${(size / 1024 / 1024).toFixed(1)} MiB, over the ${MAX_FILE_BYTES / 1024 / 1024} MiB limit`,
    {
      expected: `at most ${MAX_FILE_BYTES} bytes`,
      found: `${size} bytes`,
      hint: 'split it, or move logs and attachments out of the document and link to them',
    },
  );
}

/**
 * Read one document file: decode, split frontmatter, validate against its kind's schema, parse
 * the body. Pure and synchronous: no file system, no shared state.
 *
 * @param relPath root-relative POSIX path under `content/<kind folder>/`
 * @param bytes the file's content
 * @param schemas from `createSchemas(taxonomy)`; `undefined` when the taxonomy is invalid
 *   (the frontmatter is still checked for syntax, the schema is not)
 */
export function parseDocumentFile(relPath: string, bytes: Uint8Array, schemas: Schemas | undefined): ParsedFile {
  try {
    return parseDocumentFileUnsafe(relPath, bytes, schemas);
  } catch (err) {
    // A safety net: one file Hindsight cannot handle must not stop the others from being checked.
    const kind = kindOfPath(relPath);
    return {
      ...(kind ? { rejected: { kind, file: relPath } } : {}),
      diagnostics: [
        error(relPath, 'internal-error', `Hindsight could not read this file: ${(err as Error).message}`, {
          hint: 'this is a bug in Hindsight, not necessarily in your file; please report it with the file attached',
        }),
      ],
    };
  }
}

/**
 * `parseDocumentFile`, then the file-local rules over the document it loaded (their results
 * depend on this file and the taxonomy alone, so they are cached with the parse). This is what
 * the parse cache and the worker threads run. Pure.
 */
export function parseAndCheckFile(
  relPath: string,
  bytes: Uint8Array,
  schemas: Schemas | undefined,
  taxonomy: Taxonomy | undefined,
): ParsedFile {
  const parsed = parseDocumentFile(relPath, bytes, schemas);
  if (!parsed.doc || !taxonomy) return parsed;
  const checks = runFileRules(parsed.doc, parsed.frontmatter, taxonomy);
  const positions = locateAhead(parsed.doc, parsed.frontmatter);
  return { ...parsed, ...(checks ? { checks } : {}), ...(positions ? { positions } : {}) };
}

/** Deepest blockquote nesting accepted. Real documents use two or three levels. */
export const MAX_QUOTE_DEPTH = 32;

/**
 * The first line whose blockquote nesting exceeds `MAX_QUOTE_DEPTH`, or 0. The Markdown parser
 * takes time quadratic in that depth (a 1 MiB line of `>` takes minutes), so such a body is
 * refused before it is parsed.
 */
export function tooDeeplyQuoted(body: string): number {
  if (!NESTED_QUOTE.test(body)) return 0;
  const deep = DEEP_QUOTE.exec(body);
  return deep ? body.slice(0, deep.index).split('\n').length : 0;
}

const NESTED_QUOTE = />[ \t]*>/;
const DEEP_QUOTE = new RegExp(`^[ \\t]*(?:>[ \\t]*){${MAX_QUOTE_DEPTH + 1}}`, 'm');

/** Most `*` and `_` emphasis markers accepted in one paragraph. Prose uses a handful. */
export const MAX_EMPHASIS_MARKERS = 20_000;

/** Most character references (`&amp;`, `&#38;`) accepted in one paragraph. */
export const MAX_CHARACTER_REFERENCES = 1_000;

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const CHARACTER_REFERENCE = /&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/g;

/**
 * The first paragraph (outside fenced code) that the Markdown parser would take quadratic time
 * or memory over, or undefined. Measured with Sätteri: emphasis markers left open (`*a_ `
 * repeated: 470 KiB take twelve seconds) and character references (`a &amp; ` repeated: 10,000
 * take half a second, 20,000 make a string of over 512 MiB and crash the parse). Such a body is
 * refused before it is parsed. Underscores inside words (`snake_case`) never open or close
 * emphasis and are not counted. Consecutive non-blank lines count as one paragraph, which
 * over-counts lists and tables: the limits are far above what prose uses.
 */
export function crowdedParagraph(body: string): { line: number; what: 'emphasis' | 'references' } | undefined {
  if (body.length <= 4 * MAX_CHARACTER_REFERENCES) return undefined;
  const lines = body.split('\n');
  let fence: string | undefined;
  let start = 0;
  let markers = 0;
  let references = 0;
  for (const [i, line] of lines.entries()) {
    const opening = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      if (opening !== undefined && opening.startsWith(fence.charAt(0)) && opening.length >= fence.length)
        fence = undefined;
      continue;
    }
    if (opening !== undefined || line.trim() === '') {
      fence = opening;
      markers = 0;
      references = 0;
      continue;
    }
    if (markers === 0 && references === 0) start = i;
    for (let c = 0; c < line.length; c++) {
      const ch = line.charCodeAt(c);
      if (ch === 42 /* * */) markers += 1;
      else if (ch === 95 /* _ */ && !(isWordChar(line.charCodeAt(c - 1)) && isWordChar(line.charCodeAt(c + 1))))
        markers += 1;
    }
    if (line.includes('&')) references += line.match(CHARACTER_REFERENCE)?.length ?? 0;
    if (markers > MAX_EMPHASIS_MARKERS) return { line: start + 1, what: 'emphasis' };
    if (references > MAX_CHARACTER_REFERENCES) return { line: start + 1, what: 'references' };
  }
  return undefined;
}

function isWordChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function parseDocumentFileUnsafe(relPath: string, bytes: Uint8Array, schemas: Schemas | undefined): ParsedFile {
  const kind = kindOfPath(relPath);
  if (!kind)
    return {
      diagnostics: [
        error(
          relPath,
          'not-a-document',
          'the file is not in a document folder (content/postmortems, content/playbooks or content/paths)',
        ),
      ],
    };
  const decoded = decodeContent(relPath, bytes);
  if (decoded.text === undefined) return { rejected: { kind, file: relPath }, diagnostics: decoded.diagnostics };

  const fm = parseFrontmatter(decoded.text, relPath);
  const frontmatter = fm.source ? { frontmatter: fm.source } : {};
  const data = fm.data as Record<string, unknown> | undefined;
  const claimedId = data && typeof data['id'] === 'string' ? { id: data['id'] } : {};
  if (fm.diagnostics.length > 0 || data === undefined || !schemas) {
    return { rejected: { kind, file: relPath, ...claimedId }, ...frontmatter, diagnostics: fm.diagnostics };
  }

  const schema = schemas[kind];
  const result = schema.safeParse(data, { reportInput: true });
  if (!result.success) {
    const diagnostics = issuesToDiagnostics(result.error.issues, schema, relPath, (path, at) =>
      locateField(fm.source, path, at),
    );
    return { rejected: { kind, file: relPath, ...claimedId }, ...frontmatter, diagnostics };
  }
  const deep = tooDeeplyQuoted(fm.body);
  if (deep > 0) {
    return {
      rejected: { kind, file: relPath, id: result.data.id },
      ...frontmatter,
      diagnostics: [
        error(relPath, 'markdown-too-deep', `blockquotes are nested more than ${MAX_QUOTE_DEPTH} levels deep`, {
          line: fm.bodyLine + deep - 1,
          expected: `at most ${MAX_QUOTE_DEPTH} levels of ">"`,
          hint: 'quote less deeply; paste long logs in a fenced code block instead',
        }),
      ],
    };
  }
  const crowded = crowdedParagraph(fm.body);
  if (crowded) {
    const emphasis = crowded.what === 'emphasis';
    const limit = emphasis ? MAX_EMPHASIS_MARKERS : MAX_CHARACTER_REFERENCES;
    const what = emphasis ? '"*" and "_" markers' : 'character references such as "&amp;"';
    return {
      rejected: { kind, file: relPath, id: result.data.id },
      ...frontmatter,
      diagnostics: [
        error(relPath, 'markdown-too-complex', `this paragraph has more than ${limit} ${what}`, {
          line: fm.bodyLine + crowded.line - 1,
          expected: `at most ${limit} ${what} in one paragraph`,
          hint: 'paste logs and generated text in a fenced code block (```), where Markdown is not parsed',
        }),
      ],
    };
  }
  const info = analyzeBody(fm.body, fm.bodyLine);
  const doc = {
    kind,
    id: result.data.id,
    file: relPath,
    data: result.data,
    body: fm.body,
    bodyLine: fm.bodyLine,
    info,
  } as AnyDoc;
  return { doc, ...frontmatter, diagnostics: [] };
}

/** Parse and validate `content/taxonomy.yaml` text. Pure. */
export function parseTaxonomyFile(text: string): {
  taxonomy?: Taxonomy;
  source: FrontmatterSource;
  diagnostics: Diagnostic[];
} {
  const parsed = parseYamlFile(text, TAXONOMY_FILE);
  if (parsed.diagnostics.length > 0) return { source: parsed.source, diagnostics: parsed.diagnostics };
  const result = taxonomySchema.safeParse(parsed.data, { reportInput: true });
  if (result.success) return { taxonomy: result.data, source: parsed.source, diagnostics: [] };
  return {
    source: parsed.source,
    diagnostics: issuesToDiagnostics(result.error.issues, taxonomySchema, TAXONOMY_FILE, (path, at) =>
      locateField(parsed.source, path, at),
    ),
  };
}

/** A file found by the walk: where to read it from, and its root-relative name. */
interface Found {
  relPath: string;
  absPath: string;
}

const MARKDOWN_LIKE = /\.(?:md|markdown|mdx|mdown|mkd)$/i;

const errnoOf = (err: unknown) => (err as NodeJS.ErrnoException).code ?? 'error';

/** True when `path` exists and its real path is not `contentReal` or inside it. */
function leadsOutside(path: string, contentReal: string): boolean {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return false; // missing: nothing to read
  }
  return real !== contentReal && !real.startsWith(contentReal + sep);
}

/** What the walks collect. */
interface Walked {
  /** Documents to read. */
  found: Found[];
  /** Root-relative paths of the other files (images, attachments): never read, only named. */
  assets: string[];
  diagnostics: Diagnostic[];
}

/**
 * Walk one kind folder. Collects the files to read, the other files (images) as assets, and
 * diagnostics for what is refused or ignored. Never follows a symbolic link to a folder; follows
 * a symbolic link to a file only when its real path stays inside `content/`; never opens
 * anything but regular files (a named pipe would block the read forever).
 */
function walk(
  root: string,
  contentReal: string,
  folder: string,
  walked: Walked,
  relFolder = toRel(root, folder),
): void {
  const { found, assets, diagnostics } = walked;
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return;
    diagnostics.push(error(relFolder, 'file-unreadable', `the folder cannot be read (${errnoOf(err)})`));
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    // Names hold no separator: joined by hand, as `join` and `relative` would (10,000 files: 50 ms less).
    const absPath = `${folder}${sep}${entry.name}`;
    const relPath = `${relFolder}/${entry.name}`;
    const hidden = entry.name.startsWith('.');
    if (entry.isDirectory()) {
      if (!hidden) walk(root, contentReal, absPath, walked, relPath);
      continue;
    }
    // Symbolic links first: where they lead decides whether they are looked at at all.
    let target = absPath;
    let regular = entry.isFile();
    if (entry.isSymbolicLink()) {
      let real: string;
      try {
        real = realpathSync(absPath);
      } catch {
        diagnostics.push(error(relPath, 'file-unreadable', 'the symbolic link points to nothing'));
        continue;
      }
      if (real !== contentReal && !real.startsWith(contentReal + sep)) {
        diagnostics.push(
          error(relPath, 'symlink-outside', 'the symbolic link leads outside content/ and is not read', {
            hint: 'copy the document into content/ instead of linking to it',
          }),
        );
        continue;
      }
      let info;
      try {
        info = statSync(real);
      } catch (err) {
        diagnostics.push(error(relPath, 'file-unreadable', `the file cannot be read (${errnoOf(err)})`));
        continue;
      }
      if (info.isDirectory()) {
        diagnostics.push(
          error(relPath, 'symlink-folder', 'symbolic links to folders are not followed', {
            hint: 'move the documents into content/ instead',
          }),
        );
        continue;
      }
      target = real;
      regular = info.isFile();
    }
    if (hidden) {
      if (MARKDOWN_LIKE.test(entry.name)) {
        diagnostics.push({
          ...error(relPath, 'ignored-file', 'hidden files are not published; this document is ignored'),
          severity: 'warning',
          hint: 'remove the leading "." from the file name to publish it',
        });
      }
      continue;
    }
    if (!entry.name.endsWith('.md')) {
      if (MARKDOWN_LIKE.test(entry.name)) {
        diagnostics.push(
          error(
            relPath,
            'not-markdown-extension',
            'only files ending in ".md" are documents; this one would never be published',
            {
              found: JSON.stringify(entry.name),
              hint: `rename it to "${entry.name.replace(MARKDOWN_LIKE, '.md')}"`,
            },
          ),
        );
      } else {
        if (regular) assets.push(relPath);
        // Images next to the documents that show them are expected; anything else is probably stray.
        if (!isImageFile(entry.name))
          diagnostics.push({
            ...error(relPath, 'ignored-file', 'not a Markdown document; ignored'),
            severity: 'warning',
            hint: 'keep only .md documents and the images they show in the content folders',
          });
      }
      continue;
    }
    if (!regular) {
      diagnostics.push(error(relPath, 'file-unreadable', 'not a regular file (a device, socket or pipe); not read'));
      continue;
    }
    found.push({ relPath, absPath: target });
  }
}

/**
 * Collect the files outside the kind folders (e.g. `content/images/`) as assets, without
 * diagnostics: nothing there is a document. `skip` holds absolute paths left out (the kind
 * folders, walked by `walk`, and the taxonomy). Hidden entries, symbolic links leading outside
 * `content/` and links to folders are left out, as in `walk`.
 */
function walkAssets(
  root: string,
  contentReal: string,
  folder: string,
  skip: ReadonlySet<string>,
  assets: string[],
): void {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const absPath = join(folder, entry.name);
    if (skip.has(absPath)) continue;
    if (entry.isDirectory()) {
      walkAssets(root, contentReal, absPath, skip, assets);
      continue;
    }
    let regular = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const real = realpathSync(absPath);
        regular = real.startsWith(contentReal + sep) && statSync(real).isFile();
      } catch {
        regular = false;
      }
    }
    if (regular && !MARKDOWN_LIKE.test(entry.name)) assets.push(toRel(root, absPath));
  }
}

function toRel(root: string, absPath: string): string {
  return relative(root, absPath).split(sep).join('/');
}

const EMPTY_TAXONOMY: Taxonomy = { categories: [], severities: [], detection_sources: [], services: [] };

/**
 * Load the knowledge base under `root` (a folder holding `content/`). Never throws for bad
 * content: every problem is a diagnostic. Documents are sorted by file path, so "the first of
 * two documents with one id" is stable.
 *
 * @param options.files accepted for symmetry with `validateKnowledgeBase`; the whole knowledge
 *   base is always loaded (references resolve against all of it) and nothing is filtered here
 */
export async function loadKnowledgeBase(
  root: string,
  options: { files?: readonly string[] } & Pick<ParseOptions, 'cache' | 'threads' | 'onProgress'> = {},
): Promise<LoadResult> {
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, FrontmatterSource>();

  // 1. Taxonomy: the enums every schema is built from.
  let taxonomy: Taxonomy | undefined;
  const taxonomyRead = readTaxonomy(root);
  if ('diagnostic' in taxonomyRead) {
    const missing = taxonomyRead.diagnostic.code === 'file-unreadable' && taxonomyRead.errno === 'ENOENT';
    diagnostics.push(
      missing
        ? error(TAXONOMY_FILE, 'taxonomy-missing', 'the taxonomy file is missing', {
            hint: 'every knowledge base needs content/taxonomy.yaml; copy the bundled one and adapt it',
          })
        : taxonomyRead.diagnostic,
    );
  } else {
    const decoded = decodeContent(TAXONOMY_FILE, taxonomyRead.bytes);
    if (decoded.text === undefined) diagnostics.push(...decoded.diagnostics);
    else {
      const parsed = parseTaxonomyFile(decoded.text);
      sources.set(TAXONOMY_FILE, parsed.source);
      diagnostics.push(...parsed.diagnostics);
      taxonomy = parsed.taxonomy;
    }
  }

  // 2. Find the documents.
  let contentReal = join(root, 'content');
  try {
    contentReal = realpathSync(contentReal);
  } catch {
    // No content/ folder: the walk finds nothing; the CLI reports a usage error before this.
  }
  const walked: Walked = { found: [], assets: [], diagnostics };
  const { found, assets } = walked;
  const kindFolders = new Set(Object.values(KINDS).map((folder) => join(root, 'content', folder)));
  for (const folder of Object.values(KINDS)) {
    const kindFolder = join(root, 'content', folder);
    if (leadsOutside(kindFolder, contentReal)) {
      // A kind folder that is a symbolic link out of content/: nothing in it is read.
      diagnostics.push(
        error(
          toRel(root, kindFolder),
          'symlink-outside',
          'the folder is a symbolic link leading outside content/; nothing in it is read',
          {
            hint: 'move the documents into content/ instead of linking to them',
          },
        ),
      );
      continue;
    }
    walk(root, contentReal, kindFolder, walked);
  }
  walkAssets(root, contentReal, join(root, 'content'), new Set([...kindFolders, join(root, TAXONOMY_FILE)]), assets);
  assets.sort();
  found.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));

  // 3. Read them (bounded in size) and hash them, then parse each with `parseAndCheckFile`:
  //    unchanged files come from the content-hash cache, the rest run on worker threads when
  //    there are many (`./workers.ts`). With many files and a cache file to parse, a reader
  //    thread reads them while this thread parses the cache file (`./read.ts`).
  const { onProgress } = options;
  const settings = parseSettings(options);
  const cacheFile = cacheFileFor(root, settings.cache);
  // The reader thread pays only when there is a cache file to parse meanwhile.
  const background = settings.threads !== 0 && cacheFile !== undefined && existsSync(cacheFile);
  const reading = readFiles(
    found.map((file) => file.absPath),
    { background },
  );
  const cache = openCache(root, taxonomy, settings.cache);
  const { outcomes } = await reading;
  const reads = found.map((file, i) => ({ file, read: fromOutcome(file.relPath, outcomes[i] as ReadOutcome) }));
  const inputs = reads.flatMap(({ file, read }) =>
    'diagnostic' in read ? [] : [{ relPath: file.relPath, bytes: read.bytes, sha1: read.sha1 }],
  );
  // Too large for one site: say so, with how to shard, before Astro fails on it (`./limits.ts`).
  const limit = checkDocumentLimit({
    documents: found.length,
    bytes: inputs.reduce((sum, input) => sum + input.bytes.length, 0),
  });
  if (limit) diagnostics.push(limit);
  const report = await parseFiles(inputs, taxonomy, {
    root,
    cache: cache ?? false,
    ...(settings.threads !== undefined ? { threads: settings.threads } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  const byPath = new Map(inputs.map((input, index) => [input.relPath, report.results[index] as ParsedFile]));
  const parsed: ParsedFile[] = reads.map(({ file, read }) =>
    'diagnostic' in read
      ? { rejected: { kind: kindOfPath(file.relPath) as Kind, file: file.relPath }, diagnostics: [read.diagnostic] }
      : (byPath.get(file.relPath) as ParsedFile),
  );

  const docs: AnyDoc[] = [];
  const rejected: RejectedDoc[] = [];
  const checks = new Map<string, FileChecks>();
  const positions = new Map<string, FieldPositions>();
  for (const result of parsed) {
    diagnostics.push(...result.diagnostics);
    if (result.doc) docs.push(result.doc);
    if (result.doc && result.checks) checks.set(result.doc.file, result.checks);
    if (result.doc && result.positions) positions.set(result.doc.file, result.positions);
    if (result.rejected) rejected.push(result.rejected);
    const file = result.doc?.file ?? result.rejected?.file;
    if (file && result.frontmatter) sources.set(file, result.frontmatter);
  }
  if (!taxonomy && found.length > 0) {
    diagnostics.push(
      error(
        TAXONOMY_FILE,
        'taxonomy-invalid',
        `${found.length} document${found.length === 1 ? ' was' : 's were'} not checked against their schema because the taxonomy is invalid`,
        {
          hint: 'fix the taxonomy first, then validate again',
        },
      ),
    );
  }

  const kb = buildKnowledgeBase(root, taxonomy ?? EMPTY_TAXONOMY, docs);
  return {
    kb,
    diagnostics,
    rejected,
    files: found.map((f) => f.relPath),
    assets,
    // Positions worked out while parsing first (the same `locateField` over the same text).
    locate: (file, path) => positions.get(file)?.[fieldKey(path)] ?? locateField(sources.get(file), path, 'value'),
    checks,
  };
}

/**
 * Read `content/taxonomy.yaml`. A symbolic link is followed only when its real path stays inside
 * `content/` (the file is otherwise opened without following links, which would only say ELOOP).
 */
function readTaxonomy(root: string): ReturnType<typeof readFile> {
  const absPath = join(root, TAXONOMY_FILE);
  let link = false;
  try {
    link = lstatSync(absPath).isSymbolicLink();
  } catch {
    // Missing or unreadable: `readFile` says which.
  }
  if (!link) return readFile(root, TAXONOMY_FILE);
  let real: string;
  let contentReal: string;
  try {
    real = realpathSync(absPath);
    contentReal = realpathSync(join(root, 'content'));
  } catch {
    // Not ENOENT on purpose: "the taxonomy file is missing" would hide that a link is there.
    return {
      diagnostic: error(TAXONOMY_FILE, 'file-unreadable', 'the symbolic link points to nothing'),
      errno: 'ELINK',
    };
  }
  if (!real.startsWith(contentReal + sep)) {
    return {
      diagnostic: error(
        TAXONOMY_FILE,
        'symlink-outside',
        'the taxonomy is a symbolic link leading outside content/ and is not read',
        {
          hint: 'copy the taxonomy into content/taxonomy.yaml instead of linking to it',
        },
      ),
      errno: 'ELOOP',
    };
  }
  return readFile(root, TAXONOMY_FILE, real);
}

/** Read one file for loading: its bytes, or a diagnostic (too large, unreadable). */
function readFile(root: string, relPath: string, absPath = join(root, relPath)): ReturnType<typeof fromOutcome> {
  return fromOutcome(relPath, readOutcome(absPath));
}

/** A read's outcome as the loader needs it: the bytes, or a diagnostic (too large, unreadable). */
function fromOutcome(
  relPath: string,
  outcome: ReadOutcome,
): { bytes: Uint8Array; sha1: string } | { diagnostic: Diagnostic; errno: string } {
  if ('bytes' in outcome) return outcome;
  if ('tooLarge' in outcome) return { diagnostic: tooLarge(relPath, outcome.tooLarge), errno: 'EFBIG' };
  const { errno } = outcome;
  const what = errno === 'ENOTREG' ? 'not a regular file; not read' : `the file cannot be read (${errno})`;
  return { diagnostic: error(relPath, 'file-unreadable', what), errno };
}
