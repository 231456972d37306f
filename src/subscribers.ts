// Who reacts to what: the one place where a feature subscribes to another's events
// (src/events.ts). A new reaction (a bot, a mission, a chat message) is one line here. Wired by
// createApp() and by the background jobs, so both run the same reactions.
import { wireEvents, type Subscriptions } from './events.js';
import { refundCancelledOrder, sendRefundOfCancelledOrder, settleCodOnReceipt } from './features/payments/payments.service.js';

export const subscriptions: Subscriptions = {
  orderPaid: [],
  orderCancelled: [refundCancelledOrder],
  orderCancelledCommitted: [sendRefundOfCancelledOrder],
  orderCompleted: [settleCodOnReceipt],
};

export function wireSubscribers(): void {
  wireEvents(subscriptions);
}
