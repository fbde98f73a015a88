/**
 * The Markdown pipeline the site renders with: the list of plugins handed to Astro's Markdown
 * processor in `astro.config.mjs`. Owned by the site work (issue 3); sanitizing lives in
 * `./sanitize.ts` (issue 7) and is wired in here.
 */
export {};
