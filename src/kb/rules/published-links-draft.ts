/**
 * published-links-draft: a published document must not point at a draft or in-review document,
 * in its frontmatter references or its body links: drafts are not built into the production
 * site, so the link would be dead for every reader.
 */
import type { Diagnostic } from '../diagnostics.ts';
import type { Resolution } from '../links.ts';
import type { BodyLink } from '../model.ts';
import { atField, formatFieldPath, frontmatterReferences, KIND_WORD, resolveBodyLinks } from './_shared.ts';
import type { Rule } from './types.ts';

const rule: Rule = {
  code: 'published-links-draft',
  description: 'A published document does not link or refer to a draft or in-review document.',
  check(context) {
    const out: Diagnostic[] = [];
    const hint = 'publish the target first, or remove the link until it is published';
    for (const doc of context.kb.docs) {
      if (doc.data.status !== 'published') continue;
      for (const ref of frontmatterReferences(doc)) {
        const target = context.kb.byId.get(ref.id);
        if (!target || target.file === doc.file || target.data.status === 'published') continue;
        const field = formatFieldPath(ref.path);
        out.push(
          atField(context, doc, ref.path, {
            code: rule.code,
            severity: 'error',
            message: `published ${KIND_WORD[doc.kind]} refers to ${target.data.status} ${KIND_WORD[target.kind]} "${ref.id}"`,
            field,
            expected: 'references to published documents only',
            found: `${JSON.stringify(ref.id)} (status: ${target.data.status}, ${target.file})`,
            hint,
          }),
        );
      }
      const resolutions = resolveBodyLinks(context, doc);
      const { links } = doc.info;
      for (let i = 0; i < links.length; i++) {
        const link = links[i] as BodyLink;
        const resolution = resolutions[i] as Resolution;
        if (!resolution.ok) continue;
        const target = context.kb.byId.get(resolution.target.id);
        if (!target || target.file === doc.file || target.data.status === 'published') continue;
        out.push({
          code: rule.code,
          severity: 'error',
          file: doc.file,
          ...link.position,
          message: `published ${KIND_WORD[doc.kind]} links to ${target.data.status} ${KIND_WORD[target.kind]} "${target.id}"`,
          expected: 'links to published documents only',
          found: `${JSON.stringify(link.syntax === 'wiki' ? `[[${link.raw}]]` : link.raw)} (status: ${target.data.status}, ${target.file})`,
          hint,
        });
      }
    }
    return out;
  },
};

export default rule;
