// The questionnaire templates shipped with the app (product data, from ../shared/questionnaires),
// and the short knowledge test an organizer may add to a pre- or post-training form. They are
// validated when first read: a broken template stops the app loudly, not a workshop.
import fs from 'node:fs';
import path from 'node:path';
import { sourcePath } from '../../paths.js';
import { questionSetSchema, templateSchema, type QuestionSet, type Template } from './questionnaires.schemas.js';

const templatesDir = sourcePath('features', 'questionnaires', 'templates');

export const templateKeys = ['pre-training', 'post-training', 'follow-up'] as const;
export type TemplateKey = (typeof templateKeys)[number];

export function parseTemplate(json: unknown): Template {
  return templateSchema.parse(json);
}

const readJson = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(templatesDir, `${name}.json`), 'utf8'));

let cache: Map<string, Template> | undefined;

export function loadTemplates(): Map<string, Template> {
  if (!cache) {
    cache = new Map();
    for (const key of templateKeys) {
      const template = parseTemplate(readJson(key));
      if (template.key !== key) throw new Error(`Template ${key}.json has key ${template.key}`);
      cache.set(key, template);
    }
  }
  return cache;
}

export function getTemplate(key: string): Template | undefined {
  return loadTemplates().get(key);
}

let knowledgeTest: QuestionSet | undefined;

/** Eight quiz questions, two per module, asked the same before and after (their keys pair them). */
export function getKnowledgeTest(): QuestionSet {
  knowledgeTest ??= questionSetSchema.parse(readJson('knowledge-test'));
  return knowledgeTest;
}
