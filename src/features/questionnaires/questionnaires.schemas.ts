// The shape of questionnaires: the template format (templates/*.json, validated at load) and the
// organizer's forms for forms and questions. Messages are locale keys.
import { z } from 'zod';
import { textBlock } from '../../http/validation.js';

export const questionTypes = ['single', 'multiple', 'yesno', 'scale', 'band', 'short_text', 'long_text'] as const;
export type QuestionType = (typeof questionTypes)[number];

/** Types whose answers are option values (yes/no has fixed options). */
export const choiceTypes: readonly QuestionType[] = ['single', 'multiple', 'scale', 'band'];
export const textTypes: readonly QuestionType[] = ['short_text', 'long_text'];

export const formKinds = ['pre', 'post', 'other'] as const;
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
});

export const statusSchema = z.object({ status: z.enum(formStatuses) });
export const anonymousLinkSchema = z.object({ enabled: z.enum(['true', 'false']).transform((v) => v === 'true') });

/**
 * Options as the organizer types them: one per line, "value | Bahasa Indonesia | English".
 * Scales list the best first and their value is the score.
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
      const [value = '', id = '', en = ''] = line.split('|').map((part) => part.trim());
      const parsed = optionSchema.safeParse({ value, id, en: en || id });
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: 'questionnaires:validation.optionLine' });
        return z.NEVER;
      }
      options.push(parsed.data);
    }
    return options;
  });

export function optionsToLines(options: QuestionOption[]): string {
  return options.map((o) => `${o.value} | ${o.id} | ${o.en}`).join('\n');
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
