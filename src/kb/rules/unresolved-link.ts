/**
 * unresolved-link: every `[[wiki-link]]` and relative `.md` link in a body resolves to a loaded
 * document, using the same resolution (`resolveLink`) as the site. Reported at the link's line
 * and column, with a "did you mean". Links to documents that exist but failed validation are not
 * reported again. Links to other files (images, external URLs, site paths) are not checked here.
 * A `#section` that names no heading of the target is a warning (the link still opens the page,
 * at the top): headings are slugged like the site's heading ids (github-slugger).
 */
import { posix } from 'node:path';
import { closest } from 'fastest-levenshtein';
import GithubSlugger, { slug } from 'github-slugger';
import { didYouMean } from '../schema-issues.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { Resolution } from '../links.ts';
import type { AnyDoc, BodyLink } from '../model.ts';
import { rejectedIds, resolveBodyLinks } from './_shared.ts';
import type { Rule } from './types.ts';

/** Heading ids of a document, as the site generates them (github-slugger, duplicates numbered). */
const sectionIds = new WeakMap<AnyDoc, Map<string, string>>();
function sectionsOf(doc: AnyDoc): Map<string, string> {
  let ids = sectionIds.get(doc);
  if (!ids) {
    const slugger = new GithubSlugger();
    ids = new Map(doc.info.headings.map((h) => [slugger.slug(h.text), h.text]));
    sectionIds.set(doc, ids);
  }
  return ids;
}

/** A warning's details when `fragment` names no heading of `target`; undefined when it does. */
function missingSection(
  fragment: string | undefined,
  target: AnyDoc | undefined,
): Pick<Diagnostic, 'message' | 'expected' | 'found' | 'hint'> | undefined {
  if (!fragment || !target) return undefined;
  const sections = sectionsOf(target);
  const wanted = slug(fragment);
  if (sections.has(wanted)) return undefined;
  const suggestion = didYouMean(wanted, sections.keys());
  return {
    message: `link to "${target.id}#${fragment}" points at a section that ${target.id} does not have`,
    expected:
      sections.size > 0
        ? `one of its sections: ${[...sections.keys()]
            .slice(0, 8)
            .map((id) => `#${id}`)
            .join(', ')}${sections.size > 8 ? ', …' : ''}`
        : 'a link without a #section (the document has no headings)',
    found: JSON.stringify(`#${fragment}`),
    hint: suggestion
      ? `did you mean #${suggestion} ("${sections.get(suggestion) ?? ''}")?`
      : 'link to the document without the #section, or fix the heading name',
  };
}

const rule: Rule = {
  code: 'unresolved-link',
  description: 'Every [[wiki-link]] and relative .md link in a body points at an existing document.',
  check(context) {
    const brokenIds = rejectedIds(context);
    const brokenFiles = new Set((context.rejected ?? []).map((r) => r.file));
    // Candidates for "did you mean", listed only when a link is broken.
    let allIds: string[] | undefined;
    let allFiles: string[] | undefined;
    const out: Diagnostic[] = [];
    for (const doc of context.kb.docs) {
      const resolutions = resolveBodyLinks(context, doc);
      const { links } = doc.info;
      for (let i = 0; i < links.length; i++) {
        const link = links[i] as BodyLink;
        const resolution = resolutions[i] as Resolution;
        if (resolution.ok) {
          const missing = missingSection(link.fragment, context.kb.byId.get(resolution.target.id));
          if (missing) out.push({ code: rule.code, severity: 'warning', file: doc.file, ...link.position, ...missing });
          continue;
        }
        if (resolution.reason === 'not-markdown') continue;
        const base = { code: rule.code, severity: 'error' as const, file: doc.file, ...link.position };
        if (resolution.reason === 'unknown-id') {
          if (brokenIds.has(link.target)) continue;
          const suggestion = didYouMean(link.target, (allIds ??= [...context.links.byId.keys()]));
          out.push({
            ...base,
            message: link.target === '' ? 'empty wiki link' : `wiki link [[${link.target}]] points at no document`,
            expected: 'the id of a postmortem, playbook or path, e.g. [[retry-storm]] or [[INC-2026-014]]',
            found: JSON.stringify(`[[${link.raw}]]`),
            hint: suggestion ? `did you mean [[${suggestion}]]?` : 'check the id, or create the document first',
          });
          continue;
        }
        if (resolution.reason === 'outside-content') {
          out.push({
            ...base,
            message: `link "${link.raw}" leads outside the content folder`,
            expected: 'a relative link to another document, e.g. "../playbooks/retry-storm.md", or a [[wiki-link]]',
            found: JSON.stringify(link.raw),
            hint: 'link to other documents by id: [[retry-storm]]',
          });
          continue;
        }
        // unknown-file
        const resolved = posix.normalize(posix.join(posix.dirname(doc.file), link.target));
        if (brokenFiles.has(resolved)) continue;
        let hint = 'check the path, or use a [[wiki-link]] with the document id';
        allFiles ??= [...context.links.byFile.keys()];
        if (allFiles.length > 0) {
          const near = closest(resolved, allFiles);
          const suggestion = didYouMean(resolved, [near]);
          if (suggestion) hint = `did you mean "${posix.relative(posix.dirname(doc.file), suggestion)}"?`;
        }
        out.push({
          ...base,
          message: `link "${link.raw}" points at a file that is not a document (${resolved})`,
          expected: 'a relative path to an existing document, e.g. "../playbooks/retry-storm.md"',
          found: JSON.stringify(link.raw),
          hint,
        });
      }
    }
    return out;
  },
};

export default rule;
