/**
 * Warm the search up from any page: when someone focuses the header search box, load Pagefind's
 * script, WebAssembly and index metadata into the HTTP cache while they type, so the /search/
 * page they land on answers at once. (Nothing else is imported here: a module shared with the
 * search page's script would become a chunk of its own, one more request before search starts.) Loaded lazily by the launcher; failures are silent (the
 * search page reports them).
 */
import type { PagefindModule } from './pagefind-api.ts';

let started = false;

/** Load and initialise Pagefind from `<base>pagefind/` once per page. */
export async function warmSearch(base: string): Promise<void> {
  if (started) return;
  started = true;
  try {
    const pagefind = (await import(/* @vite-ignore */ `${base}pagefind/pagefind.js`)) as PagefindModule;
    await pagefind.init();
  } catch {
    // No index (dev server) or offline: the search page explains.
  }
}
