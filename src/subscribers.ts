// Who reacts to what: the one place where a feature subscribes to another's events
// (src/events.ts). A new reaction (a bot, a mission, a chat message) is one line here. Wired by
// createApp() and by the background jobs, so both run the same reactions.
import { wireEvents, type Subscriptions } from './events.js';
import { deliverDueDrillsOnClockMove } from './features/drills/drills.service.js';
import { planDemoPurchases, scheduleDemoBuyerReceipt, scheduleDemoBuyerReview } from './features/market/buyer-bots.js';
import { scheduleDemoChatReply } from './features/market/chat-bots.js';
import { scheduleDemoShopAccept } from './features/market/seller-bots.js';
import { applyOrderDeadlinesOnClockMove } from './features/orders/jobs.js';
import { refundCancelledOrder, sendRefundOfCancelledOrder, settleCodOnReceipt } from './features/payments/payments.service.js';
import { completeWithdrawalsOnClockMove } from './features/withdrawals/withdrawals.service.js';

export const subscriptions: Subscriptions = {
  orderPaid: [scheduleDemoShopAccept],
  orderCancelled: [refundCancelledOrder],
  orderCancelledCommitted: [sendRefundOfCancelledOrder],
  orderCompleted: [settleCodOnReceipt, scheduleDemoBuyerReview],
  orderShipped: [scheduleDemoBuyerReceipt],
  listingCreated: [planDemoPurchases],
  workshopClockMoved: [applyOrderDeadlinesOnClockMove, completeWithdrawalsOnClockMove, deliverDueDrillsOnClockMove],
  chatMessageSent: [scheduleDemoChatReply],
};

export function wireSubscribers(): void {
  wireEvents(subscriptions);
}
