// The payments feature's public face. Paying for a checkout: by card through Stripe Checkout
// (card.ts; the provider's events in webhook.ts), or by the Indonesian methods simulated inside
// the app (virtual account and QRIS in simulated.ts, cash on delivery in cod.ts). Refunds
// (refunds.ts) follow cancelled paid orders (order-events.ts, subscribed in src/subscribers.ts).
// Open card payments are reconciled with the provider by a job (reconcile.ts); the card payments
// a reset removes are closed, and a card charged for one anyway is refunded (gone-payments.ts).
export { type PaymentMethod } from './checkouts.js';
export { getPayPage, type PayPageArrival } from './pay-page.js';
export { reconcileReturn, startCardPayment, type MarketReset, type ReturnInfo, type ReturnOutcome } from './card.js';
export { reconcileCardPayments } from './reconcile.js';
export { closeSessionsOfRemovedPayments } from './gone-payments.js';
export { applyStripeEvent } from './webhook.js';
export {
  formatVaNumber,
  getQrisBill,
  getReceipt,
  getSimulatedBill,
  payQris,
  payVirtualAccount,
  SIMULATED_PIN,
  startQris,
  startVirtualAccount,
} from './simulated.js';
export { chooseCod } from './cod.js';
export { refundCancelledOrder, sendRefundOfCancelledOrder, settleCodOnReceipt } from './order-events.js';
export { retryPendingRefunds } from './refunds.js';
export { PaymentProviderDownError } from './stripe-client.js';
