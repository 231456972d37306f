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
