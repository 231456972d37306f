// The Indonesian methods simulated inside the app: a virtual account paid in a simulated
// m-banking, and QRIS paid in a simulated e-wallet, each with a receipt stamped SIMULASI.
import { prisma, type Tx } from '../../db.js';
import { NotFoundError, RefusedError, ValidationError } from '../../errors.js';
import { randomString } from '../../lib/random.js';
import { markOrdersPaid } from '../orders/orders.service.js';
import { afterPaymentCommitted } from './after-payment.js';
import { bill, closeOtherPayments, loadBuyerCheckout, shopNames, txOptions, type Ctx } from './checkouts.js';

const randomDigits = (n: number) => randomString('0123456789', n);

/** Bank code prefix 8808 (the sandbox "Bank Latihan") and 12 digits. */
export function newVaNumber(): string {
  return `8808${randomDigits(12)}`;
}

/** The reference of a simulated refund (VA, QRIS), as a bank would give one. */
export function simulatedRefundRef(refundId: number): string {
  return `SIM-RF-${refundId}-${randomDigits(6)}`;
}

export function formatVaNumber(va: string): string {
  return va.replace(/(\d{4})(?=\d)/g, '$1 ');
}

const SIM_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function newQrisRef(): string {
  return `QRIS-${randomString(SIM_CHARS, 10)}`;
}

/** The PIN of the simulated e-wallet, shown on its page (a real PIN is never typed anywhere but the wallet app). */
export const SIMULATED_PIN = '123456';

async function startSimulatedBill(ctx: Ctx, checkoutId: number, method: 'va' | 'qris', now: Date): Promise<number> {
  return prisma.$transaction(async (tx) => {
    const checkout = await loadBuyerCheckout(ctx, checkoutId, tx);
    const { due, amount, dueAt } = bill(checkout);
    if (!due.length) throw new RefusedError('payments:errors.nothingToPay');
    const existing = await tx.payment.findFirst({
      where: { checkoutId, method, status: 'pending' },
      orderBy: { id: 'desc' },
      select: { id: true, amount: true, expiresAt: true },
    });
    if (existing && existing.amount === amount && (!existing.expiresAt || existing.expiresAt > now)) return existing.id;
    // Only a bill still pending is cancelled: one paid meanwhile stays paid.
    if (existing) await tx.payment.updateMany({ where: { id: existing.id, status: 'pending' }, data: { status: 'cancelled' } });
    const ref = method === 'va' ? newVaNumber() : newQrisRef();
    const payment = await tx.payment.create({
      data: {
        workshopId: ctx.workshopId,
        checkoutId,
        method,
        status: 'pending',
        amount,
        providerRef: ref,
        vaNumber: method === 'va' ? ref : null,
        expiresAt: dueAt,
        createdAt: now,
      },
      select: { id: true },
    });
    return payment.id;
  }, txOptions);
}

export const startVirtualAccount = (ctx: Ctx, checkoutId: number, now = new Date()) => startSimulatedBill(ctx, checkoutId, 'va', now);
export const startQris = (ctx: Ctx, checkoutId: number, now = new Date()) => startSimulatedBill(ctx, checkoutId, 'qris', now);

/** The latest open bill of this method for the buyer's checkout (VA or QRIS page). */
export async function getSimulatedBill(ctx: Ctx, checkoutId: number, method: 'va' | 'qris') {
  const checkout = await loadBuyerCheckout(ctx, checkoutId);
  const payment = await prisma.payment.findFirst({
    where: { checkoutId, method },
    orderBy: { id: 'desc' },
    select: { id: true, status: true, amount: true, providerRef: true, vaNumber: true, expiresAt: true, paidAt: true },
  });
  if (!payment) throw new NotFoundError(`No ${method} bill for checkout ${checkoutId}`);
  return { checkout, payment };
}

/** A bill the signed-in buyer may pay in the simulated bank / wallet (someone else's is "unknown"). */
async function findOwnBill(tx: Tx, ctx: Ctx, method: 'va' | 'qris', ref: string) {
  return tx.payment.findFirst({
    where: { providerRef: ref, method, workshopId: ctx.workshopId, checkout: { buyerId: ctx.userId } },
    select: {
      id: true,
      checkoutId: true,
      amount: true,
      status: true,
      expiresAt: true,
      checkout: { select: { orders: { select: { id: true, status: true, total: true } } } },
    },
  });
}

async function paySimulated(
  tx: Tx,
  bill: NonNullable<Awaited<ReturnType<typeof findOwnBill>>>,
  method: 'va' | 'qris',
  now: Date,
  field: string,
): Promise<{ id: number; checkoutId: number }> {
  if (bill.status === 'succeeded') throw new ValidationError({ [field]: 'payments:sim.alreadyPaid' });
  if (bill.status !== 'pending' || (bill.expiresAt && bill.expiresAt <= now))
    throw new ValidationError({ [field]: 'payments:sim.expired' });
  const due = bill.checkout.orders.filter((o) => o.status === 'menunggu_pembayaran');
  const dueAmount = due.reduce((s, o) => s + o.total, 0);
  if (!due.length) throw new ValidationError({ [field]: 'payments:sim.nothingDue' });
  if (dueAmount !== bill.amount) throw new ValidationError({ [field]: 'payments:sim.billChanged' });
  const moved = await tx.payment.updateMany({ where: { id: bill.id, status: 'pending' }, data: { status: 'succeeded', paidAt: now } });
  if (moved.count !== 1) throw new ValidationError({ [field]: 'payments:sim.alreadyPaid' });
  await tx.checkout.update({ where: { id: bill.checkoutId }, data: { paymentMethod: method } });
  // An order its seller cancelled (or the clock expired) after the bill was read above is not
  // paid: the buyer would pay for it and get nothing. The whole payment is refused instead.
  const { paidOrderIds } = await markOrdersPaid(tx, bill.checkoutId, now);
  if (paidOrderIds.length !== due.length) throw new ValidationError({ [field]: 'payments:sim.billChanged' });
  await closeOtherPayments(tx, bill.checkoutId, bill.id);
  return { id: bill.id, checkoutId: bill.checkoutId };
}

/** The simulated mobile banking: the VA number and the exact amount, or a refusal. */
export async function payVirtualAccount(ctx: Ctx, input: { vaNumber: string; amount: number }, now = new Date()): Promise<number> {
  const paid = await prisma.$transaction(async (tx) => {
    const bill = await findOwnBill(tx, ctx, 'va', input.vaNumber);
    if (!bill) throw new ValidationError({ vaNumber: 'payments:mbanking.unknownVa' });
    if (bill.status === 'pending' && input.amount !== bill.amount) throw new ValidationError({ amount: 'payments:mbanking.wrongAmount' });
    return paySimulated(tx, bill, 'va', now, 'vaNumber');
  }, txOptions);
  await afterPaymentCommitted(paid.checkoutId);
  return paid.id;
}

/** The simulated e-wallet: what the QR code asks for. */
export async function getQrisBill(ctx: Ctx, ref: string) {
  const bill = await prisma.payment.findFirst({
    where: { providerRef: ref, method: 'qris', workshopId: ctx.workshopId, checkout: { buyerId: ctx.userId } },
    select: {
      id: true,
      amount: true,
      status: true,
      expiresAt: true,
      providerRef: true,
      checkoutId: true,
      checkout: { select: { orders: { select: { shop: { select: { name: true } } } } } },
    },
  });
  if (!bill) throw new NotFoundError(`QRIS ${ref} is not this buyer's`);
  return { ...bill, merchants: shopNames(bill.checkout.orders) };
}

export async function payQris(ctx: Ctx, input: { ref: string; pin: string }, now = new Date()): Promise<number> {
  const paid = await prisma.$transaction(async (tx) => {
    const bill = await findOwnBill(tx, ctx, 'qris', input.ref);
    if (!bill) throw new NotFoundError(`QRIS ${input.ref} is not this buyer's`);
    if (input.pin !== SIMULATED_PIN) throw new ValidationError({ pin: 'payments:ewallet.wrongPin' });
    return paySimulated(tx, bill, 'qris', now, 'pin');
  }, txOptions);
  await afterPaymentCommitted(paid.checkoutId);
  return paid.id;
}

/** A receipt of a simulated payment (stamped SIMULASI), for the checkout's buyer. */
export async function getReceipt(ctx: Ctx, paymentId: number) {
  const payment = await prisma.payment.findFirst({
    where: {
      id: paymentId,
      workshopId: ctx.workshopId,
      checkout: { buyerId: ctx.userId },
      status: 'succeeded',
      method: { in: ['va', 'qris', 'cod'] },
    },
    select: {
      id: true,
      method: true,
      amount: true,
      providerRef: true,
      vaNumber: true,
      paidAt: true,
      checkoutId: true,
      checkout: { select: { buyer: { select: { displayName: true } }, orders: { select: { shop: { select: { name: true } } } } } },
    },
  });
  if (!payment) throw new NotFoundError(`Receipt ${paymentId} is not this buyer's`);
  return { ...payment, merchants: shopNames(payment.checkout.orders) };
}
