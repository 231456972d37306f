import { describe, expect, it } from 'vitest';
import { getT, loadLocaleFiles } from './index.js';

// Plural forms differ by language (English has _one and _other, Indonesian only _other), so
// keys are compared without their plural suffix.
function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix.replace(/_(zero|one|two|few|many|other)$/, '')];
  return [...new Set(Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k)))];
}

describe('locale files', () => {
  const resources = loadLocaleFiles();

  it('when a string exists in Bahasa Indonesia, then it exists in English too, and the other way round', () => {
    expect(Object.keys(resources.en).sort()).toEqual(Object.keys(resources.id).sort());
    for (const ns of Object.keys(resources.id)) {
      const id = keys(resources.id[ns]).sort();
      const en = keys(resources.en[ns]).sort();
      expect({ ns, missingInEn: id.filter((k) => !en.includes(k)), missingInId: en.filter((k) => !id.includes(k)) }).toEqual({ ns, missingInEn: [], missingInId: [] });
    }
  });

  it('when a page asks for a string, then it gets the language of the visitor', () => {
    expect(getT('id')('auth:login.title')).toBe('Masuk');
    expect(getT('en')('auth:login.title')).toBe('Sign in');
    expect(getT('id')('workshops:join.welcome', { name: 'Siti', workshop: 'X' })).toBe('Selamat datang, Siti! Anda sudah bergabung ke X.');
  });
});
