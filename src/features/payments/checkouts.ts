// A buyer's checkout as the payment pages see it: what is still due, for how much, until when.
import { prisma, type Tx } from '../../db.js';
import { NotFoundError } from '../../errors.js';
import type { WorkshopCtx } from '../workshops/workshops.service.js';

// Only the checkout's buyer (a trainee: only trainees place orders) finds it; anyone else gets a 404.
export type Ctx = Pick<WorkshopCtx, 'workshopId' | 'userId' | 'role'>;

export type PaymentMethod = 'card' | 'va' | 'qris' | 'cod';

export const txOptions = { maxWait: 30_000, timeout: 30_000 };

const checkoutSelect = {
  id: true,
  workshopId: true,
  buyerId: true,
  total: true,
  paymentMethod: true,
  orders: {
    orderBy: { id: 'asc' },
    select: { id: true, status: true, total: true, paymentDueAt: true, shop: { select: { id: true, name: true } } },
  },
} as const;

export async function loadBuyerCheckout(ctx: Ctx, checkoutId: number, db: Tx = prisma) {
  const checkout = await db.checkout.findFirst({
    where: { id: checkoutId, workshopId: ctx.workshopId, buyerId: ctx.userId },
    select: checkoutSelect,
  });
  if (!checkout) throw new NotFoundError(`Checkout ${checkoutId} is not this buyer's`);
  return checkout;
}

/** Whether a checkout of that id exists at all (a reset deletes them; ids are never reused). */
export async function checkoutExists(checkoutId: number): Promise<boolean> {
  return (await prisma.checkout.count({ where: { id: checkoutId } })) > 0;
}

export type LoadedCheckout = Awaited<ReturnType<typeof loadBuyerCheckout>>;

/** The orders still awaiting payment and what they cost together. */
export function bill(checkout: LoadedCheckout) {
  const due = checkout.orders.filter((o) => o.status === 'menunggu_pembayaran');
  const amount = due.reduce((sum, o) => sum + o.total, 0);
  const dueAt = due.reduce<Date | null>((min, o) => (!min || o.paymentDueAt < min ? o.paymentDueAt : min), null);
  return { due, amount, orderIds: due.map((o) => o.id).join(','), dueAt };
}

/** Once a checkout is paid, its other simulated bills can no longer be paid. */
export async function closeOtherPayments(tx: Tx, checkoutId: number, paidId: number): Promise<void> {
  const awaiting = await tx.order.count({ where: { checkoutId, status: 'menunggu_pembayaran' } });
  if (awaiting) return;
  await tx.payment.updateMany({
    where: { checkoutId, id: { not: paidId }, status: 'pending', method: { in: ['va', 'qris'] } },
    data: { status: 'cancelled' },
  });
}

/** The shops a simulated bill or receipt pays, each once. */
export const shopNames = (orders: { shop: { name: string } }[]) => [...new Set(orders.map((o) => o.shop.name))];
