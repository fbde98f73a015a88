/**
 * The search launcher, on every page: `/` focuses the search box (the big one on /search/,
 * otherwise the header's) unless someone is typing in a field already, and focusing the header
 * box warms the search up (`warm.ts`, loaded only then). Everything else the header box does is
 * a plain GET form to /search/, which works without JavaScript.
 *
 * The lazy `import('./warm.ts')` also keeps this script an external file: Astro inlines small
 * scripts without imports, and the site's Content Security Policy allows no inline script.
 */

/** True when a key press belongs to an editable element (typing "/" into a field). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file', 'image'].includes(type);
}

document.addEventListener('keydown', (event) => {
  if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
  if (isTypingTarget(event.target)) return;
  const box =
    document.querySelector<HTMLInputElement>('[data-search-input]') ??
    document.querySelector<HTMLInputElement>('[data-search-launcher]');
  if (!box) return;
  event.preventDefault();
  box.focus();
  box.select();
});

const launcher = document.querySelector<HTMLInputElement>('[data-search-launcher]');
launcher?.addEventListener(
  'focus',
  () => {
    const base = launcher.dataset['base'];
    if (base && !document.querySelector('[data-search-page]')) void import('./warm.ts').then((m) => m.warmSearch(base));
  },
  { once: true },
);
