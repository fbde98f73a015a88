/**
 * Run the real generated search bundle (`<dist>/pagefind/pagefind.js` and its WebAssembly) in
 * Node, for the relevance benchmark and tests: the files are served over loopback HTTP exactly as
 * a static host would, and Pagefind is configured with the same options as the /search/ page
 * (`configurePagefind`). Pagefind runs on the main thread in Node (no Web Worker); the ranking
 * code is the same WebAssembly the browser runs.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sirv from 'sirv';
import type { PagefindModule } from './pagefind-api.ts';
import { configurePagefind, openEngine, type SearchEngine } from './run.ts';

/** A search engine over a built site's bundle, in Node. */
export interface NodeSearch extends SearchEngine {
  /** Paths of the bundle files served so far, e.g. `pagefind/index/en_1a2b3c4.pf_index`, in order. */
  requests: string[];
  close: () => Promise<void>;
}

let instances = 0;

/**
 * Open the search index of a site built into `distDir` for `base` (e.g. `/kb/`). Each call gets
 * its own Pagefind instance.
 */
export async function openNodeSearch(distDir: string, base = '/'): Promise<NodeSearch> {
  const bundle = join(distDir, 'pagefind', 'pagefind.js');
  if (!existsSync(bundle)) throw new Error(`no search index at ${bundle}: build the site first`);
  const requests: string[] = [];
  const server = await serveStatic(distDir, base, { dev: true, dotfiles: false }, (path) => {
    if (path.startsWith('/pagefind/')) requests.push(path.slice(1));
  });
  // A distinct module URL per call: ES modules are cached per URL, Pagefind keeps state in its module.
  const moduleUrl = `${pathToFileURL(bundle).href}?instance=${++instances}`;
  const pagefind = (await import(moduleUrl)) as PagefindModule;
  await configurePagefind(pagefind, { basePath: `${server.url}pagefind/`, baseUrl: base });
  const engine = await openEngine(pagefind, `${server.url}pagefind/`);
  return { ...engine, requests, close: server.close };
}

/** A static file server on loopback; see `serveStatic`. */
export interface StaticServer {
  /** `http://127.0.0.1:<port><base>` */
  url: string;
  close: () => Promise<void>;
}

/**
 * Serve the files in `dir` under `base` (e.g. `/kb/`) on 127.0.0.1 and a random port, with sirv,
 * as a static host would; anything outside `base` or missing is a bare 404. `onRequest` sees
 * each request's path below `base` (with a leading slash, no query).
 */
export async function serveStatic(
  dir: string,
  base: string,
  options: Parameters<typeof sirv>[1] = {},
  onRequest?: (path: string) => void,
): Promise<StaticServer> {
  const files = sirv(dir, options);
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (!url.startsWith(base)) {
      res.writeHead(404).end();
      return;
    }
    req.url = `/${url.slice(base.length)}`;
    onRequest?.(req.url.replace(/[?#].*$/, ''));
    files(req, res, () => {
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${base}`,
    close: () =>
      new Promise<void>((done, fail) =>
        server.close((error) => {
          if (error) fail(error);
          else done();
        }),
      ),
  };
}
