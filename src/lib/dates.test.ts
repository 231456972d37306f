import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, fromDateInputValue, toDateInputValue } from './dates.js';

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
});
