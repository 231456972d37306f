import { describe, expect, it } from 'vitest';
import { addDays, formatDate, formatDateTime, fromDateInputValue, fromLocalDateTime, toDateInputValue, toTimeInputValue } from './dates.js';

describe('dates', () => {
  const noonUtc = new Date('2026-11-27T16:30:00Z'); // 00:30 next day in Makassar (UTC+8)

  it('when a UTC time is shown in Asia/Makassar, then it is the local day and hour with WITA', () => {
    expect(formatDate(noonUtc, 'id', 'Asia/Makassar')).toBe('28 November 2026');
    expect(formatDateTime(noonUtc, 'id', 'Asia/Makassar')).toMatch(/28 Nov 2026.*00[.:]30 WITA$/);
    expect(formatDate(noonUtc, 'en', 'Asia/Jakarta')).toBe('27 November 2026');
    expect(formatDateTime(noonUtc, 'en', 'Asia/Jakarta')).toMatch(/23:30 WIB$/);
  });

  it('when a date input is read in a zone, then it is that midnight and reads back the same', () => {
    const midnight = fromDateInputValue('2026-12-01', 'Asia/Makassar');
    expect(midnight.toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(toDateInputValue(midnight, 'Asia/Makassar')).toBe('2026-12-01');
    expect(fromDateInputValue('2026-12-01', 'UTC').toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });

  it('when a day and a time are read in a zone, then they are that moment and read back the same', () => {
    const start = fromLocalDateTime('2026-12-01', '09:30', 'Asia/Makassar');
    expect(start.toISOString()).toBe('2026-12-01T01:30:00.000Z');
    expect(toDateInputValue(start, 'Asia/Makassar')).toBe('2026-12-01');
    expect(toTimeInputValue(start, 'Asia/Makassar')).toBe('09:30');
    expect(toTimeInputValue(fromLocalDateTime('2026-12-01', '00:05', 'Asia/Jakarta'), 'Asia/Jakarta')).toBe('00:05');
  });

  it('when days are added to a day, then months and years roll over', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-12-10', 0)).toBe('2026-12-10');
  });
});
