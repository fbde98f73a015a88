/**
 * Astro integration that indexes the built site with Pagefind. Owned by the search work
 * (issue 4); placeholder that does nothing yet.
 */
import type { AstroIntegration } from 'astro';

export default function hindsightSearch(): AstroIntegration {
  return { name: 'hindsight-search', hooks: {} };
}
