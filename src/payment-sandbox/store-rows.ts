// Rows as both stores read them, turned into what the sandbox works with.
import type { DeliveryRow, DeliveryStatus, LineItemRecord, PaymentIntentData, PendingAuth, SessionPrivate } from './store.js';

export const createdBounds = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

export interface PrivateDbRow {
  csrf_token: string;
  line_items: string;
  payment_intent_data: string;
  pending_auth: string | null;
}

export function privateFromRow(sessionId: string, row: PrivateDbRow): SessionPrivate {
  return {
    sessionId,
    csrfToken: row.csrf_token,
    lineItems: JSON.parse(row.line_items) as LineItemRecord[],
    paymentIntentData: JSON.parse(row.payment_intent_data) as PaymentIntentData,
    pendingAuth: row.pending_auth ? (JSON.parse(row.pending_auth) as PendingAuth) : null,
  };
}

/** One page of a list: the query fetched one row more than the limit, which says has_more. */
export function pageOf<T>(rows: readonly { data: string }[], limit: number, backwards: boolean): { data: T[]; hasMore: boolean } {
  const page = rows.slice(0, limit).map((r) => JSON.parse(r.data) as T);
  return { data: backwards ? page.reverse() : page, hasMore: rows.length > limit };
}

export interface DeliveryDbRow {
  id: number;
  event_id: string;
  event_type: string;
  endpoint_id: string | null;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  last_error: string | null;
  delivered_at: number | null;
  response_status: number | null;
}

export function toDeliveryRow(r: DeliveryDbRow): DeliveryRow {
  return {
    id: r.id,
    eventId: r.event_id,
    eventType: r.event_type,
    endpointId: r.endpoint_id,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    createdAt: r.created_at,
    lastError: r.last_error,
    deliveredAt: r.delivered_at,
    responseStatus: r.response_status,
  };
}
