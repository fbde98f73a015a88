/**
 * The built site in real Chromium, served by a static file server under `/kb/`: pages open,
 * cross-links lead to real pages, Mermaid draws (or explains why not), drafts never ship, print
 * and dark mode work, nothing is requested from another origin, nothing logs an error, and axe
 * finds no serious accessibility problem.
 *
 * Built from `tests/fixtures/site-kb` (a small knowledge base whose content these tests know),
 * with a fixed "today" so overdue items are stable.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  internalLinks,
  openPage,
  REPO_ROOT,
  runAxe,
  runBuild,
  seriousViolations,
  useSiteAndBrowser,
  type SiteServer,
} from './harness.ts';

const FIXTURE = join(REPO_ROOT, 'tests', 'fixtures', 'site-kb');
const DRAFT_MARKER = 'DRAFTMARKER-7f3a91';
const NOW = '2026-06-01';

const served = useSiteAndBrowser({
  root: FIXTURE,
  env: { HINDSIGHT_NOW: NOW, HINDSIGHT_SITE: 'https://kb.example.com' },
});
let site: SiteServer;
let browser: Browser;
beforeAll(() => {
  ({ site, browser } = served);
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('pages and links', () => {
  it('serves every page reachable from the home page under the sub-path, with no dead internal link', async () => {
    const seen = new Set<string>();
    const queue = [site.url];
    const broken: string[] = [];
    while (queue.length > 0 && seen.size < 400) {
      const url = queue.shift() as string;
      if (seen.has(url)) continue;
      seen.add(url);
      const response = await fetch(url);
      if (response.status !== 200) {
        broken.push(`${response.status} ${url}`);
        continue;
      }
      if (!(response.headers.get('content-type') ?? '').includes('text/html')) continue;
      const html = await response.text();
      for (const match of html.matchAll(/(?:href|src)="([^"#]+)/g)) {
        const next = new URL((match[1] as string).replaceAll('&amp;', '&'), url);
        if (next.origin !== site.origin) continue;
        next.search = '';
        if (!seen.has(next.href)) queue.push(next.href);
      }
    }
    expect(broken).toEqual([]);
    // Documents, lists, taxonomy pages, feeds: the whole site, not just the home page.
    const paths = [...seen].map((u) => new URL(u).pathname);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/kb/postmortems/INC-2026-001/',
        '/kb/playbooks/retry-storm/',
        '/kb/paths/first-week-on-call/',
        '/kb/categories/usage-growth/',
        '/kb/services/checkout-api/',
        '/kb/tags/postgres/',
        '/kb/severities/SEV1/',
        '/kb/years/2025/',
        '/kb/actions/',
        '/kb/insights/',
        '/kb/guide/',
        '/kb/feed.xml',
        '/kb/export.json',
      ]),
    );
    expect(paths.every((p) => p.startsWith('/kb/'))).toBe(true);
  });

  it('shows a postmortem with its key facts, and its wiki links lead to the playbook, which links back', async () => {
    const session = await openPage(browser, site, 'postmortems/INC-2026-001/');
    const { page } = session;
    expect(await page.locator('h1').textContent()).toBe('Checkout failed for 38% of customers after a traffic spike');
    const facts = await page.locator('.facts').innerText();
    expect(facts).toContain('SEV1');
    expect(facts).toContain('Usage growth / capacity');
    expect(facts).toContain('Traffic or data grew past what the system was sized for');
    expect(facts).toMatch(/Time to detect\s+7 min/i);
    expect(facts).toMatch(/Time to mitigate\s+42 min/i);
    expect(facts).toMatch(/Time to resolve\s+1 d 6 h/i);
    // One action item is overdue on the fixed "today", one is done, one is due in 2099.
    expect(await page.locator('#hs-action-items ~ div td.overdue').count()).toBe(1);

    // `[[connection-pool-exhaustion]]` renders with the playbook's title and a real URL.
    const wiki = page.locator('.prose a', { hasText: 'Database connection pool exhaustion' });
    expect(await wiki.getAttribute('href')).toBe('/kb/playbooks/connection-pool-exhaustion/');
    await Promise.all([page.waitForURL('**/kb/playbooks/connection-pool-exhaustion/'), wiki.click()]);
    expect(await page.locator('.first-look').innerText()).toContain('FATAL: sorry, too many clients already');
    expect(await page.locator('.first-look').innerText()).toMatch(/This happened here once/);
    expect(await page.locator('#hs-incidents ~ .table-wrap').innerText()).toContain('INC-2026-001');
    const backlinks = page.locator('section[aria-labelledby="backlinks-connection-pool-exhaustion"]');
    expect(await backlinks.innerText()).toContain('Checkout failed for 38% of customers');
    expect(await backlinks.innerText()).toContain('Retry storm');

    // A relative `.md` link with a fragment lands on the right heading.
    await page.goto(session.urlFor('playbooks/retry-storm/'));
    const relative = page.locator('.prose a', { hasText: 'pool exhaustion' });
    expect(await relative.getAttribute('href')).toBe('/kb/playbooks/connection-pool-exhaustion/#mitigate-now');
    await relative.click();
    await page.waitForURL('**#mitigate-now');
    expect(await page.locator('#mitigate-now').textContent()).toBe('Mitigate now');
    expect(session.consoleErrors).toEqual([]);
    expect(session.thirdPartyRequests()).toEqual([]);
    await session.close();
  });

  it('serves a 404 page for an unknown address under the base', async () => {
    const response = await fetch(`${site.url}postmortems/INC-1999-999/`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('Page not found');
  });
});

describe('Mermaid', () => {
  it('draws a diagram as SVG, keeps its source, and loads Mermaid only where needed', async () => {
    const session = await openPage(browser, site, 'postmortems/INC-2026-001/');
    const diagram = session.page.locator('figure.mermaid .diagram svg');
    await diagram.waitFor({ timeout: 20_000 });
    expect(await diagram.innerHTML()).toContain('Checkout API');
    expect(await session.page.locator('figure.mermaid details pre').textContent()).toContain('sequenceDiagram');
    expect(session.consoleErrors).toEqual([]);
    expect(session.thirdPartyRequests()).toEqual([]);
    await session.close();

    const plain = await openPage(browser, site, 'postmortems/INC-2025-014/', { waitUntil: 'networkidle' });
    expect(plain.requests.filter((url) => /mermaid/i.test(url))).toEqual([]);
    // The only scripts: the theme script and the search launcher (with Vite's preload helper).
    const scripts = plain.requests.filter((url) => url.endsWith('.js')).map((url) => new URL(url).pathname);
    expect(
      scripts.filter((p) => p !== '/kb/site.js' && !/\/_astro\/(SearchBox[^/]*|preload-helper[^/]*)\.js$/.test(p)),
    ).toEqual([]);
    await plain.close();
  });

  it('shows a clear error in place of a diagram that does not parse, and the rest of the page works', async () => {
    const session = await openPage(browser, site, 'postmortems/INC-2026-002/');
    const error = session.page.locator('figure.mermaid .mermaid-error');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.textContent()).toMatch(/could not be drawn/);
    expect(await session.page.locator('figure.mermaid pre.mermaid-source').isVisible()).toBe(true);
    expect(await session.page.locator('#contributing-factors').isVisible()).toBe(true);
    expect(session.consoleErrors).toEqual([]);
    await session.close();
  });

  it('leaves the source readable with JavaScript off', async () => {
    const session = await openPage(browser, site, 'postmortems/INC-2026-001/', { javaScriptEnabled: false });
    const source = session.page.locator('figure.mermaid pre.mermaid-source');
    expect(await source.isVisible()).toBe(true);
    expect(await source.textContent()).toContain('participant C as Checkout API');
    await session.close();
  });
});

describe('postmortem list', () => {
  it('works without JavaScript: every incident listed, other sort orders and facets are links', async () => {
    const session = await openPage(browser, site, 'postmortems/', { javaScriptEnabled: false });
    const { page } = session;
    expect(await page.locator('table[data-incident-table] tbody tr').count()).toBe(3);
    expect(await page.locator('form[data-filters]').isVisible()).toBe(false);
    await page.locator('a', { hasText: 'Most severe first' }).click();
    await page.waitForURL('**/kb/postmortems-by-severity/');
    const ids = await page.locator('tbody .id').allTextContents();
    expect(ids).toEqual(['INC-2026-001', 'INC-2026-002', 'INC-2025-014']);
    await session.close();
  });

  it('filters and sorts in place with JavaScript, keeping the choice in the URL', async () => {
    const session = await openPage(browser, site, 'postmortems/');
    const { page } = session;
    const rows = page.locator('table[data-incident-table] tbody tr:not([hidden])');
    expect(await rows.count()).toBe(3);
    await page.selectOption('select[name="service"]', 'api-gateway');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('INC-2026-002');
    expect(page.url()).toContain('service=api-gateway');
    expect(await page.locator('[data-filter-count]').textContent()).toBe('Showing 1 of 3');

    await page.goto(session.urlFor('postmortems/?sort=duration&year=2026'));
    expect(await page.locator('tbody tr:not([hidden]) .id').allTextContents()).toEqual([
      'INC-2026-002',
      'INC-2026-001',
    ]);
    expect(session.consoleErrors).toEqual([]);
    await session.close();
  });
});

describe('drafts', () => {
  it('never reach the production build: no page, list, feed, export or sitemap mentions them', async () => {
    const offenders: string[] = [];
    for (const file of await filesUnder(site.outDir)) {
      if (!/\.(html|xml|json|txt|js|css)$/.test(file)) continue;
      const text = await readFile(file, 'utf8');
      if (text.includes(DRAFT_MARKER) || text.includes('INC-2026-003') || text.includes('draft-playbook'))
        offenders.push(file);
    }
    expect(offenders).toEqual([]);
    expect((await fetch(`${site.url}postmortems/INC-2026-003/`)).status).toBe(404);
  });
});

describe('feeds and export', () => {
  it('publishes an RSS feed of published postmortems with absolute URLs under the base', async () => {
    const feed = await (await fetch(`${site.url}feed.xml`)).text();
    expect(feed).toContain('<link>https://kb.example.com/kb/postmortems/INC-2026-001/</link>');
    expect(feed.match(/<item>/g)?.length).toBe(3);
  });

  it('exports every published document as JSON', async () => {
    const body = (await (await fetch(`${site.url}export.json`)).json()) as {
      count: number;
      documents: { id: string; status: string; url: string; kind: string }[];
    };
    expect(body.count).toBe(7);
    expect(body.documents.every((d) => d.status === 'published')).toBe(true);
    expect(body.documents.find((d) => d.id === 'INC-2026-001')?.url).toBe(
      'https://kb.example.com/kb/postmortems/INC-2026-001/',
    );
    expect(JSON.stringify(body)).not.toContain('allowlist');
  });

  it('lists published pages in the sitemap', async () => {
    const sitemap = await (await fetch(`${site.url}sitemap-0.xml`)).text();
    expect(sitemap).toContain('https://kb.example.com/kb/postmortems/INC-2026-001/');
    expect(sitemap).not.toContain('INC-2026-003');
  });
});

describe('insights', () => {
  it('draws every chart at build time as an accessible SVG with its data as a table, with no JavaScript', async () => {
    const session = await openPage(browser, site, 'insights/', { javaScriptEnabled: false });
    const figures = session.page.locator('figure.chart');
    expect(await figures.count()).toBeGreaterThanOrEqual(7);
    for (const figure of await figures.all()) {
      expect(await figure.locator('svg[role="img"]').count()).toBe(1);
      expect(await figure.locator('figcaption').textContent()).toBeTruthy();
      expect(await figure.locator('table tbody tr').count()).toBeGreaterThan(0);
    }
    const perQuarter =
      (await session.page.locator('#per-quarter-title').locator('..').locator('table').textContent()) ?? '';
    expect(perQuarter).toContain('2025-Q4');
    expect(perQuarter).toContain('2026-Q1');
    await session.close();
  });
});

describe('action items', () => {
  it('lists open items by owner with overdue items first', async () => {
    const session = await openPage(browser, site, 'actions/');
    const owners = await session.page.locator('main section h2').allTextContents();
    // @edge and @data-platform each have one overdue item on 2026-06-01; @payments has none.
    expect(owners[owners.length - 1]).toContain('@payments');
    expect(await session.page.locator('td.overdue').count()).toBe(2);
    await session.close();
  });
});

describe('onboarding paths', () => {
  it('keeps reading progress in the browser', async () => {
    const session = await openPage(browser, site, 'paths/first-week-on-call/');
    const { page } = session;
    expect(await page.locator('ol.steps > li').count()).toBe(3);
    await page.locator('ol.steps > li').first().locator('input[type=checkbox]').check();
    expect(await page.locator('[data-path-progress]').textContent()).toContain('1 of 3 read');
    await page.reload();
    expect(await page.locator('[data-path-progress]').textContent()).toContain('1 of 3 read');
    expect(await page.locator('ol.steps > li.read').count()).toBe(1);
    // The playbook page shows where it sits in the path, with the next step.
    await page.goto(session.urlFor('playbooks/connection-pool-exhaustion/'));
    expect(await page.locator('a[rel="next"]').first().textContent()).toContain('Checkout failed');
    await session.close();
  });
});

describe('print, themes, keyboard and accessibility', () => {
  it('prints without navigation or search, with external link targets spelled out', async () => {
    const session = await openPage(browser, site, 'postmortems/INC-2025-014/');
    const { page } = session;
    expect(await page.locator('.prose details code', { hasText: 'invoice_v2=off' }).isVisible()).toBe(false);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    expect(await page.locator('.site-footer').isVisible()).toBe(false);
    const after = await page
      .locator('.prose a[href^="https://flags.example.com"]')
      .evaluate((a) => getComputedStyle(a, '::after').content);
    expect(after).toContain('https://flags.example.com/docs/environments');
    expect(await page.locator('h1').isVisible()).toBe(true);
    // A closed disclosure in the body prints open.
    expect(await page.locator('.prose details code', { hasText: 'invoice_v2=off' }).isVisible()).toBe(true);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.byteLength).toBeGreaterThan(1000);
    await session.close();
  });

  it('follows the system dark mode, and the toggle overrides it and is remembered', async () => {
    const session = await openPage(browser, site, '', { colorScheme: 'dark' });
    const { page } = session;
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background()).toBe('rgb(13, 17, 23)');
    await page.locator('[data-theme-toggle]').click();
    expect(await background()).toBe('rgb(255, 255, 255)');
    await page.reload();
    expect(await background()).toBe('rgb(255, 255, 255)');
    await session.close();
  });

  it('starts keyboard navigation with a skip link to the main content', async () => {
    const session = await openPage(browser, site, 'playbooks/retry-storm/');
    const { page } = session;
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await session.close();
  });

  const pages = [
    '',
    'postmortems/',
    'postmortems/INC-2026-001/',
    'playbooks/',
    'playbooks/connection-pool-exhaustion/',
    'paths/first-week-on-call/',
    'categories/',
    'services/checkout-api/',
    'actions/',
    'insights/',
  ];
  const darkToo = new Set(['', 'postmortems/INC-2026-001/', 'playbooks/connection-pool-exhaustion/', 'insights/']);
  for (const path of pages) {
    for (const colorScheme of darkToo.has(path) ? (['light', 'dark'] as const) : (['light'] as const)) {
      it(`has no serious accessibility violations, console errors or third-party requests: /kb/${path} (${colorScheme})`, async () => {
        const session = await openPage(browser, site, path, { colorScheme, waitUntil: 'networkidle' });
        if (path === 'postmortems/INC-2026-001/') await session.page.locator('figure.mermaid .diagram svg').waitFor();
        expect(seriousViolations(await runAxe(session.page))).toEqual([]);
        expect(session.consoleErrors).toEqual([]);
        expect(session.thirdPartyRequests()).toEqual([]);
        const links = await internalLinks(session.page, site);
        expect(links.every((l) => new URL(l).pathname.startsWith('/kb/'))).toBe(true);
        await session.close();
      });
    }
  }

  it('works on a phone: no horizontal scrolling of the page itself', async () => {
    const session = await openPage(browser, site, 'postmortems/INC-2026-001/', {
      viewport: { width: 375, height: 740 },
      isMobile: true,
      hasTouch: true,
    });
    const overflow = await session.page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(1);
    await session.close();
  });
});

describe('the build gate', () => {
  it('refuses to build a knowledge base with a dead link, naming the file and line', async () => {
    const root = await mkdtemp(join(tmpdir(), 'hindsight-e2e-deadlink-'));
    try {
      await cp(FIXTURE, root, { recursive: true });
      const file = join(root, 'content', 'postmortems', 'INC-2025-014-billing-config.md');
      const text = await readFile(file, 'utf8');
      await writeFile(file, text.replace('No money moved twice.', 'No money moved twice. See [[no-such-playbook]].'));
      const run = await runBuild({ root });
      expect(run.ok).toBe(false);
      expect(run.output).toMatch(/content\/postmortems\/INC-2025-014-billing-config\.md:\d+:\d+/);
      expect(run.output).toContain('no-such-playbook');
      expect(await readdir(run.outDir)).toEqual([]);
      await rm(run.outDir, { recursive: true, force: true });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
