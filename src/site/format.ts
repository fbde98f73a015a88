/**
 * Formatting for pages: site URLs under the base, dates in UTC, durations via date-fns.
 * Everything shown to readers about time is UTC and says so: incidents span time zones.
 */
import { intervalToDuration, type Duration } from 'date-fns';
import { docUrl, type LinkTarget } from '../kb/links.ts';

/** The site base with a trailing slash, e.g. `/kb/`. */
export const BASE = import.meta.env.BASE_URL.endsWith('/') ? import.meta.env.BASE_URL : `${import.meta.env.BASE_URL}/`;

/** A site URL for a path relative to the base: `href('postmortems/')` → `/kb/postmortems/`. */
export function href(path = ''): string {
  return `${BASE}${path.replace(/^\//, '')}`;
}

/** Page URLs of loaded documents, which are never changed (a postmortem is linked from many pages). */
const hrefOf = new WeakMap<LinkTarget, string>();

/** The page URL of a document. */
export function docHref(target: LinkTarget): string {
  let url = hrefOf.get(target);
  if (url === undefined) {
    url = docUrl(target, BASE);
    hrefOf.set(target, url);
  }
  return url;
}

/** A URL path segment for a taxonomy value or tag. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});
const timeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

const countFormat = new Intl.NumberFormat('en-GB');

/** `12,400`: a count, grouped in thousands. */
export function formatCount(value: number): string {
  return countFormat.format(value);
}

/** `fn` remembering its result per string argument: each incident's dates appear on many pages. */
function memoByString(fn: (value: string) => string): (value: string) => string {
  const seen = new Map<string, string>();
  return (value) => {
    let result = seen.get(value);
    if (result === undefined) {
      result = fn(value);
      seen.set(value, result);
    }
    return result;
  };
}

/** `4 Mar 2026` (UTC) from an ISO timestamp or a `YYYY-MM-DD` date. */
export const formatDate = memoByString((iso) =>
  dateFormat.format(new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso)),
);

/** `4 Mar 2026, 09:02 UTC`. */
export const formatTimestamp = memoByString((iso) => {
  const date = new Date(iso);
  return `${dateFormat.format(date)}, ${timeFormat.format(date)} UTC`;
});

/** `09:02` (UTC). */
export function formatTime(iso: string): string {
  return timeFormat.format(new Date(iso));
}

const UNITS: [keyof Duration, string][] = [
  ['years', 'y'],
  ['months', 'mo'],
  ['days', 'd'],
  ['hours', 'h'],
  ['minutes', 'min'],
];

/** Durations already formatted: a build formats a few hundred distinct values tens of thousands of times. */
const formattedMinutes = new Map<number, string>();

/** A compact duration: `42 min`, `1 h 23 min`, `2 d 6 h`. At most the two largest units. */
export function formatMinutes(minutes: number | undefined): string {
  if (minutes === undefined || !Number.isFinite(minutes)) return '—';
  if (minutes < 1) return '< 1 min';
  const rounded = Math.round(minutes);
  let text = formattedMinutes.get(rounded);
  if (text === undefined) {
    const duration = intervalToDuration({ start: 0, end: rounded * 60_000 });
    const parts = UNITS.filter(([unit]) => (duration[unit] ?? 0) > 0).map(
      ([unit, label]) => `${duration[unit]} ${label}`,
    );
    text = parts.slice(0, 2).join(' ');
    formattedMinutes.set(rounded, text);
  }
  return text;
}

/** `1 document`, `3 documents`. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** `once`, `twice`, `3 times`. */
export function times(count: number): string {
  return count === 1 ? 'once' : count === 2 ? 'twice' : `${count} times`;
}
