// The pay page of a checkout: what is due, the methods, the payments made so far, and the last
// card decline. Coming back from the card page (its "back" link), the decline is read from the
// open session itself, and a checkout that a reset removed meanwhile gets a page that says so.
import { prisma } from '../../db.js';
import { NotFoundError } from '../../errors.js';
import { declineOfOpenSession, isCardReturnSignature } from './card.js';
import { bill, checkoutExists, loadBuyerCheckout, type Ctx } from './checkouts.js';

/** How the buyer reached the pay page: `card` with its signature when the card page sent them back. */
export type PayPageArrival = { from?: 'card' | undefined; sig?: string | undefined };

export async function getPayPage(ctx: Ctx, checkoutId: number, arrival: PayPageArrival = {}) {
  const fromCard = arrival.from === 'card';
  const checkout = await loadBuyerCheckout(ctx, checkoutId).catch(async (error: unknown) => {
    const signed = fromCard && arrival.sig && isCardReturnSignature(ctx.workshopId, checkoutId, arrival.sig);
    if (error instanceof NotFoundError && signed && !(await checkoutExists(checkoutId))) return null;
    throw error;
  });
  if (!checkout) return { kind: 'reset' as const };
  const payments = await prisma.payment.findMany({
    where: { checkoutId },
    orderBy: { id: 'desc' },
    select: {
      id: true,
      method: true,
      status: true,
      amount: true,
      failureCode: true,
      vaNumber: true,
      providerRef: true,
      expiresAt: true,
      paidAt: true,
      createdAt: true,
      attempts: { orderBy: { id: 'desc' }, take: 1, select: { outcome: true, declineCode: true } },
      refunds: { select: { id: true, orderId: true, amount: true, status: true } },
    },
  });
  const lastCard = payments.find((p) => p.method === 'card');
  const recorded =
    lastCard && lastCard.status === 'pending' && lastCard.attempts[0]?.outcome === 'declined' ? lastCard.attempts[0].declineCode : null;
  const lastDecline = (fromCard ? await declineOfOpenSession(checkoutId) : null) ?? recorded;
  return { kind: 'page' as const, checkout, ...bill(checkout), payments, lastDecline };
}
