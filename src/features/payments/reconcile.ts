// Card payments that no webhook settled. The provider stops retrying a webhook after about 19
// minutes, so an app that was down that long never hears that a card was paid: its order would
// stay "Menunggu pembayaran" and be cancelled at its deadline with the money taken. This job asks
// the provider about every open card payment (retrieving its Checkout Session) until its orders'
// deadline, and closes the session once the deadline has passed.
import { prisma } from '../../db.js';
import { applyVerifiedSession, recoverStaleCardPayments, releaseClaim } from './card.js';
import { expireSessionQuietly, getStripe, isProviderDown, isUnknownToProvider } from './stripe-client.js';

/** Open card payments looked at per run (a workshop room has a few dozen at most). */
const BATCH = 200;

/** The job: rows left by a crash first, then each open session: paid → applied, ran out → expired, past the deadline → closed. */
export async function reconcileCardPayments(now = new Date()): Promise<void> {
  await recoverStaleCardPayments(now.getTime());
  const open = await prisma.payment.findMany({
    where: { method: 'card', status: 'pending', providerRef: { startsWith: 'cs_' } },
    orderBy: { id: 'asc' },
    select: { id: true, checkoutId: true, providerRef: true },
    take: BATCH,
  });
  for (const payment of open) {
    let session;
    try {
      session = await (await getStripe()).checkout.sessions.retrieve(payment.providerRef!);
    } catch (error) {
      // Down: the next run asks again. Unknown to the provider: it can never be paid.
      if (isProviderDown(error)) return;
      if (!isUnknownToProvider(error)) throw error;
      session = null;
    }
    if (session?.status === 'complete') {
      await applyVerifiedSession(session);
      continue;
    }
    const stillDue = await prisma.order.count({
      where: { checkoutId: payment.checkoutId, status: 'menunggu_pembayaran', paymentDueAt: { gt: now } },
    });
    // An open session past its orders' deadline is closed; if it was paid in between, the next run applies (and refunds) it.
    if (session?.status === 'open' && (stillDue || !(await expireSessionQuietly(session.id)))) continue;
    await prisma.payment.updateMany({ where: { id: payment.id, status: 'pending' }, data: { status: 'expired', ...releaseClaim } });
  }
}
