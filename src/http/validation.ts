// Zod over form input. Schemas carry locale keys as messages ('common:validation.required');
// anything else zod says becomes the generic "invalid" key, so no English leaks to the page.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { RefusedError, ValidationError, type FieldErrors } from '../errors.js';
import { stripInvisibleControls, toSingleLine } from '../lib/text.js';

const looksLikeKey = (message: string) => /^[a-z-]+:[\w.]+$/.test(message);

export function toFieldErrors(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.length ? issue.path.map(String).join('.') : '_form';
    fields[field] ??= looksLikeKey(issue.message) ? issue.message : 'common:validation.invalid';
  }
  return fields;
}

/** Parses input or throws ValidationError with field messages. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(toFieldErrors(result.error));
  return result.data;
}

/**
 * Parses input or refuses with the first field's message: for small forms (a quantity, a button)
 * on pages that show a flash message rather than the form's fields.
 */
export function parseOrRefuse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new RefusedError(Object.values(toFieldErrors(result.error))[0] ?? 'common:validation.invalid');
  return result.data;
}

type Locals = Record<string, unknown>;

/**
 * A form POST in the post/redirect/get style, with no try/catch in the route: input is parsed
 * with the schema, then `handle` runs and redirects. A ValidationError from the schema or from
 * the service re-renders `view` with 422, the field messages and the values the person typed.
 */
export function formHandler<S extends z.ZodType>(options: {
  schema: S;
  view: string;
  /** Extra locals the view needs when it is shown again (e.g. the object being edited). */
  locals?: (req: Request, res: Response) => Locals | Promise<Locals>;
  /** Values to show again; defaults to the request body (passwords are never sent back). */
  values?: (req: Request) => Locals;
  handle: (data: z.output<S>, req: Request, res: Response) => Promise<void> | void;
  input?: (req: Request) => unknown;
}): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const data = parseOrThrow(options.schema, options.input ? options.input(req) : req.body);
      await options.handle(data, req, res);
    } catch (error) {
      if (!(error instanceof ValidationError)) return next(error);
      const extra = options.locals ? await options.locals(req, res) : {};
      const values = { ...(options.values ? options.values(req) : (req.body ?? {})) } as Locals;
      for (const key of Object.keys(values)) if (/password/i.test(key)) delete values[key];
      res.status(422).render(options.view, { ...extra, values, errors: error.fieldErrors });
    }
  };
}

/**
 * Every text field a person types goes through one of these two, so a NUL or a bidirectional
 * override never reaches the database or another person's screen (src/lib/text.ts). They are
 * zod strings (trimmed), so a schema goes on with .min() and .max().
 */
export const textLine = (params?: string) => z.string(params).overwrite(toSingleLine).trim();
/** Several lines (a description, a review): line breaks kept, \r\n made \n. */
export const textBlock = (params?: string) =>
  z
    .string(params)
    .overwrite((text) => stripInvisibleControls(text).replace(/\r\n?/g, '\n'))
    .trim();
