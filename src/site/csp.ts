/**
 * The Content-Security-Policy of every page, through Astro's built-in CSP (`security.csp` in
 * `astro.config.mjs`). Astro writes it as a `<meta http-equiv="content-security-policy">` at the
 * top of each page's `<head>` and adds the SHA-256 hashes of the scripts and styles it emits, so
 * no inline script runs unless Astro put it there.
 *
 * The policy, and why:
 * - `default-src 'self'`: everything (images, fonts, fetches of the search index, workers)
 *   comes from the site's own origin; nothing leaves it.
 * - `script-src 'self' 'wasm-unsafe-eval'` + Astro's hashes: bundled scripts only; Pagefind
 *   compiles its WebAssembly search engine, which needs `'wasm-unsafe-eval'` (it does not allow
 *   JavaScript `eval`).
 * - `style-src 'self' 'unsafe-inline'`: Mermaid draws diagrams as SVG with an inline `<style>`
 *   element and `style` attributes, which a hash cannot cover (they depend on the diagram).
 *   Authors cannot use this: the sanitizer (`src/markdown/sanitize.ts`) removes every `style`
 *   element and attribute from content, and CSS cannot run script or (with `default-src
 *   'self'`) send anything to another origin.
 * - `object-src 'none'`, `frame-src 'none'`: no plugins, no frames.
 * - `base-uri 'self'`: an injected `<base>` cannot re-point relative URLs.
 * - `form-action 'self'`: forms (the search box) only submit to the site.
 *
 * What a `<meta>` policy cannot do, and hosts should add as HTTP headers (see `HOST_HEADERS`):
 * `frame-ancestors` (clickjacking: browsers ignore it in `<meta>`), `X-Content-Type-Options`,
 * `Referrer-Policy`. Note that Astro does not apply CSP in `astro dev`; test with a build.
 */
import type { AstroUserConfig } from 'astro';

type CspOption = Exclude<NonNullable<NonNullable<AstroUserConfig['security']>['csp']>, boolean>;

/** Directives besides `script-src` and `style-src` (those two are Astro's, below). */
export const CSP_DIRECTIVES = [
  "default-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
] as const;

/** The `security.csp` option for `astro.config.mjs`. */
export const contentSecurityPolicy: CspOption = {
  algorithm: 'SHA-256',
  directives: [...CSP_DIRECTIVES],
  scriptDirective: { resources: ["'self'", "'wasm-unsafe-eval'"] },
  styleDirective: { resources: ["'self'", "'unsafe-inline'"] },
};

/**
 * HTTP response headers a host should send with every page, for what `<meta>` cannot carry.
 * Netlify/Cloudflare Pages: a `_headers` file (`/*` then `  Name: value` lines); nginx:
 * `add_header Name "value" always;`; S3 + CloudFront: a response-headers policy.
 */
export const HOST_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "frame-ancestors 'none'; object-src 'none'; base-uri 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

/** `HOST_HEADERS` as a Netlify / Cloudflare Pages `_headers` file. */
export function netlifyHeadersFile(path = '/*'): string {
  return `${path}\n${Object.entries(HOST_HEADERS)
    .map(([name, value]) => `  ${name}: ${value}`)
    .join('\n')}\n`;
}
