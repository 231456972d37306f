// Every user-facing string lives in src/i18n/locales/<lang>/<namespace>.json; each file is an
// i18next namespace (t('shops:title')). Bahasa Indonesia is the default and the fallback.
import fs from 'node:fs';
import path from 'node:path';
import i18next, { type Resource, type TFunction } from 'i18next';
import { sourcePath } from '../paths.js';

export const languages = ['id', 'en'] as const;
export type Lang = (typeof languages)[number];

export const localesDir = sourcePath('i18n', 'locales');

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
export const i18n = i18next.createInstance();
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
// through namespaces, fallbacks and option merging, tens of microseconds a call. What a call
// returns depends only on the key, the language and, for `count`, its plural form, so each
// language keeps the resolved string once: plain strings as they are, strings with values as a
// template whose {{placeholders}} are filled per call. Calls with other options (defaultValue,
// context...) or non-text values go to i18next every time.
// eslint-disable-next-line no-control-regex -- \u0001/\u0002 mark the slots: characters no translation contains
const SLOT = /\u0001([A-Za-z0-9_]+)\u0002/g;
// Names i18next reads as options of the call, not as values for the string.
const callOptions = new Set([
  'context',
  'ordinal',
  'lng',
  'lngs',
  'ns',
  'keyPrefix',
  'replace',
  'returnObjects',
  'returnDetails',
  'joinArrays',
  'postProcess',
  'interpolation',
  'skipInterpolation',
  'nsSeparator',
  'keySeparator',
  'fallbackLng',
]);
const isCallOption = (name: string): boolean =>
  name !== 'count' && (callOptions.has(name) || name.startsWith('defaultValue') || name in i18n.options);

function memoized(lang: Lang): T {
  const t = i18n.getFixedT(lang) as unknown as (key: string | string[], options?: object) => string;
  const plurals = new Intl.PluralRules(lang);
  const cache = new Map<string, string>();
  // A plain function rather than rest arguments: it runs a few hundred times per page.
  const fast = function (key: string | string[], values?: Record<string, unknown>) {
    // eslint-disable-next-line prefer-rest-params -- see above: no rest array on the hot path
    if (typeof key !== 'string' || arguments.length > 2) return (t as (...args: unknown[]) => string)(...arguments);
    if (values === undefined) {
      let text = cache.get(key);
      if (text === undefined) cache.set(key, (text = t(key)));
      return text;
    }
    if (typeof values !== 'object' || values === null) return (t as (...args: unknown[]) => string)(key, values);
    let cacheKey = key;
    const slots: Record<string, string> = {};
    for (const name in values) {
      const value = values[name];
      if ((typeof value !== 'string' && typeof value !== 'number') || !/^[A-Za-z0-9_]+$/.test(name) || isCallOption(name)) {
        return t(key, values);
      }
      slots[name] = `\u0001${name}\u0002`;
      cacheKey += `|${name}`;
    }
    const count = values.count;
    if (count !== undefined) {
      if (typeof count !== 'number') return t(key, values);
      cacheKey += `|${plurals.select(count)}${count === 0 ? '0' : ''}`;
    }
    let template = cache.get(cacheKey);
    if (template === undefined) {
      template = t(key, { ...(count !== undefined ? { count } : {}), replace: slots });
      cache.set(cacheKey, template);
    }
    return template.replace(SLOT, (slot, name: string) => (name in values ? String(values[name]) : slot));
  } as unknown as T;
  return fast;
}

const translators = Object.fromEntries(languages.map((lang) => [lang, memoized(lang)])) as Record<Lang, T>;

export function getT(lang: Lang): T {
  return translators[lang];
}
