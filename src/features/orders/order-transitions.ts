// The one table of order transitions: who may do which action from which state. Pure: the
// service asks it before every change, then makes the change with a conditional update on the
// state it expected, so two people acting at once cannot both move the order.

export const orderStatuses = ['menunggu_pembayaran', 'diproses', 'dikirim', 'selesai', 'dibatalkan'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export type OrderActor = 'buyer' | 'seller' | 'system';
export type OrderAction = 'pay' | 'cod' | 'accept' | 'ship' | 'confirm' | 'complete' | 'cancel' | 'expire';

export type TransitionRule = {
  action: OrderAction;
  actor: OrderActor;
  from: readonly OrderStatus[];
  to: OrderStatus;
  /** The seller's "accepted" mark the order must have (undefined: either). */
  accepted?: boolean;
  /** What the transition sets besides the status. */
  setsAccepted?: boolean;
};

export const transitionTable: readonly TransitionRule[] = [
  { action: 'pay', actor: 'system', from: ['menunggu_pembayaran'], to: 'diproses' },
  // Cash on delivery: the seller processes the order now; it is paid when the buyer receives it.
  { action: 'cod', actor: 'system', from: ['menunggu_pembayaran'], to: 'diproses' },
  { action: 'expire', actor: 'system', from: ['menunggu_pembayaran'], to: 'dibatalkan' },
  { action: 'accept', actor: 'seller', from: ['diproses'], to: 'diproses', accepted: false, setsAccepted: true },
  { action: 'ship', actor: 'seller', from: ['diproses'], to: 'dikirim', accepted: true },
  { action: 'confirm', actor: 'buyer', from: ['dikirim'], to: 'selesai' },
  // Delivered and not confirmed: the marketplace completes it for the buyer (completeDeliveredOrders).
  { action: 'complete', actor: 'system', from: ['dikirim'], to: 'selesai' },
  { action: 'cancel', actor: 'buyer', from: ['menunggu_pembayaran', 'diproses'], to: 'dibatalkan' },
  { action: 'cancel', actor: 'seller', from: ['menunggu_pembayaran', 'diproses'], to: 'dibatalkan' },
];

export type TransitionDecision =
  { allowed: true; rule: TransitionRule } | { allowed: false; reason: 'actor' | 'state' | 'notAccepted' | 'alreadyAccepted' };

/** May this actor do this action on an order in this state? */
export function decideTransition(order: { status: string; accepted: boolean }, action: OrderAction, actor: OrderActor): TransitionDecision {
  const rules = transitionTable.filter((rule) => rule.action === action);
  const rule = rules.find((r) => r.actor === actor);
  if (!rule) return { allowed: false, reason: 'actor' };
  if (!rule.from.includes(order.status as OrderStatus)) return { allowed: false, reason: 'state' };
  if (rule.accepted === true && !order.accepted) return { allowed: false, reason: 'notAccepted' };
  if (rule.accepted === false && order.accepted) return { allowed: false, reason: 'alreadyAccepted' };
  return { allowed: true, rule };
}

/** The actions this actor may take now (to show only the buttons that will work). */
export function availableActions(order: { status: string; accepted: boolean }, actor: OrderActor): OrderAction[] {
  const actions = new Set(transitionTable.filter((r) => r.actor === actor).map((r) => r.action));
  return [...actions].filter((action) => decideTransition(order, action, actor).allowed);
}

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === 'string' && (orderStatuses as readonly string[]).includes(value);
}

/**
 * A shipped order the buyer has not confirmed completes by itself this long after shipping, on
 * the workshop's clock. Real marketplaces wait a few days after delivery; in a workshop one day
 * is "+1 hari" on the training clock.
 */
export const AUTO_COMPLETE_AFTER_MS = 24 * 3600 * 1000;

/** Paid and not finished: the money the marketplace holds for the seller (a cash-on-delivery order is not paid yet). */
export const heldStatuses: readonly OrderStatus[] = ['diproses', 'dikirim'];
