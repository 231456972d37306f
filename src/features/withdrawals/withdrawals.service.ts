// "Tarik saldo": a seller moves money from her available balance to a bank account, all
// simulated (no money exists in PasarLatih). Only the available balance can go: never money the
// marketplace still holds for orders on their way, never more than is there, whoever else
// withdraws at the same moment. A withdrawal is processing for a while on the workshop's clock,
// then completed; its receipt is stamped SIMULASI.
import { isUniqueViolation, prisma } from '../../db.js';
import { NotFoundError, RefusedError, ValidationError } from '../../errors.js';
import type { DomainEvents } from '../../events.js';
import { randomString } from '../../lib/random.js';
import { logger } from '../../logger.js';
import { applyOrderDeadlines, sellerBalance } from '../orders/orders.service.js';
import { workshopClocks, workshopNow } from '../workshops/clock.js';
import { assertRole, type WorkshopCtx } from '../workshops/workshops.service.js';
import type { WithdrawalInput } from './withdrawals.schemas.js';

/** How long the (simulated) bank takes, on the workshop's clock. */
export const WITHDRAWAL_PROCESSING_MS = 15 * 60 * 1000;

const txOptions = { maxWait: 30_000, timeout: 30_000 };

async function findOwnShop(ctx: WorkshopCtx) {
  return prisma.shop.findUnique({
    where: { workshopId_ownerId: { workshopId: ctx.workshopId, ownerId: ctx.userId } },
    select: { id: true, name: true },
  });
}

/** "SIM-WD-" and ten characters people can read aloud. */
function newReference(): string {
  return `SIM-WD-${randomString('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 10)}`;
}

/** Withdrawals whose processing time has passed on the workshop's clock arrive at the bank. */
export async function completeDueWithdrawals(now: Date, scope: { workshopId: number }): Promise<number> {
  const due = await prisma.withdrawal.findMany({
    where: { workshopId: scope.workshopId, status: 'processing', completesAt: { lte: now } },
    select: { id: true, completesAt: true },
    take: 500,
  });
  let completed = 0;
  for (const w of due) {
    const moved = await prisma.withdrawal.updateMany({
      where: { id: w.id, status: 'processing' },
      data: { status: 'completed', completedAt: w.completesAt },
    });
    completed += moved.count;
  }
  return completed;
}

/** The job: every workshop's due withdrawals, each on its own clock. */
export async function completeWithdrawalsEverywhere(): Promise<void> {
  for (const { workshopId, now } of await workshopClocks()) {
    const completed = await completeDueWithdrawals(now, { workshopId });
    if (completed) logger.info({ workshopId, completed }, 'withdrawals completed');
  }
}

/** On workshopClockMoved: what the move made due arrives now. */
export async function completeWithdrawalsOnClockMove({ workshopId, now }: DomainEvents['workshopClockMoved']): Promise<void> {
  await completeDueWithdrawals(now, { workshopId });
}

/** The seller's balance page: held and available money, what was withdrawn, the form's defaults. */
export async function getBalancePage(ctx: WorkshopCtx, now = workshopNow(ctx)) {
  const shop = await findOwnShop(ctx);
  if (!shop) return { shop: null, balance: { held: 0, available: 0 }, withdrawals: [], processing: 0, lastAccount: null };
  // Nothing waits for the jobs: what is due on the workshop's clock is applied before reading.
  await applyOrderDeadlines(now, { workshopId: ctx.workshopId });
  await completeDueWithdrawals(now, { workshopId: ctx.workshopId });
  const [balance, withdrawals] = await Promise.all([
    sellerBalance(shop.id),
    prisma.withdrawal.findMany({
      where: { shopId: shop.id },
      orderBy: { id: 'desc' },
      take: 50,
      select: {
        id: true,
        amount: true,
        bankName: true,
        accountNumber: true,
        accountHolder: true,
        reference: true,
        status: true,
        requestedAt: true,
        completesAt: true,
        completedAt: true,
      },
    }),
  ]);
  const processing = withdrawals.filter((w) => w.status === 'processing').reduce((sum, w) => sum + w.amount, 0);
  const last = withdrawals[0];
  const lastAccount = last ? { bankName: last.bankName, accountNumber: last.accountNumber, accountHolder: last.accountHolder } : null;
  return { shop, balance, withdrawals, processing, lastAccount };
}

/**
 * Withdraws from the available balance, in one transaction: the shop's last `seq` is read first,
 * then the balance, then the withdrawal is written with the next `seq`, which is unique per shop.
 * Of two withdrawals racing for the same money, one commits and the other sees it in its balance
 * (refused as more than available) or takes the same `seq` (refused as changed meanwhile). In that
 * order it holds on PostgreSQL, where each statement sees what was committed before it began: if
 * the balance read missed a withdrawal, the earlier `seq` read missed it too, and the two take the
 * same `seq` (or one already taken). Read the other way round, as before, a withdrawal committing
 * between the two reads was missing from the balance but counted in `seq`, and both went through:
 * seen once in CI on PostgreSQL.
 */
export async function requestWithdrawal(ctx: WorkshopCtx, input: WithdrawalInput, now = workshopNow(ctx)): Promise<number> {
  assertRole(ctx, 'trainee');
  const shop = await findOwnShop(ctx);
  if (!shop) throw new RefusedError('withdrawals:errors.noShop');
  try {
    return await prisma.$transaction(async (tx) => {
      const last = await tx.withdrawal.aggregate({ where: { shopId: shop.id }, _max: { seq: true } });
      const { available } = await sellerBalance(shop.id, tx);
      if (input.amount > available) throw new ValidationError({ amount: 'withdrawals:validation.overBalance' });
      const created = await tx.withdrawal.create({
        data: {
          workshopId: ctx.workshopId,
          shopId: shop.id,
          seq: (last._max.seq ?? 0) + 1,
          amount: input.amount,
          bankName: input.bankName,
          accountNumber: input.accountNumber,
          accountHolder: input.accountHolder,
          reference: newReference(),
          requestedAt: now,
          completesAt: new Date(now.getTime() + WITHDRAWAL_PROCESSING_MS),
        },
        select: { id: true },
      });
      return created.id;
    }, txOptions);
  } catch (error) {
    if (isUniqueViolation(error)) throw new RefusedError('withdrawals:errors.changedMeanwhile');
    throw error;
  }
}

/** The receipt of one of the seller's withdrawals (anyone else: 404). */
export async function getWithdrawalReceipt(ctx: WorkshopCtx, withdrawalId: number, now = workshopNow(ctx)) {
  await completeDueWithdrawals(now, { workshopId: ctx.workshopId });
  const withdrawal = await prisma.withdrawal.findFirst({
    where: { id: withdrawalId, workshopId: ctx.workshopId, shop: { ownerId: ctx.userId } },
    select: {
      id: true,
      amount: true,
      bankName: true,
      accountNumber: true,
      accountHolder: true,
      reference: true,
      status: true,
      requestedAt: true,
      completesAt: true,
      completedAt: true,
      shop: { select: { name: true } },
    },
  });
  if (!withdrawal) throw new NotFoundError(`Withdrawal ${withdrawalId} is not this seller's`);
  return withdrawal;
}

/** "1234567890" → "••••••7890": a receipt shows only the end of the account number. */
export function maskAccountNumber(accountNumber: string): string {
  return `${'•'.repeat(Math.max(0, accountNumber.length - 4))}${accountNumber.slice(-4)}`;
}
