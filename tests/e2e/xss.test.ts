/**
 * Hostile content, built into a real site and opened in real Chromium:
 * - the XSS payload corpus (`tests/fixtures/hostile/xss-payloads.ts`) in Markdown bodies and
 *   Mermaid diagrams, and script payloads in every frontmatter string a template renders and in
 *   the taxonomy: no payload ever runs (each one calls `__xssHit(id)` or opens a dialog if it
 *   does), even when hovered, focused or clicked; no dangerous URL or element reaches a page;
 *   the sanitizer removes everything before the Content-Security-Policy has to act (no
 *   violations), and the policy is on every page and blocks inline script and eval on its own;
 * - drafts never leak: a draft's unique marker is nowhere in the built output (HTML, feed,
 *   JSON export, sitemap, search index, decompressed), while a published document's marker is
 *   found in each, proving the search can see it;
 * - the build gate: a published secret or a symbolic link out of content/ stops the build,
 *   prints file and line, and shows neither the secret nor the linked file.
 */
import { gunzipSync } from 'node:zlib';
import { mkdtemp, readFile, readdir, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { Element as HastElement, Root as HastRoot } from 'hast';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { htmlToHast } from 'satteri';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, runBuild, serveSite, type SiteServer } from './harness.ts';
import { makeKb } from '../fixtures/hostile/kb.ts';
import { DRAFT_MARKER, hostileKb, PUBLISHED_MARKER } from '../fixtures/hostile/xss-site.ts';
import { MERMAID_PAYLOADS } from '../fixtures/hostile/xss-payloads.ts';

/** The built file of a page path (`playbooks/x/` → `playbooks/x/index.html`, `404.html` as is). */
function fileOf(path: string): string {
  return path === '' || path.endsWith('/') ? join(site.outDir, path, 'index.html') : join(site.outDir, path);
}

function elementsOf(node: HastRoot | HastElement, out: HastElement[] = []): HastElement[] {
  for (const child of node.children) {
    if (child.type === 'element') {
      out.push(child);
      elementsOf(child, out);
    }
  }
  return out;
}

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await allFiles(full)));
    else out.push(full);
  }
  return out;
}

/** A file's bytes as text, gunzipped when compressed (Pagefind's index, fragments and filters are). */
async function textOf(file: string): Promise<string> {
  const bytes = await readFile(file);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes).toString('latin1');
    } catch {
      return bytes.toString('latin1');
    }
  }
  return bytes.toString('latin1');
}

interface PageReport {
  /** Links a click would turn into script or a document from a URL. */
  dangerousLinks: string[];
  /** Elements that carry a payload marker, or that the site never has (frames, plugins, <base>). */
  dangerousElements: string[];
  /** Inline event-handler attributes anywhere in the final DOM. */
  handlers: string[];
  /** `style` attributes in document content (outside drawn Mermaid diagrams). */
  styled: string[];
  /** The page's policy, or null. */
  csp: string | null;
  /** Inline scripts in <head> before the policy (they would run unchecked). */
  scriptsBeforePolicy: string[];
  violations: { directive: string; blocked: string; source: string }[];
}

let kb: { root: string; cleanup: () => Promise<void> };
let site: SiteServer;
let browser: Browser;
let pages: string[];
let hostilePages: string[];
const hits: string[] = [];
const dialogs: string[] = [];

/**
 * A browser context that records payload hits (`__xssHit`), dialogs and policy violations.
 * `withoutPolicy` strips the Content-Security-Policy from every page, to prove the sanitizer
 * alone keeps payloads from running.
 */
async function newContext(withoutPolicy = false): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.exposeBinding('__xssHit', (source, id: unknown) => {
    hits.push(`${String(id)} on ${source.page.url()}${withoutPolicy ? ' (policy stripped)' : ''}`);
  });
  await context.addInitScript(() => {
    const seen: { directive: string; blocked: string; source: string }[] = [];
    (window as unknown as { __cspViolations: typeof seen }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push({ directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile }),
    );
  });
  if (withoutPolicy) {
    await context.route('**/*', async (route) => {
      const response = await route.fetch();
      if (!(response.headers()['content-type'] ?? '').includes('text/html')) return route.fulfill({ response });
      const body = (await response.text()).replace(/<meta http-equiv="content-security-policy"[^>]*>/, '');
      return route.fulfill({ response, body });
    });
  }
  context.on('page', (page) =>
    page.on('dialog', (d) => void (dialogs.push(`${d.type()}: ${d.message()}`), d.dismiss())),
  );
  return context;
}

/** Hover, focus and click everything that does not navigate, then report what is on the page. */
async function exercise(page: Page): Promise<PageReport> {
  const figures = await page.locator('figure[data-mermaid]').count();
  if (figures > 0) {
    await page.waitForFunction(
      (n) =>
        document.querySelectorAll('figure[data-mermaid] .diagram, figure[data-mermaid] .mermaid-error').length >= n,
      figures,
      { timeout: 20_000 },
    );
  }
  await page.evaluate(() => {
    for (const el of [...document.body.querySelectorAll('*')]) {
      for (const type of ['mouseover', 'mouseenter', 'focus', 'focusin', 'toggle', 'animationstart', 'pointerdown'])
        el.dispatchEvent(new Event(type, { bubbles: true }));
      if (el.closest('a[href], form') !== null) continue; // would navigate away; links are checked below
      if (el instanceof HTMLElement) el.click();
      else el.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    }
  });
  await page.waitForTimeout(300);
  return page.evaluate(() => {
    const unsafe = new Set(['javascript:', 'data:', 'vbscript:']);
    const all = [...document.querySelectorAll('*')];
    const policy = document.querySelector('meta[http-equiv="content-security-policy"]');
    const headBefore = policy ? [...document.head.children].slice(0, [...document.head.children].indexOf(policy)) : [];
    // A payload marker where it could act: in script or style text, or in an attribute that loads
    // or runs something. (In a title, alt text or the page's description it is just text; link
    // targets are judged by their scheme above: an http(s) link may point anywhere.)
    const MARK = /__xssHit|evil\.example/;
    const ACTIVE = [
      'src',
      'srcset',
      'srcdoc',
      'data',
      'action',
      'formaction',
      'style',
      'xlink:href',
      'poster',
      'background',
    ];
    const marked = (el: Element) =>
      ((el.localName === 'script' || el.localName === 'style') && MARK.test(el.textContent)) ||
      ACTIVE.some((name) => MARK.test(el.getAttribute(name) ?? ''));
    return {
      dangerousLinks: [...document.querySelectorAll<HTMLAnchorElement | HTMLAreaElement>('a[href], area[href]')]
        .filter((a) => unsafe.has(a.protocol))
        .map((a) => a.href),
      dangerousElements: [
        ...document.querySelectorAll('iframe, frame, object, embed, base, meta[http-equiv="refresh"], body link'),
        ...all.filter(marked),
      ].map((el) => el.outerHTML.slice(0, 120)),
      handlers: all
        .filter((el) => [...el.attributes].some((a) => a.name.startsWith('on')))
        .map((el) => el.outerHTML.slice(0, 120)),
      styled: [...document.querySelectorAll('article [style]')]
        .filter((el) => !el.closest('figure[data-mermaid] .diagram'))
        .map((el) => el.outerHTML.slice(0, 120)),
      csp: policy?.getAttribute('content') ?? null,
      scriptsBeforePolicy: headBefore
        .filter((el) => el.tagName === 'SCRIPT' && !el.hasAttribute('src'))
        .map((el) => el.outerHTML.slice(0, 120)),
      violations: (window as unknown as { __cspViolations: PageReport['violations'] }).__cspViolations,
    };
  });
}

/** Visit every built page in one context; list what should not be there. */
async function visitAll(withoutPolicy: boolean): Promise<string[]> {
  const context = await newContext(withoutPolicy);
  const problems: string[] = [];
  try {
    for (const path of hostilePages) {
      const page = await context.newPage();
      await page.goto(`${site.url}${path}`, { waitUntil: 'load' });
      const report = await exercise(page);
      const where = path || '(home)';
      const add = (what: string, list: readonly unknown[]) => {
        for (const item of list)
          problems.push(`${where}: ${what}: ${typeof item === 'string' ? item : JSON.stringify(item)}`);
      };
      add('dangerous link', report.dangerousLinks);
      add('dangerous element', report.dangerousElements);
      add('event-handler attribute', report.handlers);
      add('style attribute', report.styled);
      if (!withoutPolicy) {
        if (!report.csp) problems.push(`${where}: no Content-Security-Policy`);
        add('inline script before the policy', report.scriptsBeforePolicy);
        // Mermaid's own sanitizer parses hostile labels in a scratch element, and the policy
        // refuses the transient handler (nothing runs either way: see the run without the
        // policy). Anything else the policy had to stop means something got past the sanitizer.
        add(
          'policy violation',
          report.violations.filter(
            (v) => !(v.directive === 'script-src-attr' && v.source.startsWith(`${site.url}_astro/`)),
          ),
        );
      }
      await page.close();
    }
  } finally {
    await context.close();
  }
  return problems;
}

beforeAll(async () => {
  kb = await hostileKb();
  const outDir = await mkdtemp(join(tmpdir(), 'h6-xss-dist-'));
  const build = await runBuild({ root: kb.root, outDir, env: { HINDSIGHT_SITE: 'https://kb.example.com' } });
  if (!build.ok) throw new Error(`the hostile site did not build:\n${build.output.slice(-6000)}`);
  site = await serveSite({ outDir, base: '/kb/', root: kb.root });
  browser = await launchBrowser();
  pages = (await allFiles(outDir))
    .filter((f) => f.endsWith('.html'))
    .map((f) =>
      relative(outDir, f)
        .split(sep)
        .join('/')
        .replace(/index\.html$/, ''),
    );
  // The browser passes visit the pages that show hostile content (everything else gets the static checks).
  hostilePages = [];
  for (const path of pages)
    if (/__xssHit|data-mermaid/.test(await readFile(fileOf(path), 'utf8'))) hostilePages.push(path);
});

afterAll(async () => {
  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before assigning these */
  await browser?.close();
  await site?.close();
  if (site) await rm(site.outDir, { recursive: true, force: true });
  await kb?.cleanup();
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */
});

describe('no payload runs, anywhere', () => {
  it('every page showing hostile content, with its policy: no payload fires when loaded, hovered, focused or clicked; nothing dangerous is on it', async () => {
    expect(pages.length).toBeGreaterThan(10);
    expect(hostilePages.length).toBeGreaterThan(10);
    const problems = await visitAll(false);
    expect(hits).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
  }, 600_000);

  it('every page showing hostile content, with the policy stripped: the sanitizer alone keeps every payload from running', async () => {
    const problems = await visitAll(true);
    expect(hits).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
  }, 600_000);

  it('the detector works: an injected handler does fire once the policy is stripped', async () => {
    const context = await newContext(true);
    try {
      const page = await context.newPage();
      await page.goto(`${site.url}playbooks/xss-playbook/`, { waitUntil: 'load' });
      await page.evaluate(
        `document.body.insertAdjacentHTML('beforeend', '<img src="x" onerror="__xssHit(\\'detector-control\\')">')`,
      );
      await expect.poll(() => hits.some((h) => h.startsWith('detector-control'))).toBe(true);
    } finally {
      await context.close();
      hits.splice(0, hits.length, ...hits.filter((h) => !h.startsWith('detector-control')));
    }
  });

  it('the payload pages really carry the payloads (as text), so the test above had something to stop', async () => {
    const html = await readFile(join(site.outDir, 'playbooks/xss-playbook/index.html'), 'utf8');
    expect(html).toContain('__xssHit(&#39;pb-title&#39;)');
    expect(html).toContain('Payload md-link-javascript');
    const postmortem = await readFile(join(site.outDir, 'postmortems/INC-2026-001/index.html'), 'utf8');
    expect(postmortem.match(/data-mermaid/g)?.length).toBeGreaterThanOrEqual(MERMAID_PAYLOADS.length);
  });

  it('search results never run what they quote', async () => {
    const context = await newContext();
    try {
      for (const query of ['onerror', 'xssHit', 'script', 'svg onload']) {
        const page = await context.newPage();
        await page.goto(`${site.url}search/?q=${encodeURIComponent(query)}`, { waitUntil: 'networkidle' });
        await page.waitForTimeout(500);
        const report = await exercise(page);
        expect(report.violations, query).toEqual([]);
        expect(report.handlers, query).toEqual([]);
        await page.close();
      }
    } finally {
      await context.close();
    }
    expect(hits).toEqual([]);
    expect(dialogs).toEqual([]);
  }, 120_000);
});

describe('the Content-Security-Policy', () => {
  it('is on every page, with the directives that matter', async () => {
    for (const path of pages) {
      const html = await readFile(fileOf(path), 'utf8');
      const policy = /<meta http-equiv="content-security-policy" content="([^"]+)"/.exec(html)?.[1];
      expect(policy, path).toBeDefined();
      for (const directive of [
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-src 'none'",
        "script-src 'self' 'wasm-unsafe-eval'",
      ]) {
        expect(policy, `${path}: ${directive}`).toContain(directive);
      }
      expect(policy, path).not.toMatch(/script-src[^;]*'unsafe-inline'|'unsafe-eval'/);
      // Nothing that can run comes before the policy in <head> (a meta policy only covers what follows it).
      const tree = htmlToHast(html) as HastRoot;
      const head = elementsOf(tree).find((el) => el.tagName === 'head');
      const children = (head?.children ?? []).filter((c): c is HastElement => c.type === 'element');
      const at = children.findIndex((el) => el.tagName === 'meta' && el.properties['httpEquiv'] !== undefined);
      expect(at, path).toBeGreaterThanOrEqual(0);
      expect(
        children.slice(0, at).filter((el) => el.tagName === 'script' && el.properties['src'] === undefined).length,
        path,
      ).toBe(0);
    }
  });

  it('blocks inline script, inline handlers and requests to other origins on its own (without the sanitizer)', async () => {
    const context = await newContext();
    try {
      const page = await context.newPage();
      await page.goto(site.url, { waitUntil: 'load' });
      // Evaluated as a string: the test runner must not rewrite it. (eval is not tested here: code
      // run through the DevTools protocol is exempt from the policy's eval check; the policy's
      // text is checked for 'unsafe-eval' above.)
      const violations = await page.evaluate<string[]>(`(async () => {
        const script = document.createElement('script');
        script.textContent = "__xssHit('csp-inline-script')";
        document.body.append(script);
        const button = document.createElement('button');
        button.setAttribute('onclick', "__xssHit('csp-inline-handler')");
        document.body.append(button);
        button.click();
        const img = document.createElement('img');
        img.src = 'https://evil.example/beacon.png';
        document.body.append(img);
        const frame = document.createElement('iframe');
        frame.src = '${site.url}';
        document.body.append(frame);
        await new Promise((r) => setTimeout(r, 500));
        return window.__cspViolations.map((v) => v.directive + ' ' + v.blocked);
      })()`);
      expect(violations).toContain('script-src-elem inline');
      expect(violations).toContain('script-src-attr inline');
      expect(violations).toContain('img-src https://evil.example/beacon.png');
      expect(violations.some((v) => v.startsWith('frame-src'))).toBe(true);
    } finally {
      await context.close();
    }
    expect(hits).toEqual([]);
  });
});

describe('drafts never leak', () => {
  it(`no draft or in-review marker anywhere in the output, while the published one is everywhere it should be`, async () => {
    const files = await allFiles(site.outDir);
    const withDraft: string[] = [];
    const withPublished = new Set<string>();
    for (const file of files) {
      const text = await textOf(file);
      const name = relative(site.outDir, file).split(sep).join('/');
      if (text.includes(DRAFT_MARKER) || text.includes('INC-2026-777')) withDraft.push(name);
      if (text.includes(PUBLISHED_MARKER))
        withPublished.add(
          name.startsWith('pagefind/')
            ? `pagefind/${name.split('/')[1]?.includes('.') ? 'root' : name.split('/')[1]}`
            : name,
        );
    }
    expect(withDraft).toEqual([]);
    // The positive control: the same search finds a published document's marker in each output kind.
    expect(withPublished).toContain('feed.xml');
    expect(withPublished).toContain('export.json');
    expect(withPublished).toContain('playbooks/xss-playbook/index.html');
    expect([...withPublished].some((f) => f.startsWith('pagefind/'))).toBe(true);
    const sitemap = (
      await Promise.all(files.filter((f) => /sitemap.*\.xml$/.test(f)).map((f) => readFile(f, 'utf8')))
    ).join('\n');
    expect(sitemap).toContain('/kb/playbooks/xss-playbook/');
    expect(sitemap).not.toMatch(new RegExp(`${DRAFT_MARKER}|INC-2026-777`));
  });

  it('the search finds the published marker and not the draft one', async () => {
    const context = await newContext();
    try {
      const page = await context.newPage();
      await page.goto(site.url, { waitUntil: 'load' });
      // Pagefind's own API, as the search page uses it; evaluated as a string so the test runner
      // does not rewrite the dynamic import.
      const found = await page.evaluate<Record<string, number>>(`(async () => {
        const pagefind = await import('/kb/pagefind/pagefind.js');
        const out = {};
        for (const marker of ${JSON.stringify([PUBLISHED_MARKER, DRAFT_MARKER])}) out[marker] = (await pagefind.search(marker)).results.length;
        return out;
      })()`);
      expect(found[PUBLISHED_MARKER]).toBeGreaterThan(0);
      expect(found[DRAFT_MARKER]).toBe(0);
    } finally {
      await context.close();
    }
  });
});

describe('the build gate keeps flagged content out of the output', () => {
  it('a published secret or a link out of content/ stops the build, with file and line, showing neither', async () => {
    const secret = 'AKIAQWERTYUIOPASDFGH';
    const gate = await makeKb(
      {
        'content/playbooks/leaky.md': [
          '---',
          'id: leaky',
          'title: A playbook that leaks a key',
          'status: published',
          'summary: Somebody pasted a real key into a published playbook by mistake.',
          'category: software-bug',
          'symptoms: ["Requests to S3 fail with 403"]',
          'owners: ["@platform-oncall"]',
          'last_reviewed: 2026-03-01',
          '---',
          `## Confirm\n\nexport AWS_ACCESS_KEY_ID=${secret}\n\n## Mitigate now\n\nx\n\n## Fix for good\n\ny\n`,
        ].join('\n'),
      },
      'h6-gate-',
    );
    const outDir = await mkdtemp(join(tmpdir(), 'h6-gate-dist-'));
    try {
      await symlink('/etc/passwd', join(gate.root, 'content/playbooks/passwd.md'));
      const build = await runBuild({ root: gate.root, outDir });
      expect(build.ok).toBe(false);
      expect(build.output).toContain('content/playbooks/leaky.md:13:');
      expect(build.output).toContain('sensitive-data');
      expect(build.output).toContain('content/playbooks/passwd.md');
      expect(build.output).not.toContain(secret);
      expect(build.output).not.toMatch(/root:x:0:0|daemon:x:/);
      const built = await allFiles(outDir).catch(() => []);
      expect(built.filter((f) => f.endsWith('.html'))).toEqual([]);
      await stat(outDir);
    } finally {
      await rm(outDir, { recursive: true, force: true });
      await gate.cleanup();
    }
  }, 300_000);
});
