// Dates are stored in UTC and shown in the configured time zone (Asia/Makassar by default).

const localeTag = { id: 'id-ID', en: 'en-GB' } as const;
export type Lang = keyof typeof localeTag;

// Building an Intl.DateTimeFormat costs far more than formatting with one: keep one per use.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, options: Intl.DateTimeFormatOptions & { timeZone: string }): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) formatters.set(key, (format = new Intl.DateTimeFormat(locale, options)));
  return format;
}

export function formatDate(date: Date, lang: Lang, timeZone: string): string {
  return formatter(localeTag[lang], { timeZone, day: 'numeric', month: 'long', year: 'numeric' }).format(date);
}

export function formatDateTime(date: Date, lang: Lang, timeZone: string): string {
  const text = formatter(localeTag[lang], {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(date);
  return `${text} ${timeZoneLabel(timeZone)}`.trim();
}

/** The short name Indonesians use for their three zones; other zones get their IANA name. */
export function timeZoneLabel(timeZone: string): string {
  const names: Record<string, string> = { 'Asia/Jakarta': 'WIB', 'Asia/Pontianak': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' };
  return names[timeZone] ?? timeZone;
}

/** "2026-11-27" in the given zone: the value of an <input type="date">. */
export function toDateInputValue(date: Date, timeZone: string): string {
  return formatter('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

/** Midnight of a "YYYY-MM-DD" day in the given zone, as a UTC Date. */
export function fromDateInputValue(value: string, timeZone: string): Date {
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const utcGuess = Date.UTC(y, m - 1, d);
  const offsetMinutes = zoneOffsetMinutes(new Date(utcGuess), timeZone);
  return new Date(utcGuess - offsetMinutes * 60_000);
}

function zoneOffsetMinutes(date: Date, timeZone: string): number {
  const parts = formatter('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - date.getTime()) / 60_000);
}

/** "09:30" in the given zone: the value of an <input type="time">. */
export function toTimeInputValue(date: Date, timeZone: string): string {
  return formatter('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
}

/** A "YYYY-MM-DD" day at an "HH:MM" time in the given zone, as a UTC Date. */
export function fromLocalDateTime(day: string, time: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const utcGuess = Date.UTC(y, m - 1, d, hh, mm);
  const offsetMinutes = zoneOffsetMinutes(new Date(utcGuess), timeZone);
  return new Date(utcGuess - offsetMinutes * 60_000);
}

/** The "YYYY-MM-DD" day `days` after the given one. */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** "09.00" (id) or "09:00" (en): a time of day, for agendas. */
export function formatTime(date: Date, lang: Lang, timeZone: string): string {
  return formatter(localeTag[lang], { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
}

/** "2026-12-02 06:45:52": the wall-clock time in the zone, as spreadsheets read a date and time. */
export function toLocalDateTimeText(date: Date, timeZone: string): string {
  const parts = formatter('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

/**
 * A Date whose UTC fields read the wall-clock time of the zone: spreadsheet cells have no zone,
 * so a time written this way shows 06.45 for an answer given at 06.45 WITA.
 */
export function toWallClock(date: Date, timeZone: string): Date {
  return new Date(date.getTime() + zoneOffsetMinutes(date, timeZone) * 60_000);
}

/**
 * A date and time as people and spreadsheets write them: "2026-12-02 06:45[:52]" or
 * "2/12/2026 06.45" (day first, as in Indonesia) in the given zone, or ISO 8601 with Z or an
 * offset. Null when it is none of these or not a real date.
 */
export function parseDateTime(text: string, timeZone: string): Date | null {
  const value = text.trim();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$/.exec(value);
  const dayFirst = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:,?\s+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$/.exec(value);
  const fields = iso
    ? { y: iso[1], m: iso[2], d: iso[3], h: iso[4], min: iso[5], s: iso[6] }
    : dayFirst
      ? { y: dayFirst[3], m: dayFirst[2], d: dayFirst[1], h: dayFirst[4], min: dayFirst[5], s: dayFirst[6] }
      : null;
  if (!fields) return null;
  const [y, m, d, h, min, s] = [fields.y, fields.m, fields.d, fields.h ?? '0', fields.min ?? '0', fields.s ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const asUtc = Date.UTC(y, m - 1, d, h, min, s);
  const check = new Date(asUtc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d || h > 23 || min > 59 || s > 59)
    return null;
  // The offset at the guessed instant; Indonesia has no daylight saving, and other zones are off by
  // an hour at most around a change.
  return new Date(asUtc - zoneOffsetMinutes(new Date(asUtc), timeZone) * 60_000);
}
