/**
 * Incident-time search in real Chromium against the built site served under /kb/: typing,
 * results, filter chips, keyboard, pasted log lines, the empty state, phones, no JavaScript,
 * and the relevance baseline on the real index.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sirv from 'sirv';
import type { Browser, Page } from 'playwright-core';
import { defaultSite, launchBrowser, openPage, runAxe, seriousViolations, type PageSession } from './harness.ts';
import { loadRelevanceFixture, measureRelevance } from '../../scripts/bench-search.ts';
import { openNodeSearch } from '../../src/search/node-search.ts';

const site = defaultSite();
let browser: Browser | undefined;
const sessions: PageSession[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const session of sessions) await session.close().catch(() => undefined);
  await browser?.close();
});

async function open(path: string, options: Parameters<typeof openPage>[3] = {}): Promise<PageSession> {
  if (!browser) throw new Error('no browser');
  const session = await openPage(browser, site, path, options);
  sessions.push(session);
  return session;
}

/** Wait until the results list shows something for the current query (or says there is nothing). */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const status = document.querySelector('[data-search-status]')?.textContent ?? '';
    const list = document.querySelector('[data-search-results]');
    return status.includes('result') && list?.getAttribute('aria-busy') !== 'true';
  });
}

const resultHrefs = (page: Page) =>
  page.$$eval('[data-search-results] a.result-title', (links) => links.map((a) => (a as HTMLAnchorElement).pathname));

/** A published playbook and postmortem of the built site, read from its folders. */
function firstDocument(folder: 'playbooks' | 'postmortems'): string {
  const entries = readdirSync(join(site.outDir, folder), { withFileTypes: true });
  const doc = entries.find(
    (e) =>
      e.isDirectory() &&
      readdirSync(join(site.outDir, folder, e.name)).includes('index.html') &&
      /^(INC-|[a-z])/.test(e.name) &&
      !['by-duration', 'by-severity'].includes(e.name),
  );
  if (!doc) throw new Error(`no ${folder} page in ${site.outDir}`);
  return `${folder}/${doc.name}/`;
}

describe('search page', () => {
  it('shows results as you type, with kind, severity, category, date and highlighted matches, and puts the query in the URL', async () => {
    const { page, consoleErrors, thirdPartyRequests } = await open('search/');
    await page.locator('[data-search-input]').pressSequentially('too many clients', { delay: 20 });
    await settled(page);
    const first = page.locator('[data-search-results] li').first();
    await expect.poll(() => first.locator('.badge-kind').textContent()).toMatch(/Playbook|Postmortem/);
    expect(await first.locator('.badge-category').count()).toBe(1);
    expect(await first.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Results for the shorter prefixes typed first can still be on screen: wait for the last query's.
    await expect
      .poll(async () =>
        (await page.locator('[data-search-results] mark').allTextContents()).map((t) => t.toLowerCase()),
      )
      .toContain('clients');
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('too many clients');
    // A postmortem result carries its severity.
    await page.goto(`${site.url}search/?q=checkout&kind=postmortem`);
    await settled(page);
    expect(await page.locator('[data-search-results] li .badge-severity').count()).toBeGreaterThan(0);
    expect(consoleErrors).toEqual([]);
    expect(thirdPartyRequests()).toEqual([]);
  });

  it('narrows results with filter chips kept in the URL, so a pasted link shows the same list', async () => {
    const { page } = await open('search/?q=checkout');
    await settled(page);
    // Chips load on demand (their counts need every filter's index).
    const toggle = page.locator('[data-search-filter-toggle]');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const chip = page.locator('button.chip[data-filter="kind"][data-value="postmortem"]');
    await chip.waitFor();
    await chip.click();
    await expect.poll(() => new URL(page.url()).searchParams.getAll('kind')).toEqual(['postmortem']);
    await settled(page);
    expect(await chip.getAttribute('aria-pressed')).toBe('true');
    const filtered = await resultHrefs(page);
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.every((href) => href.startsWith('/kb/postmortems/'))).toBe(true);
    // The link, opened fresh, gives the same list.
    const again = await open(`search/${new URL(page.url()).search}`);
    await settled(again.page);
    expect(await resultHrefs(again.page)).toEqual(filtered);
    expect(
      await again.page.locator('button.chip[data-filter="kind"][data-value="postmortem"]').getAttribute('aria-pressed'),
    ).toBe('true');
  });

  it('sorts by date and by severity, loading the sort order only when someone sorts', async () => {
    const { page, requests } = await open('search/?q=checkout');
    await settled(page);
    const sortFile = () => requests.filter((url) => url.endsWith('/pagefind/hindsight-sort.json'));
    expect(sortFile()).toEqual([]);
    await page.locator('[data-search-sort]').selectOption('newest');
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('newest');
    await expect.poll(() => page.locator('[data-search-status]').textContent()).toContain('Newest first');
    await settled(page);
    const dates = await page
      .locator('[data-search-results] time')
      .evaluateAll((els) => els.map((el) => el.getAttribute('datetime') ?? ''));
    expect(dates.length).toBeGreaterThan(1);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(sortFile()).toHaveLength(1);
    await page.locator('[data-search-sort]').selectOption('severity');
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('severity');
    await expect.poll(() => page.locator('[data-search-status]').textContent()).toContain('Most severe first');
    await settled(page);
    const ranks = await page
      .locator('[data-search-results] li')
      .evaluateAll((items) =>
        items.map((li) => Number(/\bsev-(\d+)\b/.exec(li.querySelector('.badge-severity')?.className ?? '')?.[1] ?? 0)),
      );
    expect(ranks.length).toBeGreaterThan(1);
    expect(ranks.every((rank) => rank > 0)).toBe(true);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('is driven from the keyboard: / from any page, Enter to search, arrows through results, Enter to open', async () => {
    const { page } = await open(firstDocument('postmortems'));
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('site-search');
    await page.keyboard.type('certificate expired');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/kb\/search\/\?q=certificate\+expired/);
    await settled(page);
    const hrefs = await resultHrefs(page);
    expect(hrefs.length).toBeGreaterThan(1);
    await page.locator('[data-search-input]').focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => (document.activeElement as HTMLAnchorElement).pathname)).toBe(hrefs[0]);
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => (document.activeElement as HTMLAnchorElement).pathname)).toBe(hrefs[1]);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === hrefs[0]);
    // Typing "/" in a field types it; it does not jump to search.
    const search = await open('search/');
    await search.page.locator('[data-search-input]').focus();
    await search.page.keyboard.type('a/b');
    expect(await search.page.locator('[data-search-input]').inputValue()).toBe('a/b');
  });

  it('finds the playbook first for a pasted log line full of timestamps, pids and ids, and says what it ignored', async () => {
    const { page } = await open('search/');
    const line =
      '2026-11-02 03:12:45.017 UTC [48213] FATAL:  remaining connection slots are reserved for roles with the SUPERUSER attribute';
    await page.locator('[data-search-input]').fill(line);
    await settled(page);
    expect((await resultHrefs(page))[0]).toBe('/kb/playbooks/connection-storm-after-deploy/');
    const note = page.locator('[data-search-normalized]');
    expect(await note.isVisible()).toBe(true);
    expect(await note.textContent()).toMatch(/ignored 1 timestamp and 1 number/);
    expect(new URL(page.url()).searchParams.get('q')).toBe(line);
  });

  it('explains an empty result and suggests what to try', async () => {
    // Pagefind matches loosely (a nonsense Latin word can match a one-letter word), so the
    // query is in a script no document uses.
    const { page } = await open(`search/?q=${encodeURIComponent('ꙮꙮꙮ ʘʘʘ')}`);
    await settled(page);
    expect(await page.locator('[data-search-status]').textContent()).toMatch(/^No results for “ꙮꙮꙮ ʘʘʘ”/);
    const empty = page.locator('[data-search-empty]');
    expect(await empty.isVisible()).toBe(true);
    expect(await empty.locator('li').count()).toBeGreaterThanOrEqual(3);
    expect(await empty.locator('a[href="/kb/playbooks/"]').count()).toBe(1);
    // Too narrow a filter: say how many results the query has without it, and offer to clear.
    const narrow = await open('search/?q=certificate&year=1999');
    await settled(narrow.page);
    const tip = narrow.page.locator('[data-search-empty] li').first();
    expect(await tip.textContent()).toMatch(/^\d+ results match without the filters: clear the filters\.$/);
    await tip.locator('button').click();
    await expect.poll(() => new URL(narrow.page.url()).searchParams.has('year')).toBe(false);
    await settled(narrow.page);
    expect((await resultHrefs(narrow.page)).length).toBeGreaterThan(0);
  });

  it('is accessible with results on screen (axe: no serious violations)', async () => {
    const { page } = await open('search/?q=database');
    await settled(page);
    expect(seriousViolations(await runAxe(page))).toEqual([]);
  });

  it('works on a phone: no sideways scrolling, tappable results', async () => {
    const { page } = await open('search/?q=connection+pool', {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    await settled(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const box = await page.locator('[data-search-results] a.result-title').first().boundingBox();
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(24);
  });

  it('without JavaScript, keeps the form and explains that results need JavaScript', async () => {
    const { page } = await open('search/?q=timeout', { javaScriptEnabled: false });
    expect(await page.locator('form[data-search-form]').getAttribute('method')).toBe('get');
    expect(await page.textContent('body')).toContain('Search runs in your browser and needs JavaScript');
  });
});

/**
 * The Content Security Policy search needs, exactly: Pagefind compiles WebAssembly (in a Web
 * Worker loaded from the site, falling back to the page) and fetches its index from the site.
 * Nothing inline, nothing from another origin.
 */
export const SEARCH_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

describe('search under a strict Content Security Policy', () => {
  let server: Server | undefined;
  let origin = '';
  beforeAll(async () => {
    const files = sirv(site.outDir, {
      dev: false,
      setHeaders: (res) => res.setHeader('Content-Security-Policy', SEARCH_CSP),
    });
    const created = createServer((req, res) => {
      const url = req.url ?? '/';
      if (!url.startsWith(site.base)) {
        res.writeHead(404).end();
        return;
      }
      req.url = `/${url.slice(site.base.length)}`;
      res.setHeader('Content-Security-Policy', SEARCH_CSP);
      files(req, res, () => {
        res.writeHead(404).end();
      });
    });
    server = created;
    await new Promise<void>((done) => created.listen(0, '127.0.0.1', done));
    origin = `http://127.0.0.1:${(created.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((done) =>
      server?.close(() => {
        done();
      }),
    );
  });

  it(`finds results with no violation of "${SEARCH_CSP}"`, async () => {
    if (!browser) throw new Error('no browser');
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    try {
      await page.goto(`${origin}${site.base}search/`);
      await page.locator('[data-search-input]').fill('connection pool exhausted');
      await settled(page);
      expect((await resultHrefs(page)).length).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('search index', () => {
  it('holds document pages only', async () => {
    const search = await openNodeSearch(site.outDir, site.base);
    try {
      const results = await search.pagefind.search('the');
      const urls = await Promise.all((results?.results ?? []).map(async (r) => (await r.data()).url));
      expect(urls.length).toBeGreaterThan(0);
      for (const url of urls) expect(url).toMatch(/^\/kb\/(postmortems|playbooks|paths)\/[^/]+\/$/);
    } finally {
      await search.close();
    }
  });

  it('keeps relevance at or above the recorded baseline (tests/fixtures/search-queries.yaml)', async () => {
    const fixture = loadRelevanceFixture();
    const report = await measureRelevance(site.outDir, site.base, fixture.queries);
    const misses = report.rows
      .filter((r) => r.rank !== 1)
      .map((r) => `${r.expect} ranked ${r.rank || 'absent'} for "${r.query.slice(0, 80)}" (top: ${r.top.join(', ')})`);
    expect(
      report.recallAt1,
      `recall@1 fell below ${fixture.baseline.recallAt1}:\n${misses.join('\n')}`,
    ).toBeGreaterThanOrEqual(fixture.baseline.recallAt1);
    expect(
      report.recallAt3,
      `recall@3 fell below ${fixture.baseline.recallAt3}:\n${misses.join('\n')}`,
    ).toBeGreaterThanOrEqual(fixture.baseline.recallAt3);
  });
});
