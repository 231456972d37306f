// The tutor's reset of one workshop's practice marketplace. Inside one transaction it reads
// every row it is about to delete, writes them to a snapshot file, then deletes them; photo
// files go after the commit, and the card sessions of the deleted payments are closed (a card
// charged anyway is refunded by the payments feature); then the demo shops come back. Accounts,
// memberships and every questionnaire row stay; other workshops are never touched (every filter
// names workshopId).
// The training clock goes back to real time (clock.ts): the market starts again from now.
import fs from 'node:fs';
import path from 'node:path';
import { config } from '../../config.js';
import { prisma, type Tx } from '../../db.js';
import { ValidationError } from '../../errors.js';
import { assertRole, type WorkshopCtx } from '../workshops/workshops.service.js';
import { logoFiles } from '../shops/shops.service.js';
import { removeStoredFiles } from '../../http/uploads.js';
import { closeSessionsOfRemovedPayments } from '../payments/payments.service.js';
import { loadDemoShops } from './demo-shops.js';

/** What a reset deletes, in an order that respects foreign keys (children first). */
export const resetTables = [
  'botTasks',
  'withdrawals',
  'refunds',
  'paymentAttempts',
  'payments',
  'reviews',
  'orderEvents',
  'orderItems',
  'orders',
  'checkouts',
  'cartItems',
  'listingPhotos',
  'listings',
  'shops',
] as const;

export type ResetTable = (typeof resetTables)[number];
export type ResetCounts = Record<ResetTable, number>;

function filters(workshopId: number) {
  const inWorkshop = { workshopId };
  return {
    botTasks: inWorkshop,
    withdrawals: inWorkshop,
    refunds: { OR: [{ payment: inWorkshop }, { order: inWorkshop }] },
    paymentAttempts: { payment: inWorkshop },
    payments: inWorkshop,
    reviews: inWorkshop,
    orderEvents: { order: inWorkshop },
    orderItems: { order: inWorkshop },
    orders: inWorkshop,
    checkouts: inWorkshop,
    cartItems: inWorkshop,
    listingPhotos: inWorkshop,
    listings: inWorkshop,
    shops: inWorkshop,
  };
}

/** Each table's delegate, with the id order used in the snapshot. */
function delegates(db: Tx) {
  return {
    botTasks: db.botTask,
    withdrawals: db.withdrawal,
    refunds: db.refund,
    paymentAttempts: db.paymentAttempt,
    payments: db.payment,
    reviews: db.review,
    orderEvents: db.orderEvent,
    orderItems: db.orderItem,
    orders: db.order,
    checkouts: db.checkout,
    cartItems: db.cartItem,
    listingPhotos: db.listingPhoto,
    listings: db.listing,
    shops: db.shop,
  } as const;
}

type AnyDelegate = {
  count(args: { where: unknown }): Promise<number>;
  findMany(args: { where: unknown; orderBy: { id: 'asc' } }): Promise<Record<string, unknown>[]>;
  deleteMany(args: { where: unknown }): Promise<{ count: number }>;
};

function delegateOf(db: Tx, table: ResetTable): AnyDelegate {
  return delegates(db)[table] as unknown as AnyDelegate;
}

export async function countSandbox(workshopId: number, db: Tx = prisma): Promise<ResetCounts> {
  const where = filters(workshopId);
  const counts = {} as ResetCounts;
  for (const table of resetTables) counts[table] = await delegateOf(db, table).count({ where: where[table] });
  return counts;
}

export async function getResetPreview(ctx: WorkshopCtx) {
  assertRole(ctx, 'tutor', 'organizer');
  const [counts, accounts, responses] = await Promise.all([
    countSandbox(ctx.workshopId),
    prisma.membership.count({ where: { workshopId: ctx.workshopId } }),
    prisma.response.count({ where: { workshopId: ctx.workshopId } }),
  ]);
  return { counts, kept: { memberships: accounts, responses } };
}

export type SnapshotFile = {
  kind: 'pasarlatih-sandbox-snapshot';
  version: 1;
  workshop: { id: number; name: string };
  takenAt: string;
  takenBy: number;
  counts: ResetCounts;
  rows: Record<ResetTable, Record<string, unknown>[]>;
};

export type ResetResult = { snapshotFile: string; deleted: ResetCounts };

function snapshotName(workshopId: number, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `workshop-${workshopId}-${stamp}-${Math.random().toString(36).slice(2, 6)}.json`;
}

/** Deletes the workshop's marketplace after saving it to a snapshot; returns the file name. */
export async function resetSandbox(ctx: WorkshopCtx, confirmName: string): Promise<ResetResult> {
  assertRole(ctx, 'tutor', 'organizer');
  const workshop = await prisma.workshop.findUniqueOrThrow({ where: { id: ctx.workshopId }, select: { id: true, name: true } });
  if (confirmName.trim() !== workshop.name.trim()) throw new ValidationError({ confirmName: 'sandbox:reset.nameMismatch' });

  fs.mkdirSync(config.snapshotDir, { recursive: true });
  const takenAt = new Date();
  const fileName = snapshotName(workshop.id, takenAt);
  const file = path.join(config.snapshotDir, fileName);
  const where = filters(workshop.id);

  let photoFiles: string[] = [];
  let cardSessionIds: string[] = [];
  let deleted: ResetCounts;
  try {
    deleted = await prisma.$transaction(
      async (tx) => {
        const rows = {} as SnapshotFile['rows'];
        const counts = {} as ResetCounts;
        for (const table of resetTables) {
          rows[table] = await delegateOf(tx, table).findMany({ where: where[table], orderBy: { id: 'asc' } });
          counts[table] = rows[table].length;
        }
        const snapshot: SnapshotFile = {
          kind: 'pasarlatih-sandbox-snapshot',
          version: 1,
          workshop,
          takenAt: takenAt.toISOString(),
          takenBy: ctx.userId,
          counts,
          rows,
        };
        // Written (and flushed) before any row goes: no snapshot, no reset.
        fs.writeFileSync(file, JSON.stringify(snapshot, null, 1), { flag: 'wx' });
        photoFiles = [
          ...(rows.listingPhotos as { path: string; thumbPath: string }[]).flatMap((p) => [p.path, p.thumbPath]),
          ...(rows.shops as { logoPath: string | null }[]).flatMap((s) => (s.logoPath ? logoFiles(s.logoPath) : [])),
        ];
        // A trainee may be on the card page of one of these payments right now.
        cardSessionIds = (rows.payments as { method: string; status: string; providerRef: string | null }[])
          .filter((p) => p.method === 'card' && p.status === 'pending' && p.providerRef?.startsWith('cs_'))
          .map((p) => p.providerRef!);
        const removed = {} as ResetCounts;
        for (const table of resetTables) removed[table] = (await delegateOf(tx, table).deleteMany({ where: where[table] })).count;
        await tx.workshop.update({ where: { id: workshop.id }, data: { clockOffsetSeconds: 0 } });
        return removed;
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
  } catch (error) {
    fs.rmSync(file, { force: true });
    throw error;
  }
  await closeSessionsOfRemovedPayments(cardSessionIds);
  await removeStoredFiles(photoFiles);
  await loadDemoShops(workshop.id);
  return { snapshotFile: fileName, deleted };
}
