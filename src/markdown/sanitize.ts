/**
 * Allowlist sanitizer for the HTML a Markdown body produces, raw HTML included.
 *
 * Why it is needed: Sätteri (Astro's Markdown processor) emits raw HTML verbatim and keeps
 * `javascript:` URLs in Markdown links, so without this a pull request could put a script on
 * every reader's page. The allowlist is GitHub's (hast-util-sanitize's `defaultSchema`), made
 * stricter: no forms, no comments, no `picture`/`source`, `http`/`https`/`mailto` links only, and `script`, `style`,
 * `iframe`, `object`, `svg`… removed together with their content. Everything else that is not
 * allowed is unwrapped (its text stays, the tag goes).
 *
 * How it runs: as a Sätteri hast plugin, which must be the FIRST hast plugin (see
 * `src/markdown/index.ts`), with `features.rawHtml: true` so raw HTML arrives as real elements
 * (tags that open in one HTML block and close in another stay paired). The common case costs
 * one visit per element: attributes are cleaned in place. Only a document that contains an
 * element outside the allowlist pays for a full-tree pass with hast-util-sanitize (materializing
 * the tree is ~10× a normal render, so it is kept off the common path). If `rawHtml` is off,
 * each raw HTML fragment is parsed and sanitized on its own instead.
 */
import {
  defineHastPlugin,
  htmlToHast,
  type HastPluginDefinition,
  type HastPluginEntry,
  type HastVisitorContext,
  type PluginFactoryContext,
} from 'satteri';
import { defaultSchema, sanitize, type Schema } from 'hast-util-sanitize';
import type { Element, Nodes, Properties, Root } from 'hast';

/** Prefix put on author-written `id`/`name` values so they cannot clobber page globals. */
export const CLOBBER_PREFIX = 'user-content-';
const CLOBBERED = new Set(['id', 'name', 'ariaDescribedBy', 'ariaLabelledBy']);

/** Removed with everything inside them (their content is code, styles or a foreign document). */
const STRIP = [
  'script',
  'style',
  'template',
  'noscript',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'svg',
  'math',
  'textarea',
  'select',
  'title',
  'xmp',
  'noembed',
  'noframes',
  'plaintext',
  'head',
  'meta',
  'base',
  'link',
];

/** Form-related attributes GitHub's list allows on every element; useless without forms. */
const FORM_ATTRIBUTES = new Set(['accept', 'acceptCharset', 'action', 'encType', 'method', 'prompt']);

const TABLE_ALIGN = /^\s*text-align\s*:\s*(left|right|center)\s*;?\s*$/i;

/**
 * The allowlist: GitHub's, minus forms and comments, with table-cell alignment (rewritten to
 * `align`, see {@link cleanProperties}) and Sätteri's footnote class added.
 */
export const sanitizeSchema: Schema = {
  ...defaultSchema,
  allowComments: false,
  allowDoctypes: false,
  // Prefixing is done by `cleanProperties`, which leaves values that already carry the prefix
  // alone (Sätteri's footnote ids do), so footnote links keep working.
  clobber: [],
  clobberPrefix: '',
  strip: STRIP,
  // `picture`/`source` only add ways to load images (srcset is not protocol-checked); `img` stays.
  tagNames: (defaultSchema.tagNames ?? []).filter(
    (tag) => !STRIP.includes(tag) && tag !== 'picture' && tag !== 'source',
  ),
  attributes: {
    ...defaultSchema.attributes,
    '*': (defaultSchema.attributes?.['*'] ?? []).filter(
      (entry) => !FORM_ATTRIBUTES.has(typeof entry === 'string' ? entry : entry[0]),
    ),
    a: [...(defaultSchema.attributes?.['a'] ?? []), ['className', 'data-footnote-backref']],
    td: [['style', TABLE_ALIGN]],
    th: [['style', TABLE_ALIGN]],
  },
  protocols: {
    cite: ['http', 'https'],
    href: ['http', 'https', 'mailto'],
    longDesc: ['http', 'https'],
    src: ['http', 'https'],
  },
};

const ALLOWED_TAGS = new Set(sanitizeSchema.tagNames ?? []);
/** For one element seen without its ancestors: the HTML parser already keeps cells in tables. */
const SHALLOW_SCHEMA: Schema = { ...sanitizeSchema, ancestors: {} };
const URL_PROPERTIES = new Set(['href', 'src', 'cite', 'longDesc']);

function prefixed(value: unknown): unknown {
  if (typeof value === 'string') return value.startsWith(CLOBBER_PREFIX) ? value : CLOBBER_PREFIX + value;
  if (Array.isArray(value)) return value.map(prefixed);
  return value;
}

/**
 * The safe properties of one element: the schema's allowlist, then table alignment turned
 * into `align` (no `style` attribute reaches a page) and author ids prefixed.
 * Returns `undefined` when the element itself is not allowed.
 */
export function cleanProperties(tagName: string, properties: Readonly<Properties>): Properties | undefined {
  if (!ALLOWED_TAGS.has(tagName)) return undefined;
  const result = sanitize({ type: 'element', tagName, properties: { ...properties }, children: [] }, SHALLOW_SCHEMA);
  if (result.type !== 'element') return undefined;
  return finishProperties(result.properties);
}

function finishProperties(properties: Readonly<Properties>): Properties {
  const out: Properties = {};
  for (const [key, value] of Object.entries(properties)) {
    if (key === 'style') {
      const align = typeof value === 'string' ? TABLE_ALIGN.exec(value)?.[1] : undefined;
      if (align) out['align'] = align.toLowerCase();
      continue;
    }
    // An empty URL links to the page itself; Sätteri also reports a removed URL as "".
    if (URL_PROPERTIES.has(key) && value === '') continue;
    out[key] =
      CLOBBERED.has(key) && value !== null && value !== undefined ? (prefixed(value) as Properties[string]) : value;
  }
  return out;
}

function finishTree(node: Nodes): void {
  if (node.type === 'element') node.properties = finishProperties(node.properties);
  if ('children' in node) for (const child of node.children) finishTree(child);
}

/**
 * Sanitize a whole hast tree (pure; returns a new tree). Used for documents that contain
 * disallowed elements and for raw HTML fragments; also usable for any other HTML the site
 * renders from content (feeds, excerpts).
 */
export function sanitizeTree(tree: Readonly<Nodes>): Root {
  const clean = sanitize(tree, sanitizeSchema);
  const root: Root = clean.type === 'root' ? clean : { type: 'root', children: [clean] };
  finishTree(root);
  return root;
}

/** Sanitize an HTML string: parse it as a fragment, then {@link sanitizeTree}. */
export function sanitizeHtmlFragment(html: string): Root {
  return sanitizeTree(htmlToHast(html, { fragment: true }));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}

const NEEDS_FULL_PASS = 'hindsightSanitizeFullPass';

/** Elements the schema forces properties on (`input` is always a disabled checkbox). */
const REQUIRED = new Set(Object.keys(sanitizeSchema.required ?? {}));

function applyClean(node: Readonly<Element>, ctx: HastVisitorContext): void {
  const properties = node.properties;
  let empty = !REQUIRED.has(node.tagName);
  for (const _ in properties) {
    empty = false;
    break;
  }
  if (empty) return;
  const clean = cleanProperties(node.tagName, properties) ?? {};
  for (const key of Object.keys(properties)) {
    if (!(key in clean)) ctx.setProperty(node, key, null);
  }
  for (const [key, value] of Object.entries(clean)) {
    if (!sameValue(properties[key], value)) ctx.setProperty(node, key, value);
  }
}

/**
 * For a source with no `<` at all there is no raw HTML, no comment and no autolink: Markdown
 * alone only makes elements from the allowlist, and only link and image URLs can be unsafe
 * (`[x](javascript:…)`, `[[javascript:…]]`), so only `a` and `img` are visited.
 */
const markdownOnly: HastPluginDefinition = defineHastPlugin({
  name: 'hindsight-sanitize',
  element: { filter: ['a', 'img'], visit: applyClean },
});

/** Any other source: every element is checked; a disallowed one triggers a full-tree pass. */
const withHtml: HastPluginDefinition = defineHastPlugin({
  name: 'hindsight-sanitize',
  element: {
    filter: [],
    visit(node: Readonly<Element>, ctx) {
      if (ctx.data[NEEDS_FULL_PASS] === true) return;
      if (!ALLOWED_TAGS.has(node.tagName)) {
        ctx.data[NEEDS_FULL_PASS] = true;
        return;
      }
      applyClean(node, ctx);
    },
  },
  comment(node, ctx) {
    ctx.removeNode(node);
  },
  doctype(node, ctx) {
    ctx.removeNode(node);
  },
  raw(node, ctx) {
    ctx.replaceNode(node, sanitizeHtmlFragment(node.value).children);
  },
  after(root, ctx) {
    if (ctx.data[NEEDS_FULL_PASS] !== true) return;
    ctx.data[NEEDS_FULL_PASS] = false;
    ctx.replaceNode(root, sanitizeTree(root));
  },
});

/**
 * The Sätteri hast plugin entry. Put it FIRST in `hastPlugins`, with
 * `features: { rawHtml: true }`. Plugins after it (heading ids, syntax highlighting, link
 * rewriting, Mermaid) are trusted; mdast plugins before it must not build HTML from content
 * text (their output is sanitized like the author's, and a class they add is removed).
 */
export default function hindsightSanitize(): HastPluginEntry {
  return (context: PluginFactoryContext) => (context.source.includes('<') ? withHtml : markdownOnly);
}
