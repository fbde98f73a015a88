/**
 * The /search/ page in the browser: live results as you type or paste, filter chips, sort,
 * keyboard navigation, and the whole state in the URL. Loaded as an external module script
 * (no inline code: the site runs under a strict Content Security Policy); builds every element
 * with DOM calls and text nodes, never `innerHTML`.
 *
 * Page contract (rendered by `src/pages/search/index.astro`):
 * `[data-search-page]` with `data-base` (site base, e.g. `/kb/`), `data-dev` ("true" in the dev
 * server) and `data-labels` (JSON of display labels), containing `[data-search-form]`,
 * `[data-search-input]`, `[data-search-sort]`, `[data-search-normalized]`, `[data-search-chips]`,
 * `[data-search-status]`, `[data-search-results]`, `[data-search-more]`, `[data-search-empty]`.
 */
import {
  DEV_SEARCH_HINT,
  FILTER_KEYS,
  FILTER_LABELS,
  PAGE_SIZE,
  SORTS,
  type FilterKey,
  type SortId,
} from './config.ts';
import { describeRemoved } from './normalize.ts';
import { splitTyping, typedQuery } from './words.ts';
import type { PagefindFragment, PagefindModule, PagefindResult, PagefindSearchResults } from './pagefind-api.ts';
import { configurePagefind, openEngine, preloadSearch, runSearch, type SearchEngine } from './run.ts';
import {
  emptyState,
  hasFilters,
  parseSearchParams,
  toggleFilter,
  toQueryString,
  type SearchState,
} from './url-state.ts';

/** Display labels the page embeds: filter value → human label, severity → rank. */
interface Labels {
  values: Partial<Record<FilterKey, Record<string, string>>>;
  severityRank: Record<string, number>;
}

/** Milliseconds of quiet typing before searching (preloading starts on every keystroke). */
const TYPING_DELAY = 60;
/**
 * The same when the word being typed is one or two characters long (`typedQuery` leaves it out):
 * long enough for the next keystroke to come first, short enough that someone who stops at
 * `db` still gets results.
 */
const SHORT_WORD_DELAY = 350;
/** The same when a key was typed inside a word of three letters or more: a pause, not every letter. */
const MID_WORD_DELAY = 200;
/** How long a search may take before the page says something is wrong. */
const SLOW_SEARCH_MS = 8000;
const SLOW_SEARCH =
  'Search has not answered for 8 seconds. If this site sends a Content-Security-Policy, it must allow ' +
  "script-src 'self' 'wasm-unsafe-eval' and worker-src 'self' for search to run.";
/** Results rendered before the rest of the first page is fetched. */
const FIRST_BATCH = 5;
/**
 * Milliseconds the first results stay alone before the rest of the page is fetched: while
 * someone is still typing, the next keystroke's results replace them, and the fragments of the
 * rest would be loaded for nothing.
 */
const REST_DELAY = 250;
/** Values shown per filter group (tags can be many). */
const MAX_CHIPS = 12;

// The element type is the caller's claim about the page contract, checked by the e2e tests.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
function must<T extends Element>(root: ParentNode, selector: string): T {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`search page is missing ${selector}`);
  return element;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/**
 * Pagefind excerpts are text with `<`/`>` escaped and matches wrapped in `<mark>`; turn one
 * into nodes without parsing HTML.
 */
export function excerptNodes(excerpt: string): Node[] {
  const nodes: Node[] = [];
  const parts = excerpt.split(/(<mark>|<\/mark>)/);
  let marked = false;
  for (const part of parts) {
    if (part === '<mark>') marked = true;
    else if (part === '</mark>') marked = false;
    else if (part.length > 0) {
      const text = document.createTextNode(part.replace(/&lt;/g, '<').replace(/&gt;/g, '>'));
      nodes.push(marked ? el('mark', {}, [text]) : text);
    }
  }
  return nodes;
}

class SearchPage {
  readonly root: HTMLElement;
  readonly base: string;
  readonly labels: Labels;
  readonly form: HTMLFormElement;
  readonly input: HTMLInputElement;
  readonly sortSelect: HTMLSelectElement;
  readonly normalized: HTMLElement;
  readonly chips: HTMLElement;
  readonly status: HTMLElement;
  readonly list: HTMLOListElement;
  readonly more: HTMLButtonElement;
  readonly empty: HTMLElement;

  state: SearchState = emptyState();
  engine: Promise<SearchEngine> | undefined;
  /** Incremented per search; a late answer to an older search is dropped. */
  generation = 0;
  timer: ReturnType<typeof setTimeout> | undefined;
  pending: PagefindResult[] = [];
  filtersLoaded = false;
  filtersOpen = false;
  lastResults: PagefindSearchResults | undefined;
  readonly filterToggle: HTMLButtonElement;

  constructor(root: HTMLElement) {
    this.root = root;
    this.base = root.dataset['base'] ?? '/';
    this.labels = { values: {}, severityRank: {}, ...(JSON.parse(root.dataset['labels'] ?? '{}') as Partial<Labels>) };
    this.form = must(root, '[data-search-form]');
    this.input = must(root, '[data-search-input]');
    this.sortSelect = must(root, '[data-search-sort]');
    this.normalized = must(root, '[data-search-normalized]');
    this.chips = must(root, '[data-search-chips]');
    this.filterToggle = must(root, '[data-search-filter-toggle]');
    this.status = must(root, '[data-search-status]');
    this.list = must(root, '[data-search-results]');
    this.more = must(root, '[data-search-more]');
    this.empty = must(root, '[data-search-empty]');
  }

  start(): void {
    this.root.classList.add('search-ready');
    this.state = parseSearchParams(location.search);
    this.input.value = this.state.q;
    this.sortSelect.value = this.state.sort;
    if (this.root.dataset['dev'] === 'true') {
      this.setStatus(DEV_SEARCH_HINT);
      return;
    }
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.commit('push');
      void this.search();
    });
    this.input.addEventListener('input', (event) => {
      this.onTyping(event);
    });
    this.input.addEventListener('paste', () => {
      // Search a pasted log line at once, no typing delay.
      setTimeout(() => {
        this.commit('replace');
        void this.search();
      }, 0);
    });
    this.input.addEventListener('focus', () => void this.load().catch(() => undefined), { once: true });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown') {
        const first = this.resultLinks()[0];
        if (first) {
          event.preventDefault();
          first.focus();
        }
      }
    });
    this.list.addEventListener('keydown', (event) => {
      this.onResultKey(event);
    });
    this.sortSelect.addEventListener('change', () => {
      this.state = { ...this.state, sort: this.sortSelect.value as SortId };
      this.commit('push');
      void this.search();
    });
    this.more.addEventListener('click', () => void this.renderMore());
    this.filterToggle.hidden = false;
    this.filterToggle.addEventListener('click', () => void this.setFiltersOpen(!this.filtersOpen));
    window.addEventListener('popstate', () => {
      this.state = parseSearchParams(location.search);
      this.input.value = this.state.q;
      this.sortSelect.value = this.state.sort;
      void this.search();
    });
    // Start loading Pagefind now: by the time someone has typed a word it is ready.
    void this.load().catch(() => undefined);
    if (hasFilters(this.state)) void this.setFiltersOpen(true);
    else if (this.state.q.trim()) void this.search();
  }

  /** Pagefind (script, WebAssembly, metadata) and the index profile, loaded side by side once. */
  load(): Promise<SearchEngine> {
    this.engine ??= (async () => {
      const bundle = `${this.base}pagefind/`;
      const pagefind = (async () => {
        // A plain variable, not a template, inside import(): Vite would wrap a template in its
        // preload helper, a chunk of its own fetched before search can start.
        const url = `${bundle}pagefind.js`;
        const module = (await import(/* @vite-ignore */ url)) as PagefindModule;
        await configurePagefind(module);
        await module.init();
        return module;
      })();
      // The profile is fetched while Pagefind starts.
      return openEngine(pagefind, bundle);
    })();
    return this.engine;
  }

  onTyping(event: Event): void {
    this.state = { ...this.state, q: this.input.value };
    this.commit('replace');
    clearTimeout(this.timer);
    const text = this.input.value;
    const { complete, partial } = splitTyping(text);
    // Typed one key at a time, the word being typed is searched once typing pauses, not at every
    // letter: each start of it (han, hand, hands…) would load index chunks the finished word does
    // not need. A one- or two-letter start is left out even then (`typedQuery`). Pasted or
    // autofilled text is searched at once.
    const keystroke = event instanceof InputEvent && event.inputType === 'insertText' && partial.length > 0;
    const typed = typedQuery(text);
    const preload = keystroke ? complete : typed;
    if (preload) {
      void this.load()
        .then((engine) => {
          preloadSearch(engine, { ...this.state, q: preload });
        })
        .catch(() => undefined);
    }
    const delay = typed !== text.trim() ? SHORT_WORD_DELAY : keystroke ? MID_WORD_DELAY : TYPING_DELAY;
    this.timer = setTimeout(() => void this.search(typed || undefined), delay);
  }

  /** Put the state in the address bar: `push` for deliberate changes, `replace` while typing. */
  commit(mode: 'push' | 'replace'): void {
    this.state = { ...this.state, q: this.input.value };
    const query = toQueryString(this.state);
    const url = `${location.pathname}${query ? `?${query}` : ''}`;
    if (url === `${location.pathname}${location.search}`) return;
    if (mode === 'push') history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  }

  /** Search the current state; `q` replaces its query (what to search while someone types). */
  async search(q?: string): Promise<void> {
    clearTimeout(this.timer);
    const generation = ++this.generation;
    const state = q === undefined ? this.state : { ...this.state, q };
    let engine: SearchEngine;
    try {
      engine = await this.load();
    } catch (error) {
      this.engine = undefined;
      this.setStatus(
        `The search index could not be loaded from ${this.base}pagefind/ (${String(error)}). ` +
          'If this site was just deployed, check that its pagefind/ folder was uploaded too; locally, run `npm run build && npm run preview`.',
      );
      return;
    }
    // Pagefind waits forever when its WebAssembly cannot start (a Content Security Policy
    // without 'wasm-unsafe-eval' does that): say so instead of spinning silently.
    const watchdog = setTimeout(() => {
      if (generation === this.generation) this.setStatus(SLOW_SEARCH);
    }, SLOW_SEARCH_MS);
    let run;
    try {
      run = await runSearch(engine, state);
    } catch (error) {
      if (generation === this.generation) this.setStatus(`Search failed: ${String(error)}`);
      return;
    } finally {
      clearTimeout(watchdog);
    }
    if (generation !== this.generation) return;
    this.showNormalized(
      run.prepared.changed && Object.keys(run.prepared.removed).length > 0 ? run.prepared : undefined,
    );
    if (!run.results) {
      this.clear();
      this.setStatus('');
      return;
    }
    this.lastResults = run.results;
    await this.render(run.results, generation, run.partial);
  }

  /**
   * Open or close the filter chips. Their counts need every filter's index (about 20 KB per
   * filter at 10,000 documents), so they load when someone asks for filters, not with the
   * first results.
   */
  async setFiltersOpen(open: boolean): Promise<void> {
    this.filtersOpen = open;
    this.filterToggle.setAttribute('aria-expanded', String(open));
    if (!open) {
      this.chips.hidden = true;
      return;
    }
    const { pagefind } = await this.load();
    if (!this.filtersLoaded) {
      this.filtersLoaded = true;
      await pagefind.filters();
      // Counts come with searches made after the filter indexes are loaded.
      await this.search();
      return;
    }
    if (this.lastResults) this.renderChips(this.lastResults);
  }

  showNormalized(prepared: { term: string; removed: Record<string, number | undefined> } | undefined): void {
    this.normalized.replaceChildren();
    this.normalized.hidden = !prepared;
    if (!prepared) return;
    this.normalized.append(
      'Searching for ',
      el('q', {}, [prepared.term]),
      ` (ignored ${describeRemoved(prepared.removed)} from the pasted line).`,
    );
  }

  clear(): void {
    this.list.replaceChildren();
    this.chips.replaceChildren();
    this.chips.hidden = true;
    this.more.hidden = true;
    this.empty.hidden = true;
    this.pending = [];
  }

  async render(results: PagefindSearchResults, generation: number, partial = false): Promise<void> {
    // aria-busy while the page of results is incomplete (assistive technology waits; tests too).
    this.list.setAttribute('aria-busy', 'true');
    try {
      await this.renderPage(results, generation, partial);
    } finally {
      if (generation === this.generation) this.list.removeAttribute('aria-busy');
    }
  }

  async renderPage(results: PagefindSearchResults, generation: number, partial: boolean): Promise<void> {
    // Show the first few as soon as their fragments arrive, then fill in the rest of the page:
    // time to first results is what a responder feels.
    const first = await Promise.all(results.results.slice(0, FIRST_BATCH).map((r) => r.data()));
    if (generation !== this.generation) return;
    this.list.replaceChildren(...first.map((f) => this.resultItem(f)));
    this.pending = results.results.slice(FIRST_BATCH);
    this.more.hidden = this.pending.length === 0;
    this.renderChips(results);
    const count = results.results.length;
    const q = this.input.value.trim();
    this.setStatus(
      count === 0
        ? `No results${q ? ` for “${q.length > 80 ? `${q.slice(0, 80)}…` : q}”` : ''}.`
        : `${count} result${count === 1 ? '' : 's'}${hasFilters(this.state) ? ' with these filters' : ''}.${sortNote(this.state.sort)}${
            partial ? ' No document has every word; closest matches first.' : ''
          }`,
    );
    this.renderEmpty(results);
    const rest = this.pending.slice(0, PAGE_SIZE - FIRST_BATCH);
    if (rest.length === 0) return;
    await new Promise((done) => setTimeout(done, REST_DELAY));
    if (generation !== this.generation) return;
    const fragments = await Promise.all(rest.map((r) => r.data()));
    if (generation !== this.generation) return;
    this.list.append(...fragments.map((f) => this.resultItem(f)));
    this.pending = this.pending.slice(rest.length);
    this.more.hidden = this.pending.length === 0;
  }

  async renderMore(): Promise<void> {
    const next = this.pending.slice(0, PAGE_SIZE);
    this.pending = this.pending.slice(PAGE_SIZE);
    const fragments = await Promise.all(next.map((r) => r.data()));
    const items = fragments.map((f) => this.resultItem(f));
    this.list.append(...items);
    this.more.hidden = this.pending.length === 0;
    items[0]?.querySelector('a')?.focus();
  }

  label(key: FilterKey, value: string): string {
    return this.labels.values[key]?.[value] ?? value;
  }

  resultItem(fragment: PagefindFragment): HTMLLIElement {
    const kind = fragment.filters['kind']?.[0] ?? '';
    const severity = fragment.filters['severity']?.[0];
    const category = fragment.filters['category']?.[0];
    const date = fragment.meta['date'];
    const badges: Node[] = [el('span', { class: `badge badge-kind kind-${kind}` }, [this.label('kind', kind)])];
    if (severity) {
      const rank = this.labels.severityRank[severity];
      badges.push(
        el(
          'span',
          { class: `badge badge-severity${rank ? ` sev-${rank}` : ''}`, title: this.label('severity', severity) },
          [severity],
        ),
      );
    }
    if (category) badges.push(el('span', { class: 'badge badge-category' }, [this.label('category', category)]));
    if (date) {
      badges.push(
        el('time', { datetime: date, class: 'result-date' }, [kind === 'playbook' ? `reviewed ${date}` : date]),
      );
    }
    const title = fragment.meta['title'] ?? fragment.url;
    const id = fragment.meta['id'];
    return el('li', { class: 'result', ...(id ? { 'data-doc-id': id } : {}) }, [
      el('a', { class: 'result-title', href: fragment.url }, [title]),
      el('p', { class: 'result-meta' }, badges),
      el('p', { class: 'result-excerpt' }, excerptNodes(fragment.excerpt)),
    ]);
  }

  renderChips(results: PagefindSearchResults): void {
    if (!this.filtersOpen) {
      this.chips.hidden = true;
      return;
    }
    const groups: HTMLElement[] = [];
    for (const key of FILTER_KEYS) {
      const selected = this.state.filters[key] ?? [];
      const counts = results.filters[key] ?? {};
      const values = Object.entries(counts)
        .filter(([value, n]) => n > 0 || selected.includes(value))
        .sort(
          (a, b) =>
            Number(selected.includes(b[0])) - Number(selected.includes(a[0])) ||
            b[1] - a[1] ||
            a[0].localeCompare(b[0]),
        );
      for (const value of selected) if (!(value in counts)) values.unshift([value, 0]);
      // A filter with a single possible value narrows nothing.
      if (values.length < 2 && selected.length === 0) continue;
      const buttons = values.slice(0, Math.max(MAX_CHIPS, selected.length)).map(([value, n]) => {
        const pressed = selected.includes(value);
        const button = el(
          'button',
          { type: 'button', class: 'chip', 'aria-pressed': String(pressed), 'data-filter': key, 'data-value': value },
          [this.label(key, value), el('span', { class: 'chip-count' }, [` ${n}`])],
        );
        button.addEventListener('click', () => {
          this.state = toggleFilter({ ...this.state, q: this.input.value }, key, value);
          this.commit('push');
          void this.search().then(() => {
            this.chips
              .querySelector<HTMLButtonElement>(`button[data-filter="${key}"][data-value="${CSS.escape(value)}"]`)
              ?.focus();
          });
        });
        return button;
      });
      const labelId = `chips-${key}`;
      groups.push(
        el('div', { class: 'chip-group', role: 'group', 'aria-labelledby': labelId }, [
          el('span', { class: 'chip-group-label', id: labelId }, [FILTER_LABELS[key]]),
          ...buttons,
        ]),
      );
    }
    this.chips.replaceChildren(...groups);
    this.chips.hidden = groups.length === 0;
  }

  renderEmpty(results: PagefindSearchResults): void {
    this.empty.replaceChildren();
    this.empty.hidden = results.results.length > 0;
    if (results.results.length > 0) return;
    const tips: (Node | string)[][] = [];
    if (hasFilters(this.state) && results.unfilteredResultCount > 0) {
      const clear = el('button', { type: 'button', class: 'link-button' }, ['clear the filters']);
      clear.addEventListener('click', () => {
        this.state = { ...this.state, filters: {} };
        this.commit('push');
        void this.search();
      });
      tips.push([`${results.unfilteredResultCount} results match without the filters: `, clear, '.']);
    }
    tips.push([
      'Use fewer words: the distinctive part of the error (“too many clients”, “ECONNREFUSED”), not the whole line.',
    ]);
    tips.push(['Describe what you see: “checkout 500s after deploy”, “queue backlog growing”, “certificate expired”.']);
    tips.push([
      'Browse instead: ',
      el('a', { href: `${this.base}playbooks/` }, ['all playbooks']),
      ' or ',
      el('a', { href: `${this.base}postmortems/` }, ['all postmortems']),
      '.',
    ]);
    this.empty.append(
      el('p', {}, ['Try this:']),
      el(
        'ul',
        {},
        tips.map((tip) => el('li', {}, tip)),
      ),
    );
  }

  resultLinks(): HTMLAnchorElement[] {
    return [...this.list.querySelectorAll<HTMLAnchorElement>('a.result-title')];
  }

  /** Arrow keys move between results (Enter opens one, as links do); Escape returns to the box. */
  onResultKey(event: KeyboardEvent): void {
    const links = this.resultLinks();
    const index = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (index === -1) return;
    let target: HTMLElement | undefined;
    if (event.key === 'ArrowDown') target = links[index + 1];
    else if (event.key === 'ArrowUp') target = index === 0 ? this.input : links[index - 1];
    else if (event.key === 'Home') target = links[0];
    else if (event.key === 'End') target = links.at(-1);
    else if (event.key === 'Escape') target = this.input;
    if (!target) return;
    event.preventDefault();
    target.focus();
  }

  setStatus(text: string): void {
    this.status.textContent = text;
  }
}

function sortNote(sort: SortId): string {
  if (sort === 'severity') return ` ${SORTS.severity.label}: postmortems only.`;
  if (sort === 'newest' || sort === 'oldest')
    return ` ${SORTS[sort].label}: onboarding paths have no date and are left out.`;
  return '';
}

const root = document.querySelector<HTMLElement>('[data-search-page]');
if (root) new SearchPage(root).start();
