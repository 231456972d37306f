// Checking a set of answers against a form: pure, shared by the trainee's page, the anonymous
// link, paper entry and the CSV import. Input is keyed by question key; each value is what a
// browser sends (one string, several strings for checkboxes, or nothing).
import type { FieldErrors } from '../../errors.js';
import { stripInvisibleControls } from '../../lib/text.js';
import { MAX_LONG_TEXT, MAX_SHORT_TEXT } from './questionnaires.schemas.js';
import type { QuestionDef } from './questionnaires.service.js';

export type RawAnswers = Record<string, unknown>;
/** Question key → the values to store (one Answer row each); a blank optional question is []. */
export type CleanAnswers = Record<string, string[]>;

export type AnswerCheck = { ok: true; answers: CleanAnswers } | { ok: false; errors: FieldErrors; answers: CleanAnswers };

function asStrings(value: unknown): string[] {
  if (value == null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list
    .filter((v): v is string => typeof v === 'string')
    .map((v) => stripInvisibleControls(v).trim())
    .filter(Boolean);
}

/** Errors are locale keys keyed by question key. */
export function checkAnswers(questions: Pick<QuestionDef, 'key' | 'type' | 'required' | 'options'>[], input: RawAnswers): AnswerCheck {
  const answers: CleanAnswers = {};
  const errors: FieldErrors = {};
  for (const q of questions) {
    const given = asStrings(input[q.key]);
    if (q.type === 'short_text' || q.type === 'long_text') {
      const textValue = given.join(' ').replace(/\r\n/g, '\n');
      answers[q.key] = textValue ? [textValue] : [];
      const max = q.type === 'short_text' ? MAX_SHORT_TEXT : MAX_LONG_TEXT;
      if (textValue.length > max) errors[q.key] = 'questionnaires:validation.textTooLong';
      else if (!textValue && q.required) errors[q.key] = 'questionnaires:validation.answerRequired';
      continue;
    }
    const allowed = new Set(q.options.map((o) => o.value));
    const values = [...new Set(given)];
    answers[q.key] = values.filter((v) => allowed.has(v));
    if (values.some((v) => !allowed.has(v))) errors[q.key] = 'questionnaires:validation.notAnOption';
    else if (!values.length && q.required)
      errors[q.key] = q.type === 'multiple' ? 'questionnaires:validation.chooseSome' : 'questionnaires:validation.chooseOne';
    else if (q.type !== 'multiple' && values.length > 1) errors[q.key] = 'questionnaires:validation.onlyOne';
  }
  return Object.keys(errors).length ? { ok: false, errors, answers } : { ok: true, answers };
}

/** The form fields of a questionnaire page are named q_<key>; this maps them back to keys. */
export function answersFromBody(body: Record<string, unknown> | undefined): RawAnswers {
  const input: RawAnswers = {};
  for (const [name, value] of Object.entries(body ?? {})) if (name.startsWith('q_')) input[name.slice(2)] = value;
  return input;
}

/** Multiple-choice values share one CSV cell, joined with '|' (option values never contain it). */
export const CSV_MULTI_SEPARATOR = '|';
