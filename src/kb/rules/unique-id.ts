/**
 * unique-id: no two documents share an id, across all kinds (wiki links and URLs resolve by id).
 * Both files are named: each gets the error, and each points at the other(s). Documents that
 * failed their schema count too, so two branches that created the same id are caught even when
 * one of the files is broken.
 */
import type { Rule } from './types.ts';

const rule: Rule = {
  code: 'unique-id',
  description: 'Every document id is used by exactly one file (both files are named).',
  check(context) {
    const owners = new Map<string, string[]>();
    const add = (id: string, file: string) => {
      const list = owners.get(id);
      if (list) list.push(file);
      else owners.set(id, [file]);
    };
    for (const doc of context.kb.docs) add(doc.id, doc.file);
    for (const r of context.rejected ?? []) if (r.id !== undefined) add(r.id, r.file);

    return [...owners]
      .filter(([, files]) => files.length > 1)
      .flatMap(([id, files]) => {
        const sorted = [...files].sort();
        return sorted.map((file) => {
          const others = sorted.filter((f) => f !== file);
          return {
            code: rule.code,
            severity: 'error' as const,
            file,
            ...context.locate(file, ['id']),
            message: `id "${id}" is also used by ${others.join(', ')}`,
            field: 'id',
            found: JSON.stringify(id),
            hint: 'ids must be unique: give one of the documents the next free id (`npx hindsight new` picks one)',
            related: others.map((other) => ({
              file: other,
              ...context.locate(other, ['id']),
              message: `id "${id}" is also defined here`,
            })),
          };
        });
      });
  },
};

export default rule;
