// List endpoints with Stripe's cursor pagination (newest first; `limit`, `starting_after`,
// `ending_before`, `has_more`), which the SDK's auto-pagination drives, and `expand[]` on what
// the endpoints return, nested paths (`payment_intent.latest_charge`) and lists (`data.charge`).
import type Stripe from 'stripe';
import { z } from 'zod';
import { invalidRequest } from './errors.js';
import { mustGetPaymentIntent, mustGetSession, privateOf, type Ledger } from './ledger.js';
import { buildLineItem } from './objects.js';
import { expand, integer, parseParams } from './schemas.js';
import { expireDueSessions } from './sessions.js';
import type { ListQuery, ObjectType } from './store.js';

const createdFilter = z
  .union([integer, z.strictObject({ gt: integer.optional(), gte: integer.optional(), lt: integer.optional(), lte: integer.optional() })])
  .optional();

const paging = {
  limit: integer.refine((n) => n >= 1 && n <= 100, 'limit must be between 1 and 100').optional(),
  starting_after: z.string().min(1).optional(),
  ending_before: z.string().min(1).optional(),
  expand,
};

const listSessionsSchema = z.strictObject({
  ...paging,
  created: createdFilter,
  payment_intent: z.string().min(1).optional(),
  status: z.enum(['open', 'complete', 'expired']).optional(),
});
const listPaymentIntentsSchema = z.strictObject({ ...paging, created: createdFilter });
const listChargesSchema = z.strictObject({ ...paging, created: createdFilter, payment_intent: z.string().min(1).optional() });
const listRefundsSchema = z.strictObject({
  ...paging,
  created: createdFilter,
  charge: z.string().min(1).optional(),
  payment_intent: z.string().min(1).optional(),
});
const listEventsSchema = z.strictObject({
  ...paging,
  created: createdFilter,
  type: z.string().min(1).optional(),
  types: z.array(z.string().min(1)).max(20).optional(),
});
const listLineItemsSchema = z.strictObject(paging);
const listWebhookEndpointsSchema = z.strictObject(paging);

type PagingParams = { limit?: number | undefined; starting_after?: string | undefined; ending_before?: string | undefined };

async function query(
  ledger: Ledger,
  type: ObjectType,
  params: PagingParams & { created?: number | ListQuery['created'] | undefined },
  where: ListQuery['where'],
): Promise<ListQuery> {
  if (params.starting_after !== undefined && params.ending_before !== undefined) {
    throw invalidRequest(
      'You may only specify one of these parameters: starting_after, ending_before.',
      'ending_before',
      'parameters_exclusive',
    );
  }
  for (const param of ['starting_after', 'ending_before'] as const) {
    const cursor = params[param];
    if (cursor !== undefined && !(await ledger.store.exists(type, cursor))) {
      throw invalidRequest(`No such ${type}: '${cursor}'`, param, 'resource_missing');
    }
  }
  const created = params.created;
  return {
    where,
    created: typeof created === 'number' ? { gte: created, lte: created } : (created ?? {}),
    limit: params.limit ?? 10,
    startingAfter: params.starting_after ?? null,
    endingBefore: params.ending_before ?? null,
  };
}

async function page<T>(
  ledger: Ledger,
  type: ObjectType,
  url: string,
  q: ListQuery,
  expandPaths: readonly string[],
): Promise<Stripe.ApiList<T>> {
  const { data, hasMore } = await ledger.store.list<T>(type, q);
  const list: Stripe.ApiList<T> = { object: 'list', data, has_more: hasMore, url };
  await expandListItems(ledger, list, expandPaths);
  return list;
}

function equals(path: string, value: string | undefined): ListQuery['where'] {
  return value === undefined ? [] : [{ path, values: [value] }];
}

export async function listCheckoutSessions(ledger: Ledger, raw: unknown): Promise<Stripe.ApiList<Stripe.Checkout.Session>> {
  const p = parseParams(listSessionsSchema, raw);
  await expireDueSessions(ledger);
  const where = [...equals('$.payment_intent', p.payment_intent), ...equals('$.status', p.status)];
  return await page(ledger, 'checkout.session', '/v1/checkout/sessions', await query(ledger, 'checkout.session', p, where), p.expand ?? []);
}

export async function listPaymentIntents(ledger: Ledger, raw: unknown): Promise<Stripe.ApiList<Stripe.PaymentIntent>> {
  const p = parseParams(listPaymentIntentsSchema, raw);
  return await page(ledger, 'payment_intent', '/v1/payment_intents', await query(ledger, 'payment_intent', p, []), p.expand ?? []);
}

export async function listCharges(ledger: Ledger, raw: unknown): Promise<Stripe.ApiList<Stripe.Charge>> {
  const p = parseParams(listChargesSchema, raw);
  return await page(
    ledger,
    'charge',
    '/v1/charges',
    await query(ledger, 'charge', p, equals('$.payment_intent', p.payment_intent)),
    p.expand ?? [],
  );
}

export async function listRefunds(ledger: Ledger, raw: unknown): Promise<Stripe.ApiList<Stripe.Refund>> {
  const p = parseParams(listRefundsSchema, raw);
  const where = [...equals('$.charge', p.charge), ...equals('$.payment_intent', p.payment_intent)];
  return await page(ledger, 'refund', '/v1/refunds', await query(ledger, 'refund', p, where), p.expand ?? []);
}

export async function listEvents(ledger: Ledger, raw: unknown): Promise<Stripe.ApiList<Stripe.Event>> {
  const p = parseParams(listEventsSchema, raw);
  if (p.type !== undefined && p.types !== undefined) {
    throw invalidRequest('You may only specify one of these parameters: type, types.', 'types', 'parameters_exclusive');
  }
  await expireDueSessions(ledger);
  const types = p.types ?? (p.type === undefined ? [] : [p.type]);
  // `charge.*` is Stripe's wildcard for every type under a prefix.
  const where: ListQuery['where'] = types.length
    ? [{ path: '$.type', values: types.map((t) => t.replaceAll('%', '').replaceAll('_', '\\_').replace(/\*$/, '%')), like: true }]
    : [];
  return await page(ledger, 'event', '/v1/events', await query(ledger, 'event', p, where), p.expand ?? []);
}

/** The line items of a session, paged like any list (their ids stand for the cursor). */
export async function listLineItems(ledger: Ledger, sessionId: string, raw: unknown): Promise<Stripe.ApiList<Stripe.LineItem>> {
  const p = parseParams(listLineItemsSchema, raw);
  if (p.expand?.length) throw invalidRequest(`This property cannot be expanded (${p.expand[0]}).`, 'expand');
  return await lineItemsPage(ledger, sessionId, p);
}

async function lineItemsPage(ledger: Ledger, sessionId: string, p: PagingParams): Promise<Stripe.ApiList<Stripe.LineItem>> {
  const session = await mustGetSession(ledger, sessionId);
  const all: Stripe.LineItem[] = [];
  for (const [i, li] of (await privateOf(ledger, sessionId)).lineItems.entries()) {
    const item = buildLineItem(session.id, session.created, i, li);
    // A Price made through the API is shown as it is stored; an inline one is built from the line.
    item.price = (li.ids && (await ledger.store.get<Stripe.Price>('price', li.ids.price))) || item.price;
    all.push(item);
  }
  const limit = p.limit ?? 10;
  const indexOf = (param: 'starting_after' | 'ending_before', id: string) => {
    const index = all.findIndex((li) => li.id === id);
    if (index === -1) throw invalidRequest(`No such line item: '${id}'`, param, 'resource_missing');
    return index;
  };
  let data: Stripe.LineItem[];
  let hasMore: boolean;
  if (p.ending_before !== undefined) {
    const end = indexOf('ending_before', p.ending_before);
    data = all.slice(Math.max(0, end - limit), end);
    hasMore = end - limit > 0;
  } else {
    const start = p.starting_after === undefined ? 0 : indexOf('starting_after', p.starting_after) + 1;
    data = all.slice(start, start + limit);
    hasMore = start + limit < all.length;
  }
  return { object: 'list', data, has_more: hasMore, url: `/v1/checkout/sessions/${session.id}/line_items` };
}

type Expander = (ledger: Ledger, value: unknown, owner: { id: string }) => Promise<unknown>;

const byId =
  (type: ObjectType): Expander =>
  async (ledger, value) =>
    typeof value === 'string' ? ((await ledger.store.get(type, value)) ?? value) : value;

/** What each object lets `expand[]` replace: an id by its object, or a list Stripe leaves out by default. */
const expandable: Record<string, Record<string, Expander>> = {
  'checkout.session': {
    payment_intent: async (ledger, value) => (typeof value === 'string' ? await mustGetPaymentIntent(ledger, value) : value),
    line_items: (ledger, _value, owner) => lineItemsPage(ledger, owner.id, {}),
  },
  payment_intent: { latest_charge: byId('charge') },
  charge: { payment_intent: byId('payment_intent') },
  refund: { charge: byId('charge'), payment_intent: byId('payment_intent') },
  price: { product: byId('product') },
};

/** Stripe's limit on nested expansion. */
const MAX_EXPAND_DEPTH = 4;

async function expandPath(ledger: Ledger, target: Record<string, unknown>, path: string[], full: string): Promise<void> {
  const [field, ...rest] = path;
  const expander = field === undefined ? undefined : expandable[String(target.object)]?.[field];
  if (!expander || !field) throw invalidRequest(`This property cannot be expanded (${full}).`, 'expand');
  target[field] = await expander(ledger, target[field], target as { id: string });
  const next = target[field];
  if (rest.length && next !== null && typeof next === 'object') await expandPath(ledger, next as Record<string, unknown>, rest, full);
}

function checkDepth(path: string): string[] {
  const parts = path.split('.');
  if (parts.length > MAX_EXPAND_DEPTH) {
    throw invalidRequest(`You cannot expand more than ${MAX_EXPAND_DEPTH} levels of a property (${path}).`, 'expand');
  }
  return parts;
}

/** Expands `expand[]` paths on one object, in place. */
export async function expandObject<T extends { object: string }>(ledger: Ledger, object: T, paths: readonly string[]): Promise<T> {
  for (const path of paths) await expandPath(ledger, object as unknown as Record<string, unknown>, checkDepth(path), path);
  return object;
}

/** On a list, Stripe's paths start with `data.` and apply to every item. */
async function expandListItems(ledger: Ledger, list: Stripe.ApiList<unknown>, paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    const parts = checkDepth(path);
    if (parts[0] !== 'data' || parts.length < 2) throw invalidRequest(`This property cannot be expanded (${path}).`, 'expand');
    for (const item of list.data) await expandPath(ledger, item as Record<string, unknown>, parts.slice(1), path);
  }
}

export async function listWebhookEndpoints(ledger: Ledger, raw: unknown): Promise<Stripe.ApiList<Stripe.WebhookEndpoint>> {
  const p = parseParams(listWebhookEndpointsSchema, raw);
  return await page(ledger, 'webhook_endpoint', '/v1/webhook_endpoints', await query(ledger, 'webhook_endpoint', p, []), p.expand ?? []);
}
