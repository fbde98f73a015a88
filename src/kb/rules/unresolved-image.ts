/**
 * unresolved-image: every image in a body (`![alt](src)`, `![alt][ref]`) can be shown by the
 * site. Astro resolves a relative image path against the document's folder and processes the
 * file at build time; a missing file stops `astro build` with an "image not found" error that
 * names neither the document nor the line, so it is reported here first, at the image's line and
 * column, with a "did you mean" among the files that exist.
 *
 * Errors, each at the image:
 * - a relative path to a file that does not exist in `content/` (`context.assets`, found by the
 *   loader: rules never read the file system);
 * - a path that leads outside `content/` (`../../src/x.png`), or a site-absolute one
 *   (`/img/x.png`, which would point into the site's own files, not the knowledge base, and
 *   break under a base path): a content file must never make the build read other files;
 * - a file Astro cannot process as an image (`.pdf`, `.txt`: the build fails on it too);
 * - an external image (`https://…`, `//host/…`). An error, not a warning: the site makes no
 *   third-party requests and its Content-Security-Policy (`default-src 'self'`) blocks other
 *   origins, so the reader would get a broken image where the author meant to show something
 *   (a graph of the incident, a screenshot of the error), and an image from another server
 *   would also tell that server who reads which postmortem. The fix is quick: save the image
 *   next to the document and link it relatively.
 * `data:` and other schemes are left to the sanitizer; a `#fragment` or `?query` is ignored.
 * When the context has no `assets` (checking a single draft), existence is not checked.
 */
import { posix } from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import { IMAGE_EXTENSIONS, isImageFile } from '../markdown.ts';
import { didYouMean } from '../schema-issues.ts';
import type { Rule } from './types.ts';

const EXTERNAL = /^(?:https?:)?\/\//i;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** The path part of an image source: no `?query` or `#fragment`, percent-escapes decoded. */
function pathOf(raw: string): string {
  const path = raw.replace(/[?#].*$/s, '');
  try {
    return decodeURIComponent(path);
  } catch {
    return path; // a malformed escape: reported as a missing file, as written
  }
}

const EXAMPLE = 'a path relative to the document, e.g. "./images/latency.png", to a file inside content/';

const rule: Rule = {
  code: 'unresolved-image',
  description:
    'Every image in a body is a file inside content/ (relative path, existing, an image format); no external images.',
  check(context) {
    const assets = context.assets;
    const candidates = assets ? [...assets] : [];
    const out: Diagnostic[] = [];
    for (const doc of context.kb.docs) {
      for (const image of doc.info.images) {
        const raw = image.raw.trim();
        const base = {
          code: rule.code,
          severity: 'error' as const,
          file: doc.file,
          ...image.position,
          found: JSON.stringify(image.raw),
        };
        if (EXTERNAL.test(raw)) {
          out.push({
            ...base,
            message: 'external image: the site loads nothing from other servers, so it would show as broken',
            expected: EXAMPLE,
            hint: 'download the image, save it next to the document, and link it relatively',
          });
          continue;
        }
        if (SCHEME.test(raw)) continue; // data:, javascript:, …: the sanitizer's business
        if (raw === '') {
          out.push({ ...base, message: 'image without a source', expected: EXAMPLE });
          continue;
        }
        const path = pathOf(raw);
        if (path.startsWith('/')) {
          out.push({
            ...base,
            message: `image "${image.raw}" is a site path, not a file of the knowledge base`,
            expected: EXAMPLE,
            hint: 'put the image inside content/ and link it relative to the document',
          });
          continue;
        }
        const resolved = posix.normalize(posix.join(posix.dirname(doc.file), path));
        if (!resolved.startsWith('content/')) {
          out.push({
            ...base,
            message: `image "${image.raw}" leads outside the content folder`,
            expected: EXAMPLE,
            hint: 'copy the image into content/ and link to the copy',
          });
          continue;
        }
        if (!isImageFile(resolved)) {
          out.push({
            ...base,
            message: `"${image.raw}" is not an image the site can show`,
            expected: `an image file: ${[...IMAGE_EXTENSIONS].join(', ')}`,
            hint: 'link other attachments with a normal link [name](file), or convert the file to PNG',
          });
          continue;
        }
        if (!assets || assets.has(resolved)) continue;
        let hint = 'check the file name (it is case-sensitive), or add the image to content/';
        const near = didYouMean(resolved, candidates);
        if (near !== undefined) hint = `did you mean "${posix.relative(posix.dirname(doc.file), near)}"?`;
        out.push({
          ...base,
          message: `image "${image.raw}" points at a file that does not exist (${resolved})`,
          expected: EXAMPLE,
          hint,
        });
      }
    }
    return out;
  },
};

export default rule;
