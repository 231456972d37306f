import { describe, expect, it } from 'vitest';
import { getT, i18n, loadLocaleFiles } from './index.js';

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
      expect({ ns, missingInEn: id.filter((k) => !en.includes(k)), missingInId: en.filter((k) => !id.includes(k)) }).toEqual({
        ns,
        missingInEn: [],
        missingInId: [],
      });
    }
  });

  it('when a page asks for a string, then it gets the language of the visitor', () => {
    expect(getT('id')('auth:login.title')).toBe('Masuk');
    expect(getT('en')('auth:login.title')).toBe('Sign in');
    expect(getT('id')('workshops:join.welcome', { name: 'Siti', workshop: 'X' })).toBe('Selamat datang, Siti! Anda sudah bergabung ke X.');
  });
});

describe('translations with values', () => {
  const resources = loadLocaleFiles();
  // Every string of the locale files that takes values, with the value names it uses.
  const withValues: { lang: 'id' | 'en'; key: string; names: string[] }[] = [];
  for (const lang of ['id', 'en'] as const) {
    for (const [ns, tree] of Object.entries(resources[lang])) {
      const walk = (value: unknown, path: string) => {
        if (typeof value === 'string') {
          const names = [...value.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((m) => m[1]!);
          if (names.length) withValues.push({ lang, key: `${ns}:${path.replace(/_(zero|one|two|few|many|other)$/, '')}`, names });
        } else if (typeof value === 'object' && value) for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
      };
      walk(tree, '');
    }
  }

  it('when a string takes values, then the page gets what i18next itself gives, for every string, plural form and odd value', () => {
    expect(withValues.length).toBeGreaterThan(20);
    for (const { lang, key, names } of withValues) {
      for (const count of [0, 1, 2, 78]) {
        for (const text of ['Siti', '$& <b>"\'', '\u0001count\u0002']) {
          const values = Object.fromEntries(names.map((name) => [name, name === 'count' ? count : text]));
          const expected = i18n.getFixedT(lang)(key, values);
          // twice: the first call fills the cache, the second reads it
          expect(getT(lang)(key, values), `${lang} ${key}`).toBe(expected);
          expect(getT(lang)(key, values), `${lang} ${key}`).toBe(expected);
        }
      }
    }
  });

  it('when English counts one or several, then the plural form follows the count', () => {
    expect(getT('en')('checkout:ordersPerShop', { count: 1 })).toBe('1 order will be placed.');
    expect(getT('en')('checkout:ordersPerShop', { count: 3 })).toBe('3 orders will be placed, one per shop.');
    expect(getT('en')('checkout:ordersPerShop', { count: 1 })).toBe('1 order will be placed.');
  });

  it('when a call gives a default value or a context, then i18next handles it: a missing key shows the default, never the key', () => {
    expect(getT('id')('payments:declines.no_such_code', { defaultValue: 'Kartu ditolak.' })).toBe('Kartu ditolak.');
    expect(getT('en')('payments:declines.no_such_code', { defaultValue: 'Card declined.' })).toBe('Card declined.');
    const known = getT('id')('payments:declines.generic_decline');
    expect(getT('id')('payments:declines.generic_decline', { defaultValue: 'x' })).toBe(known);
  });
});
