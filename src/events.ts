// What one feature tells the others. A feature emits a typed event; the features that react
// subscribe in one place, src/subscribers.ts, wired at startup by createApp() and by the
// background jobs. An event emitted before that wiring throws: importing a service on its own
// never silently skips what others must do (a refund when a paid order is cancelled).
//
// Events with `tx` are emitted inside the transaction that made the change: a subscriber's
// writes commit or roll back with it, and a subscriber that throws undoes the change. Work that
// must not hold the transaction open (calling a payment provider) subscribes to the event
// emitted after the commit.
import type { Tx } from './db.js';

export type DomainEvents = {
  /**
   * An order is the seller's to process, inside that transaction: paid (card, virtual account,
   * QRIS), or cash on delivery chosen (`cashOnDelivery`: nothing is paid until the buyer receives it).
   */
  orderPaid: { tx: Tx; orderId: number; cashOnDelivery: boolean };
  /** An order was cancelled by the buyer, the seller or its payment window: inside that transaction. `wasPaid`: money was taken for it. */
  orderCancelled: { tx: Tx; orderId: number; wasPaid: boolean };
  /** The cancellation committed. */
  orderCancelledCommitted: { orderId: number };
  /** The buyer confirmed receipt, or the order completed by itself a while after shipping: inside that transaction. */
  orderCompleted: { tx: Tx; orderId: number };
  /** The seller shipped an order with a tracking number: inside that transaction. */
  orderShipped: { tx: Tx; orderId: number };
  /** A seller put a new listing on sale (committed). */
  listingCreated: { workshopId: number; shopId: number; listingId: number };
  /** The tutor moved the workshop's training clock forward (committed); `now` is its new time. */
  workshopClockMoved: { workshopId: number; now: Date };
  /** A buyer or a seller sent a chat message (committed); `fromShop`: the seller wrote it. */
  chatMessageSent: { workshopId: number; threadId: number; messageId: number; fromShop: boolean };
};

export type EventName = keyof DomainEvents;
export type Subscriber<E extends EventName> = (event: DomainEvents[E]) => Promise<void>;
export type Subscriptions = { [E in EventName]: Subscriber<E>[] };

let subscriptions: Subscriptions | null = null;

/** Called by src/subscribers.ts with every subscription of the app; wiring the same table again changes nothing. */
export function wireEvents(table: Subscriptions): void {
  if (subscriptions && subscriptions !== table) throw new Error('The event subscribers are already wired with another table');
  subscriptions = table;
}

/** Runs the event's subscribers one after the other, in the order of the table; the first that throws stops the rest. */
export async function emit<E extends EventName>(name: E, event: DomainEvents[E]): Promise<void> {
  if (!subscriptions) throw new Error(`Event ${name} emitted before the subscribers were wired (wireSubscribers in src/subscribers.ts)`);
  for (const subscriber of subscriptions[name]) await subscriber(event);
}
