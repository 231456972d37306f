// The questionnaire templates shipped with the app (product data, from ../shared/questionnaires).
// They are validated when first read: a broken template stops the app loudly, not a workshop.
import fs from 'node:fs';
import path from 'node:path';
import { sourcePath } from '../../paths.js';
import { templateSchema, type Template } from './questionnaires.schemas.js';

const templatesDir = sourcePath('features', 'questionnaires', 'templates');

export const templateKeys = ['pre-training', 'post-training'] as const;
export type TemplateKey = (typeof templateKeys)[number];

export function parseTemplate(json: unknown): Template {
  return templateSchema.parse(json);
}

let cache: Map<string, Template> | undefined;

export function loadTemplates(): Map<string, Template> {
  if (!cache) {
    cache = new Map();
    for (const key of templateKeys) {
      const template = parseTemplate(JSON.parse(fs.readFileSync(path.join(templatesDir, `${key}.json`), 'utf8')));
      if (template.key !== key) throw new Error(`Template ${key}.json has key ${template.key}`);
      cache.set(key, template);
    }
  }
  return cache;
}

export function getTemplate(key: string): Template | undefined {
  return loadTemplates().get(key);
}
