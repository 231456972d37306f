// The shape of questionnaires: the template format (templates/*.json, validated at load) and the
// organizer's forms for forms and questions. Messages are locale keys.
import { z } from 'zod';
import { textBlock } from '../../http/validation.js';

export const questionTypes = ['single', 'multiple', 'yesno', 'scale', 'band', 'quiz', 'short_text', 'long_text'] as const;
export type QuestionType = (typeof questionTypes)[number];

/** Types whose answers are option values (yes/no has fixed options). A quiz is a single choice with one correct option. */
export const choiceTypes: readonly QuestionType[] = ['single', 'multiple', 'scale', 'band', 'quiz'];
export const textTypes: readonly QuestionType[] = ['short_text', 'long_text'];

/** followup: asked weeks after the workshop (has the trainee started selling online?), compared with pre. */
export const formKinds = ['pre', 'post', 'followup', 'other'] as const;
export type FormKind = (typeof formKinds)[number];

export const formStatuses = ['draft', 'open', 'closed'] as const;
export type FormStatus = (typeof formStatuses)[number];

/** Keys and option values end up in CSV headers and cells: plain lower-case words only. */
export const keyPattern = /^[a-z][a-z0-9_]{0,39}$/;
export const optionValuePattern = /^[a-z0-9_]{1,40}$/;

export const MAX_SHORT_TEXT = 200;
export const MAX_LONG_TEXT = 2000;

const localized = z.object({ id: z.string().trim().min(1).max(500), en: z.string().trim().min(1).max(500) });

export const optionSchema = z.object({
  value: z.string().regex(optionValuePattern),
  id: z.string().trim().min(1).max(200),
  en: z.string().trim().min(1).max(200),
  /** Quiz questions only: the one right answer. */
  correct: z.literal(true).optional(),
});
export type QuestionOption = z.infer<typeof optionSchema>;

/** Choice questions need two or more distinct options; yes/no and text questions carry none. */
function checkOptions(
  type: QuestionType,
  options: QuestionOption[],
  ctx: z.RefinementCtx,
  path: (string | number)[],
  message: (what: string) => string,
) {
  if (choiceTypes.includes(type)) {
    if (options.length < 2) ctx.addIssue({ code: 'custom', path, message: message('optionsTooFew') });
    const values = options.map((o) => o.value);
    if (new Set(values).size !== values.length) ctx.addIssue({ code: 'custom', path, message: message('optionsDuplicate') });
    const correct = options.filter((o) => o.correct).length;
    if (type === 'quiz' && correct !== 1) ctx.addIssue({ code: 'custom', path, message: message('quizOneCorrect') });
    if (type !== 'quiz' && correct > 0) ctx.addIssue({ code: 'custom', path, message: message('correctOnlyInQuiz') });
  } else if (options.length) {
    ctx.addIssue({ code: 'custom', path, message: message('optionsNotAllowed') });
  }
}

export const templateQuestionSchema = z
  .object({
    key: z.string().regex(keyPattern),
    group: z.string().max(40).default(''),
    type: z.enum(questionTypes),
    required: z.boolean().default(true),
    text: localized,
    options: z.array(optionSchema).default([]),
  })
  .superRefine((q, ctx) => checkOptions(q.type, q.options, ctx, ['options'], (what) => what));

export const templateSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/),
    kind: z.enum(formKinds),
    title: localized,
    intro: localized,
    questions: z.array(templateQuestionSchema).min(1),
  })
  .superRefine((t, ctx) => {
    const keys = t.questions.map((q) => q.key);
    keys.forEach((key, i) => {
      if (keys.indexOf(key) !== i) ctx.addIssue({ code: 'custom', path: ['questions', i, 'key'], message: `duplicate key ${key}` });
    });
  });
export type Template = z.output<typeof templateSchema>;

/** Questions that can be added to a template's form (the short knowledge test). */
export const questionSetSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/),
    title: localized,
    intro: localized,
    questions: z.array(templateQuestionSchema).min(1),
  })
  .superRefine((t, ctx) => {
    const keys = t.questions.map((q) => q.key);
    keys.forEach((key, i) => {
      if (keys.indexOf(key) !== i) ctx.addIssue({ code: 'custom', path: ['questions', i, 'key'], message: `duplicate key ${key}` });
    });
  });
export type QuestionSet = z.output<typeof questionSetSchema>;

// ---------------------------------------------------------------- organizer forms

const text = (max: number) => textBlock().max(max, 'common:validation.tooLong');
const requiredText = (max: number) => text(max).min(1, 'common:validation.required');

/** An optional session id from a select: '' means "no session". */
const sessionIdField = z
  .string()
  .optional()
  .transform((v) => (v ? Number(v) : null))
  .pipe(z.number().int().positive().nullable());

export const formSettingsSchema = z.object({
  titleId: requiredText(200),
  titleEn: requiredText(200),
  introId: text(2000).default(''),
  introEn: text(2000).default(''),
  kind: z.enum(formKinds, 'common:validation.choose'),
  sessionId: sessionIdField,
});
export type FormSettingsInput = z.output<typeof formSettingsSchema>;

export const newFromTemplateSchema = z.object({
  templateKey: z.string().min(1, 'common:validation.choose').max(40),
  sessionId: sessionIdField,
  /** A checkbox: append the short knowledge test (templates/knowledge-test.json). */
  knowledgeTest: z
    .string()
    .optional()
    .transform((v) => v === 'true' || v === 'on'),
});

export const statusSchema = z.object({ status: z.enum(formStatuses) });
export const anonymousLinkSchema = z.object({ enabled: z.enum(['true', 'false']).transform((v) => v === 'true') });

/**
 * Options as the organizer types them: one per line, "value | Bahasa Indonesia | English".
 * Scales list the best first and their value is the score. A quiz marks its right answer with a
 * star before the value: "*b | Jawaban benar | Right answer".
 */
export const optionLinesSchema = textBlock()
  // abort: the question's own check below must not see the text when it is too long to read
  .max(5000, { message: 'common:validation.tooLong', abort: true })
  .default('')
  .transform((textValue, ctx) => {
    const options: QuestionOption[] = [];
    for (const line of textValue
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)) {
      const [rawValue = '', id = '', en = ''] = line.split('|').map((part) => part.trim());
      const correct = rawValue.startsWith('*');
      const value = correct ? rawValue.slice(1).trim() : rawValue;
      const parsed = optionSchema.safeParse({ value, id, en: en || id, ...(correct ? { correct: true } : {}) });
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: 'questionnaires:validation.optionLine' });
        return z.NEVER;
      }
      options.push(parsed.data);
    }
    return options;
  });

export function optionsToLines(options: QuestionOption[]): string {
  return options.map((o) => `${o.correct ? '*' : ''}${o.value} | ${o.id} | ${o.en}`).join('\n');
}

export const questionSchema = z
  .object({
    key: z.string().trim().toLowerCase().regex(keyPattern, 'questionnaires:validation.key'),
    type: z.enum(questionTypes, 'common:validation.choose'),
    group: z
      .string()
      .trim()
      .toLowerCase()
      .max(40, 'common:validation.tooLong')
      .regex(/^[a-z0-9_]*$/, 'questionnaires:validation.group')
      .default(''),
    required: z
      .string()
      .optional()
      .transform((v) => v === 'true' || v === 'on'),
    textId: requiredText(500),
    textEn: requiredText(500),
    options: optionLinesSchema,
  })
  .superRefine((q, ctx) => checkOptions(q.type, q.options, ctx, ['options'], (what) => `questionnaires:validation.${what}`));
export type QuestionInput = z.output<typeof questionSchema>;

export const moveSchema = z.object({ direction: z.enum(['up', 'down']) });

/** `?sep=semicolon`: a CSV that Excel set to Indonesian opens in columns. */
export const csvSeparatorSchema = z.object({
  sep: z
    .enum(['comma', 'semicolon'])
    .default('comma')
    .transform((v) => (v === 'semicolon' ? ';' : ',') as ',' | ';'),
});

/** The import's second step: the digest of the file the organizer agreed to add although seen before. */
export const importConfirmSchema = z.object({
  confirmSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});
