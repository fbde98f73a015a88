/**
 * What the build gate validated, handed to the pages of the same build. `astro build` runs the
 * integration (`./integration.ts`) and renders the pages in one process, and validation has
 * already parsed every body (links with file positions, headings, diagrams); parsing them all
 * again for the pages costs seconds at 10,000 documents. The hand-over goes through a global
 * because the pages are bundled by Vite separately from the integration, so they do not share
 * module instances. A page takes a validated document's analysis only for the same file with the
 * same body, so a stale hand-over can never change what a page shows.
 */
import type { AnyDoc } from '../kb/model.ts';

const KEY = Symbol.for('hindsight.validated-documents');

interface Shared {
  root: string;
  byFile: Map<string, AnyDoc>;
}

/** Called by the build gate once validation has passed. */
export function shareValidatedDocs(root: string, docs: readonly AnyDoc[]): void {
  (globalThis as Record<symbol, Shared | undefined>)[KEY] = { root, byFile: new Map(docs.map((d) => [d.file, d])) };
}

/**
 * The validated document for a root-relative file whose body is exactly `body`, if this process
 * validated that knowledge base.
 */
export function validatedDoc(root: string, file: string, body: string): AnyDoc | undefined {
  const shared = (globalThis as Record<symbol, Shared | undefined>)[KEY];
  if (shared?.root !== root) return undefined;
  const doc = shared.byFile.get(file);
  return doc?.body === body ? doc : undefined;
}
