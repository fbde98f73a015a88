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
import { configurePagefind } from './run.ts';

export interface NodeSearch {
  pagefind: PagefindModule;
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
  const files = sirv(distDir, { dev: true, dotfiles: false });
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (!url.startsWith(base)) {
      res.writeHead(404).end();
      return;
    }
    req.url = `/${url.slice(base.length)}`;
    files(req, res, () => {
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  // A distinct module URL per call: ES modules are cached per URL, Pagefind keeps state in its module.
  const moduleUrl = `${pathToFileURL(bundle).href}?instance=${++instances}`;
  const pagefind = (await import(moduleUrl)) as PagefindModule;
  await configurePagefind(pagefind, { basePath: `http://127.0.0.1:${port}${base}pagefind/`, baseUrl: base });
  return {
    pagefind,
    close: () =>
      new Promise<void>((done, fail) =>
        server.close((error) => {
          if (error) fail(error);
          else done();
        }),
      ),
  };
}
