import { describe, expect, it } from 'vitest';
import { answersFromBody, checkAnswers } from './answers.js';
import type { QuestionDef } from './questionnaires.service.js';
import { YES_NO_OPTIONS } from './questionnaires.service.js';

const opts = (...values: string[]) => values.map((value) => ({ value, id: value, en: value }));
const q = (
  key: string,
  type: QuestionDef['type'],
  required = true,
  options = opts(),
): Pick<QuestionDef, 'key' | 'type' | 'required' | 'options'> => ({ key, type, required, options });

const questions = [
  q('gender', 'single', true, opts('female', 'male')),
  q('channels', 'multiple', false, opts('wa', 'ig', 'fb')),
  q('used_internet', 'yesno', true, YES_NO_OPTIONS),
  q('rating', 'scale', true, opts('4', '3', '2', '1')),
  q('name_of_shop', 'short_text', false),
  q('suggestions', 'long_text', false),
];
const valid = { gender: 'female', used_internet: 'yes', rating: '4' };

describe('checkAnswers', () => {
  it.each([
    ['all required answered, optional left blank', valid, {}],
    ['several checkboxes', { ...valid, channels: ['wa', 'fb'] }, {}],
    ['a required choice missing', { ...valid, gender: undefined }, { gender: 'questionnaires:validation.chooseOne' }],
    ['a value that is not an option', { ...valid, rating: '5' }, { rating: 'questionnaires:validation.notAnOption' }],
    ['two values for a single choice', { ...valid, gender: ['female', 'male'] }, { gender: 'questionnaires:validation.onlyOne' }],
    [
      'yes/no answered with something else',
      { ...valid, used_internet: 'maybe' },
      { used_internet: 'questionnaires:validation.notAnOption' },
    ],
    ['an unknown checkbox value', { ...valid, channels: ['wa', 'tiktok'] }, { channels: 'questionnaires:validation.notAnOption' }],
    [
      'a short text of 201 characters',
      { ...valid, name_of_shop: 'x'.repeat(201) },
      { name_of_shop: 'questionnaires:validation.textTooLong' },
    ],
    ['a long text of 2000 characters', { ...valid, suggestions: 'x'.repeat(2000) }, {}],
    ['a required choice given as blank spaces', { ...valid, rating: '   ' }, { rating: 'questionnaires:validation.chooseOne' }],
  ])('when %s, then the errors are as expected', (_name, input, errors) => {
    const result = checkAnswers(questions, input);
    expect(result.ok ? {} : result.errors).toEqual(errors);
  });

  it('when answers are clean, then each key has its values, a repeated checkbox once, texts trimmed', () => {
    const result = checkAnswers(questions, { ...valid, channels: ['ig', 'ig', 'wa'], suggestions: '  Lebih lama  ', name_of_shop: '' });
    expect(result).toEqual({
      ok: true,
      answers: {
        gender: ['female'],
        channels: ['ig', 'wa'],
        used_internet: ['yes'],
        rating: ['4'],
        name_of_shop: [],
        suggestions: ['Lebih lama'],
      },
    });
  });

  it('when a body has other fields, then only q_ fields become answers', () => {
    expect(answersFromBody({ _csrf: 'x', q_gender: 'female', q_channels: ['wa'] })).toEqual({ gender: 'female', channels: ['wa'] });
  });
});
