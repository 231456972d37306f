// Form-encoded parameters, as the stripe SDK sends them (`line_items[0][price_data][currency]`,
// `expand[0]`, `metadata[order_id]`) and as the hosted page's form posts them. Stripe's format is
// the one `qs` reads, so qs parses them. Anyone on the room's network can send anything, and the
// sandbox shares the app's process: a key that names `__proto__`, `constructor` or `prototype`
// (anywhere in its bracket path) is refused before any object is built, so no request can reach
// Object.prototype. Express's own body and query parsers are not used for these parameters:
// body-parser's extended mode runs qs with allowPrototypes on.
import express from 'express';
import qs from 'qs';

export type FormParams = qs.ParsedQs;

/** Parameters that cannot be taken: the message names the offending key or limit. */
export class FormParamsError extends Error {
  constructor(
    message: string,
    readonly param: string | undefined,
  ) {
    super(message);
    this.name = 'FormParamsError';
  }
}

const prototypeKey = /(?:^|\[)\s*(?:__proto__|constructor|prototype)\s*(?:\]|\[|$)/;

function refusePrototypeKeys(text: string, decode: qs.defaultDecoder, charset: string, kind: 'key' | 'value'): string {
  const decoded = decode(text, decode, charset) as string;
  if (kind === 'key' && prototypeKey.test(decoded)) throw new FormParamsError(`Invalid parameter: ${decoded}`, decoded);
  return decoded;
}

/**
 * Parses `a[b][0]=v&…` into objects and arrays. Throws FormParamsError for a prototype key, a
 * path deeper than the deepest the SDK sends, more than `parameterLimit` pairs or an index of 100 or more.
 */
export function parseFormParams(raw: string, parameterLimit: number): FormParams {
  try {
    return qs.parse(raw, {
      decoder: refusePrototypeKeys,
      allowPrototypes: false,
      // line_items[0][price_data][product_data][name] is four levels below its parameter.
      depth: 4,
      strictDepth: true,
      // Checkout takes at most 100 line items.
      arrayLimit: 100,
      parameterLimit,
      throwOnLimitExceeded: true,
      ignoreQueryPrefix: true,
    }) as FormParams; // with a custom decoder qs's types widen values to unknown; they are still strings, objects and arrays
  } catch (error) {
    if (error instanceof FormParamsError) throw error;
    if (error instanceof RangeError) throw new FormParamsError(`Invalid parameters: ${error.message}`, undefined);
    throw error;
  }
}

/** Reads a form-encoded body as text, for parseFormParams; a longer body is a 413 error. */
export function formText(limit: string) {
  return express.text({ type: 'application/x-www-form-urlencoded', limit, defaultCharset: 'utf-8' });
}

/** The body formText read, or '' when the request sent none. */
export function rawForm(body: unknown): string {
  return typeof body === 'string' ? body : '';
}

/** The status of an error the body reader raised (413 too large, 415 charset, 400 unreadable), or null. */
export function clientErrorStatus(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}
