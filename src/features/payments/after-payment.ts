import { prisma } from '../../db.js';
import { logger } from '../../logger.js';
import { settlePendingRefunds } from './refunds.js';
import { expireSessionQuietly } from './stripe-client.js';

/** After a payment committed: send pending refunds and close the checkout's other open sessions. */
export async function afterPaymentCommitted(checkoutId: number): Promise<void> {
  try {
    await settlePendingRefunds({ checkoutId });
    const awaiting = await prisma.order.count({ where: { checkoutId, status: 'menunggu_pembayaran' } });
    if (awaiting) return;
    const open = await prisma.payment.findMany({
      where: { checkoutId, method: 'card', status: 'pending' },
      select: { id: true, providerRef: true },
    });
    for (const p of open) {
      if (!p.providerRef || p.providerRef.startsWith('pending:')) continue;
      await expireSessionQuietly(p.providerRef);
    }
  } catch (error) {
    logger.warn({ err: error, checkoutId }, 'after-payment work failed; the job retries');
  }
}
