/**
 * Vitest global setup for the `e2e` project: build the bundled knowledge base once per run under
 * `/kb/` into a temporary folder, serve it with sirv, and hand its URL to every test file
 * (`defaultSite()` in `./harness.ts`).
 *
 * `HINDSIGHT_E2E_DIST=<folder>` skips the build and serves a site already built under `/kb/`
 * (for quick iteration: build once, run the tests many times). `HINDSIGHT_E2E_ROOT=<folder>`
 * builds another knowledge base as the default site.
 */
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildSite, E2E_BASE, REPO_ROOT, serveSite, type BuiltSite } from './harness.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const reuse = process.env['HINDSIGHT_E2E_DIST'];
  const root = resolve(process.env['HINDSIGHT_E2E_ROOT'] ?? REPO_ROOT);
  let built: BuiltSite;
  try {
    built = reuse ? { outDir: resolve(reuse), base: E2E_BASE, root } : await buildSite({ root });
  } catch (error) {
    // Test files that build their own knowledge base still run; `defaultSite()` throws this.
    project.provide('hindsightSiteError', (error as Error).message);
    return () => Promise.resolve(); // nothing to tear down
  }
  const server = await serveSite(built);
  const { close, ...site } = server;
  project.provide('hindsightSite', site);
  return async () => {
    await close();
    if (!reuse) await rm(built.outDir, { recursive: true, force: true });
  };
}
