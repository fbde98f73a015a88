/**
 * Dates and times as people write them in timelines: `2024-03-02 14:05 UTC`, `14:05`,
 * `2:05 PM ET`, `Mar 3, 10:02pm PST`, `03/02/2024 14:05`, `1405Z`. Parsing is chrono-node's
 * (strict mode: no "yesterday", no "in 5 minutes"); this module adds what a timeline needs on top:
 * a date carried over from context when only a clock time is written, a zone declared once for the
 * whole timeline, and an honest record of what was assumed.
 */
import * as chrono from 'chrono-node';

/** A calendar date. */
export interface Day {
  year: number;
  month: number;
  day: number;
}

/** Where a timestamp's offset came from. */
export type ZoneSource = 'written' | 'declared' | 'carried' | 'assumed-utc';

/** A wall-clock time with its offset, as found in the text. */
export interface Stamp {
  day: Day;
  hour: number;
  minute: number;
  second: number;
  /** Offset from UTC in minutes (e.g. -480 for PST). */
  offset: number;
  zone: ZoneSource;
  /** The zone as written next to the time (`PST`, `+01:00`), when it was. */
  zoneName?: string;
  /** The day was not written next to the time; it came from context. */
  dayFromContext: boolean;
  /** The day was written without a year and nothing else gave one: the latest such day up to today. */
  yearGuessed: boolean;
  /** Written as `NN/NN/YYYY` with both numbers ≤ 12: read month first (US), could be day first. */
  ambiguousDayMonth: boolean;
  /** The matched text, e.g. `Mar 3, 10:02pm PST`. */
  text: string;
  /** Where the match starts and ends in the searched string. */
  index: number;
  end: number;
}

/** A date written on its own (a day heading such as `**2024-03-02**`), with where it was found. */
export interface DateMark {
  day: Day;
  index: number;
  end: number;
}

/**
 * What chrono does not read, or reads the American way: `14:05Z`, `1405Z`, and dotted dates,
 * which are day first wherever they are written (`02.03.2024` is 2 March), made ISO.
 */
function normalizeZulu(text: string): string {
  return text
    .replace(/\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b/g, (whole, d: string, m: string, y: string) =>
      Number(m) >= 1 && Number(m) <= 12 && Number(d) >= 1 && Number(d) <= 31
        ? `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`
        : whole,
    )
    .replace(/\b(\d{1,2}:\d{2}(?::\d{2})?)\s?Z\b/g, '$1 UTC')
    .replace(/\b([01]\d|2[0-3])([0-5]\d)\s?Z\b/g, '$1:$2 UTC');
}

/** Relative phrases chrono accepts even in strict mode ("10 minutes later"): never a timeline stamp. */
const RELATIVE =
  /\b(?:ago|later|earlier|after|before|from now|in \d+|minutes?|mins?|hours?|hrs?|seconds?|secs?|days?|weeks?|tomorrow|yesterday|today|tonight|now)\b/i;
/** A clock time as written: `14:05`, `2:05 pm`, `2pm`. */
const CLOCK = /\d{1,2}:\d{2}|\d{1,2}\s*[ap]\.?m\b/i;
/** The zone at the end of a matched timestamp: `PST`, `UTC`, `GMT+1`, `+01:00`. */
const ZONE_SUFFIX = /(?:^|\s)((?:UTC|GMT)?[+-]\d{1,2}(?::?\d{2})?|[A-Z]{1,5})$/;
const NUMERIC_DATE = /\b(\d{1,2})\/(\d{1,2})\/(\d{2,4})\b/;

export function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

export function formatDay(day: Day): string {
  return `${pad(day.year, 4)}-${pad(day.month)}-${pad(day.day)}`;
}

export function formatOffset(offset: number): string {
  if (offset === 0) return 'Z';
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** ISO 8601 with the offset as written, e.g. `2024-03-02T14:05:00-08:00`. */
export function formatStamp(stamp: Stamp): string {
  return `${formatDay(stamp.day)}T${pad(stamp.hour)}:${pad(stamp.minute)}:${pad(stamp.second)}${formatOffset(stamp.offset)}`;
}

/** Milliseconds since the epoch, for ordering. */
export function epoch(stamp: Pick<Stamp, 'day' | 'hour' | 'minute' | 'second' | 'offset'>): number {
  const { day } = stamp;
  return Date.UTC(day.year, day.month - 1, day.day, stamp.hour, stamp.minute, stamp.second) - stamp.offset * 60_000;
}

/** Minutes since midnight on the wall clock. */
export function wallMinutes(stamp: Pick<Stamp, 'hour' | 'minute'>): number {
  return stamp.hour * 60 + stamp.minute;
}

export function addDays(day: Day, days: number): Day {
  const date = new Date(Date.UTC(day.year, day.month - 1, day.day + days));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function dayOf(date: Date): Day {
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

function reference(day: Day | undefined, now: Date): chrono.ParsingReference {
  const instant = day ? new Date(Date.UTC(day.year, day.month - 1, day.day, 12)) : now;
  return { instant, timezone: 'UTC' };
}

/**
 * The offset of a zone name (`UTC`, `PT`, `CEST`, `GMT+1`, `+05:30`) on a given day, or
 * `undefined` when chrono does not know the name. Zones with daylight saving (`ET`, `PT`) get the
 * offset in force at noon on that day.
 */
export function zoneOffset(zone: string, day: Day): number | undefined {
  const text = `${formatDay(day)} 12:00 ${zone}`;
  const [result] = chrono.strict.parse(text, reference(day, new Date()));
  if (result?.text !== text || !result.start.isCertain('timezoneOffset')) return undefined;
  return result.start.get('timezoneOffset') ?? undefined;
}

export interface FindOptions {
  /** The day to use when only a clock time is written. */
  day?: Day;
  /** A zone declared for the whole timeline (`all times PT`), used when a time has none. */
  zone?: string;
  /** The zone written on an earlier entry of the same timeline, used when neither the time nor the timeline has one. */
  carriedZone?: string;
  /** Only accept a match starting within this many characters of the start. Default: anywhere. */
  maxIndex?: number;
  /** "Today", for times with neither a written nor a contextual day. */
  now: Date;
}

/**
 * Find the first timestamp (a clock time, with or without a date) in `text`. Date-only matches
 * are skipped (see `findDate`), and so are relative phrases.
 */
export function findStamp(text: string, options: FindOptions): Stamp | undefined {
  const normalized = normalizeZulu(text);
  for (const result of chrono.strict.parse(normalized, reference(options.day, options.now))) {
    if (options.maxIndex !== undefined && result.index > options.maxIndex) return undefined;
    const start = result.start;
    if (!start.isCertain('hour') || !CLOCK.test(result.text) || RELATIVE.test(result.text)) continue;
    const dayWritten = start.isCertain('day');
    const contextDay = options.day ?? dayOf(options.now);
    let day: Day = dayWritten
      ? { year: start.get('year') ?? contextDay.year, month: start.get('month') ?? 1, day: start.get('day') ?? 1 }
      : contextDay;
    // A day without a year and nothing to place it: the latest such day not after today.
    const yearGuessed = dayWritten && !start.isCertain('year') && options.day === undefined;
    if (yearGuessed && formatDay(day) > formatDay(dayOf(options.now))) day = { ...day, year: day.year - 1 };
    let offset = 0;
    let zone: ZoneSource = 'assumed-utc';
    let zoneName: string | undefined;
    if (start.isCertain('timezoneOffset')) {
      offset = start.get('timezoneOffset') ?? 0;
      zone = 'written';
      zoneName = ZONE_SUFFIX.exec(result.text)?.[1];
    } else {
      const declared = options.zone === undefined ? undefined : zoneOffset(options.zone, day);
      const carried = options.carriedZone === undefined ? undefined : zoneOffset(options.carriedZone, day);
      if (declared !== undefined) {
        offset = declared;
        zone = 'declared';
      } else if (carried !== undefined) {
        offset = carried;
        zone = 'carried';
        zoneName = options.carriedZone;
      }
    }
    const numeric = NUMERIC_DATE.exec(result.text);
    const ambiguousDayMonth =
      numeric !== null && Number(numeric[1]) <= 12 && Number(numeric[2]) <= 12 && numeric[1] !== numeric[2];
    return {
      day,
      hour: start.get('hour') ?? 0,
      minute: start.get('minute') ?? 0,
      second: start.get('second') ?? 0,
      offset,
      zone,
      ...(zoneName !== undefined ? { zoneName } : {}),
      dayFromContext: !dayWritten,
      yearGuessed,
      ambiguousDayMonth,
      text: result.text,
      index: result.index,
      end: result.index + result.text.length,
    };
  }
  return undefined;
}

/** Find the first full calendar date (with a year) in `text`: `2024-03-02`, `March 2, 2024`, `2 Mar 2024`. */
export function findDate(text: string, now: Date, maxIndex?: number): DateMark | undefined {
  for (const result of chrono.strict.parse(normalizeZulu(text), reference(undefined, now))) {
    if (maxIndex !== undefined && result.index > maxIndex) return undefined;
    const start = result.start;
    if (!start.isCertain('day') || !start.isCertain('month') || RELATIVE.test(result.text)) continue;
    if (!start.isCertain('year') && !/\b\d{4}\b/.test(result.text)) continue;
    return {
      day: { year: start.get('year') ?? 0, month: start.get('month') ?? 1, day: start.get('day') ?? 1 },
      index: result.index,
      end: result.index + result.text.length,
    };
  }
  return undefined;
}

/**
 * A day written without a year (`Mar 3`, `Tuesday 3 March`) at the start of `text`, placed in the
 * year of `context` (or of `now`).
 */
export function findDayWithoutYear(
  text: string,
  context: Day | undefined,
  now: Date,
  maxIndex = 3,
): DateMark | undefined {
  const [result] = chrono.strict.parse(text, reference(context, now));
  if (!result || result.index > maxIndex) return undefined;
  const start = result.start;
  if (!start.isCertain('day') || !start.isCertain('month') || start.isCertain('hour') || RELATIVE.test(result.text)) {
    return undefined;
  }
  let day: Day = {
    year: start.get('year') ?? context?.year ?? now.getUTCFullYear(),
    month: start.get('month') ?? 1,
    day: start.get('day') ?? 1,
  };
  if (!context && !start.isCertain('year') && formatDay(day) > formatDay(dayOf(now)))
    day = { ...day, year: day.year - 1 };
  return { day, index: result.index, end: result.index + result.text.length };
}

/** Parse a due date as written in an action item: `2024-04-01`, `April 1`, `Apr 1 2024`, `4/1/2024`. */
export function parseDueDate(text: string, context: Day | undefined, now: Date): Day | undefined {
  const [result] = chrono.strict.parse(text, reference(context, now), { forwardDate: true });
  if (!result || RELATIVE.test(result.text)) return undefined;
  const start = result.start;
  if (!start.isCertain('day') || !start.isCertain('month')) return undefined;
  return {
    year: start.get('year') ?? context?.year ?? now.getUTCFullYear(),
    month: start.get('month') ?? 1,
    day: start.get('day') ?? 1,
  };
}
