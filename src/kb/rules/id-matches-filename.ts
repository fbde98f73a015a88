/**
 * id-matches-filename: the file name follows from the id, so a reader can find a document from
 * its id and a reviewer can spot a copied file that kept someone else's id. Postmortems are
 * `<id>.md` or `<id>-<short-slug>.md` (`INC-2026-014-checkout-timeouts.md`); playbooks and paths
 * are exactly `<id>.md`.
 */
import { posix } from 'node:path';
import { atField, fileLocalRule } from './_shared.ts';
import type { Rule } from './types.ts';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

// File-local: the id and the file name are both in the file's own entry.
const rule: Rule = fileLocalRule({
  code: 'id-matches-filename',
  description: 'Postmortems are named <id>.md or <id>-<slug>.md; playbooks and paths <id>.md.',
  checkDocument(doc, context) {
    const name = posix.basename(doc.file, '.md');
    if (doc.kind === 'postmortem') {
      if (name === doc.id) return [];
      if (name.startsWith(`${doc.id}-`) && SLUG.test(name.slice(doc.id.length + 1))) return [];
      const slugProblem = name.startsWith(`${doc.id}-`);
      return [
        atField(context, doc, ['id'], {
          code: rule.code,
          severity: 'error',
          message: slugProblem
            ? `the file name's slug "${name.slice(doc.id.length + 1)}" is not lowercase words joined by dashes`
            : `the id "${doc.id}" does not match the file name "${posix.basename(doc.file)}"`,
          field: 'id',
          expected: `a file named "${doc.id}.md" or "${doc.id}-<short-slug>.md", e.g. "${doc.id}-checkout-timeouts.md"`,
          found: JSON.stringify(posix.basename(doc.file)),
          hint: `rename the file, or correct the id if the file was copied from another postmortem`,
        }),
      ];
    }
    if (name === doc.id) return [];
    return [
      atField(context, doc, ['id'], {
        code: rule.code,
        severity: 'error',
        message: `the id "${doc.id}" does not match the file name "${posix.basename(doc.file)}"`,
        field: 'id',
        expected: `a file named "${doc.id}.md"`,
        found: JSON.stringify(posix.basename(doc.file)),
        hint: SLUG.test(name)
          ? `rename the file to "${doc.id}.md", or change the id to "${name}"`
          : `rename the file to "${doc.id}.md"`,
      }),
    ];
  },
});

export default rule;
