/**
 * `hindsight schema [--root DIR] [--out DIR] [--check]`: write the JSON Schema files
 * (postmortem, playbook, path, taxonomy) generated from the zod schemas and the knowledge
 * base's taxonomy, by default to `public/schema/` so the site serves them too.
 *
 * Steps: read and validate the taxonomy → generate (`src/schema/json-schema.ts`) → write the
 * files that changed (or, with `--check`, only compare) → list them.
 * Exit codes: 0 written or up to date, 1 invalid taxonomy or (with --check) out of date,
 * 2 usage, 3 internal.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { defineCommand } from 'citty';
import { TAXONOMY_FILE, type Taxonomy } from '../../src/schema/index.ts';
import { JSON_SCHEMA_DIR, renderJsonSchemaFiles } from '../../src/schema/json-schema.ts';
import { formatText } from '../../src/kb/format.ts';
import { parseTaxonomyFile } from '../../src/kb/load.ts';
import {
  checkArgs,
  rejectPositionals,
  EXIT,
  resolveRoot,
  rootArg,
  runSafely,
  UsageError,
  useColor,
  type ExitCode,
} from '../lib/cli.ts';

const args = {
  ...rootArg,
  out: {
    type: 'string',
    description: `Folder to write to (default: ${JSON_SCHEMA_DIR} under the root)`,
    valueHint: 'DIR',
  },
  check: { type: 'boolean', description: 'Write nothing; exit 1 when the files are missing or out of date (for CI)' },
} as const;

/** Read and validate the taxonomy of a knowledge base; print its problems and return undefined. */
async function readTaxonomy(root: string): Promise<Taxonomy | undefined> {
  let text: string;
  try {
    text = await readFile(join(root, TAXONOMY_FILE), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(
      `${TAXONOMY_FILE}: ${code === 'ENOENT' ? 'missing; every knowledge base needs one (copy the bundled one and adapt it)' : `cannot be read (${code ?? 'error'})`}\n`,
    );
    return undefined;
  }
  const parsed = parseTaxonomyFile(text);
  if (parsed.taxonomy) return parsed.taxonomy;
  process.stderr.write(
    formatText(parsed.diagnostics, {
      color: useColor(process.stderr),
      source: (file) => (file === TAXONOMY_FILE ? text : undefined),
    }),
  );
  return undefined;
}

function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export default defineCommand({
  meta: {
    name: 'schema',
    description:
      'Write the JSON Schema files for editors (postmortem, playbook, path, taxonomy). Exit 0 done, 1 invalid taxonomy or --check found drift, 2 usage.',
  },
  args,
  async run({ args: parsed, rawArgs }) {
    await runSafely('schema', async (): Promise<ExitCode> => {
      checkArgs(rawArgs, args);
      rejectPositionals(parsed._, 'schema');
      const root = resolveRoot(parsed);
      if (parsed.out === '') throw new UsageError('--out needs a folder, e.g. --out public/schema');
      const outDir = parsed.out === undefined ? join(root, JSON_SCHEMA_DIR) : resolve(parsed.out);

      const taxonomy = await readTaxonomy(root);
      if (!taxonomy) {
        process.stderr.write(`hindsight schema: ${TAXONOMY_FILE} is invalid; nothing was written\n`);
        return EXIT.problems;
      }
      const files = renderJsonSchemaFiles(taxonomy);

      if (parsed.check) {
        const stale: string[] = [];
        for (const { file, text } of files) {
          if ((await readIfExists(join(outDir, file))) !== text) stale.push(shown(join(outDir, file)));
        }
        if (stale.length === 0) {
          process.stdout.write(`JSON Schema files are up to date in ${shown(outDir)}\n`);
          return EXIT.ok;
        }
        process.stdout.write(`Out of date (run \`npx hindsight schema\`):\n${stale.map((f) => `  ${f}`).join('\n')}\n`);
        return EXIT.problems;
      }

      await mkdir(outDir, { recursive: true });
      for (const { file, text } of files) {
        const target = join(outDir, file);
        const state = (await readIfExists(target)) === text ? 'unchanged' : 'written';
        if (state === 'written') {
          // Write then rename: an editor or a dev server never reads half a schema.
          const temp = `${target}.${process.pid}.tmp`;
          await writeFile(temp, text, 'utf8');
          await rename(temp, target);
        }
        process.stdout.write(`${shown(target)}  ${state}\n`);
      }
      return EXIT.ok;
    });
  },
});
