/**
 * Warm the search up from any page: when someone focuses the header search box, load Pagefind's
 * script, WebAssembly and index metadata, and Hindsight's index profile, into the HTTP cache
 * while they type, so the /search/ page they land on answers at once. Loaded lazily by the launcher; failures are silent (the
 * search page reports them).
 */
import { PROFILE_FILE } from './config.ts';
import type { PagefindModule } from './pagefind-api.ts';

let started = false;

/** Load and initialise Pagefind from `<base>pagefind/` once per page. */
export async function warmSearch(base: string): Promise<void> {
  if (started) return;
  started = true;
  // The index profile the search page plans its searches with (a few kilobytes).
  void fetch(`${base}pagefind/${PROFILE_FILE}`).catch(() => undefined);
  try {
    const pagefind = (await import(/* @vite-ignore */ `${base}pagefind/pagefind.js`)) as PagefindModule;
    await pagefind.init();
  } catch {
    // No index (dev server) or offline: the search page explains.
  }
}
