import { describe, expect, it } from 'vitest';
import { loadTemplates, parseTemplate } from './templates.js';

describe('questionnaire templates', () => {
  it('when the shipped templates are loaded, then both validate with 11 and 15 questions', () => {
    const templates = loadTemplates();
    expect(templates.get('pre-training')?.questions).toHaveLength(11);
    expect(templates.get('post-training')?.questions).toHaveLength(15);
    expect(templates.get('post-training')?.questions.find((q) => q.key === 'suggestions')?.required).toBe(false);
  });

  const base = {
    key: 'x',
    kind: 'other',
    title: { id: 'Judul', en: 'Title' },
    intro: { id: 'Intro', en: 'Intro' },
  };
  const q = (extra: object) => ({ key: 'q1', type: 'single', text: { id: 'Tanya', en: 'Ask' }, ...extra });

  it.each([
    ['a single choice with one option', [q({ options: [{ value: 'a', id: 'A', en: 'A' }] })]],
    [
      'duplicate option values',
      [
        q({
          options: [
            { value: 'a', id: 'A', en: 'A' },
            { value: 'a', id: 'B', en: 'B' },
          ],
        }),
      ],
    ],
    ['options on a text question', [q({ type: 'short_text', options: [{ value: 'a', id: 'A', en: 'A' }] })]],
    ['an unknown type', [q({ type: 'slider' })]],
    ['a key with spaces', [q({ key: 'my key', type: 'yesno' })]],
    ['two questions with one key', [q({ type: 'yesno' }), q({ type: 'long_text' })]],
    [
      'an option value with a pipe',
      [
        q({
          options: [
            { value: 'a|b', id: 'A', en: 'A' },
            { value: 'c', id: 'C', en: 'C' },
          ],
        }),
      ],
    ],
    ['no questions', []],
  ])('when a template has %s, then it is refused', (_name, questions) => {
    expect(() => parseTemplate({ ...base, questions })).toThrow();
  });

  it('when a template leaves out group and required, then they default to "" and true', () => {
    const template = parseTemplate({ ...base, questions: [q({ type: 'yesno' })] });
    expect(template.questions[0]).toMatchObject({ group: '', required: true, options: [] });
  });
});
