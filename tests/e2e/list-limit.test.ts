/**
 * Category, severity, service, year and tag pages list the most recent incidents only
 * (`HINDSIGHT_LIST_LIMIT`, 100 by default) and link to the full list filtered to the same value,
 * so a tag on thousands of incidents does not make a page of megabytes. Built from
 * `tests/fixtures/site-kb` (two published incidents in 2026) with a limit of 1.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPage, REPO_ROOT, runBuild, useSiteAndBrowser } from './harness.ts';

const FIXTURE = join(REPO_ROOT, 'tests', 'fixtures', 'site-kb');
const served = useSiteAndBrowser({ root: FIXTURE, env: { HINDSIGHT_NOW: '2026-06-01', HINDSIGHT_LIST_LIMIT: '1' } });

describe('incident lists on taxonomy pages', () => {
  it('show the most recent incidents, then lead to all of them in the filtered postmortem list', async () => {
    const session = await openPage(served.browser, served.site, 'years/2026/');
    const { page } = session;
    expect(await page.locator('tbody .id').allTextContents()).toEqual(['INC-2026-001']);
    const more = page.locator('[data-list-limited] a');
    expect(await page.locator('[data-list-limited]').innerText()).toContain('Showing the 1 most recent of 2.');
    expect(await more.getAttribute('href')).toBe('/kb/postmortems/?year=2026');
    await more.click();
    await page.waitForURL(/\/kb\/postmortems\/\?year=2026$/);
    expect(await page.locator('table[data-incident-table] tbody tr:not([hidden]) .id').allTextContents()).toEqual([
      'INC-2026-001',
      'INC-2026-002',
    ]);
    expect(session.consoleErrors).toEqual([]);
    await session.close();
  });

  it('list everything, with no link, when there are no more than the limit', async () => {
    const session = await openPage(served.browser, served.site, 'years/2025/');
    expect(await session.page.locator('tbody .id').allTextContents()).toEqual(['INC-2025-014']);
    expect(await session.page.locator('[data-list-limited]').count()).toBe(0);
    await session.close();
  });
});

describe('HINDSIGHT_LIST_LIMIT', () => {
  it('fails the build at once, saying what it expects, when it is not a whole number', async () => {
    const run = await runBuild({ root: FIXTURE, env: { HINDSIGHT_LIST_LIMIT: 'lots' } });
    await rm(run.outDir, { recursive: true, force: true });
    expect(run.ok).toBe(false);
    expect(run.output).toContain(
      'HINDSIGHT_LIST_LIMIT must be a whole number of incidents, at least 1 (e.g. 100); found "lots"',
    );
  });
});
