// Every user-facing string lives in src/i18n/locales/<lang>/<namespace>.json; each file is an
// i18next namespace (t('shops:title')). Bahasa Indonesia is the default and the fallback.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type Resource, type TFunction } from 'i18next';

export const languages = ['id', 'en'] as const;
export type Lang = (typeof languages)[number];

export const localesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'locales');

export function loadLocaleFiles(dir = localesDir): Record<Lang, Record<string, Record<string, unknown>>> {
  const resources = {} as Record<Lang, Record<string, Record<string, unknown>>>;
  for (const lang of languages) {
    resources[lang] = {};
    const langDir = path.join(dir, lang);
    for (const file of fs.readdirSync(langDir).filter((f) => f.endsWith('.json'))) {
      resources[lang][path.basename(file, '.json')] = JSON.parse(fs.readFileSync(path.join(langDir, file), 'utf8'));
    }
  }
  return resources;
}

const resources = loadLocaleFiles();
const i18n = i18next.createInstance();
await i18n.init({
  resources: resources as Resource,
  lng: 'id',
  fallbackLng: 'id',
  supportedLngs: [...languages],
  ns: Object.keys(resources.id),
  defaultNS: 'common',
  interpolation: { escapeValue: false }, // EJS escapes on output
  returnNull: false,
  initAsync: false,
  showSupportNotice: false,
});

export type T = TFunction;

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

// A page asks for dozens of strings (a catalogue of 24 cards, hundreds); i18next resolves each
// through namespaces and fallbacks. Strings without options never change at run time, so each
// language keeps them once resolved.
function memoized(lang: Lang): T {
  const t = i18n.getFixedT(lang);
  const cache = new Map<string, string>();
  const fast = ((key: string | string[], ...rest: unknown[]) => {
    if (rest.length || typeof key !== 'string') return (t as unknown as (...args: unknown[]) => string)(key, ...rest);
    let text = cache.get(key);
    if (text === undefined) {
      text = t(key);
      cache.set(key, text);
    }
    return text;
  }) as unknown as T;
  return fast;
}

const translators = Object.fromEntries(languages.map((lang) => [lang, memoized(lang)])) as Record<Lang, T>;

export function getT(lang: Lang): T {
  return translators[lang];
}
