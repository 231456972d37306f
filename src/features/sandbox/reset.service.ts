// The tutor's reset of one workshop's practice marketplace. Inside one transaction it reads
// every row it is about to delete, writes them to a snapshot file, then deletes them; photo
// files (listings', logos, chats') move into the snapshot's folder after the commit, and the card sessions of the deleted
// payments are closed (a card charged anyway is refunded by the payments feature); then the demo
// shops come back. Accounts, memberships and every questionnaire row stay; other workshops are
// never touched (every filter names workshopId). The training clock goes back to real time
// (clock.ts): the market starts again from now. A snapshot can be restored: the market as it is
// now is snapshotted and cleared the same way, then the snapshot's rows and photos come back.
import fs from 'node:fs';
import path from 'node:path';
import { config } from '../../config.js';
import { prisma, type Tx } from '../../db.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import { assertRole, type WorkshopCtx } from '../workshops/workshops.service.js';
import { logoFiles } from '../shops/shops.service.js';
import { keepStoredFiles, restoreStoredFiles } from '../../http/uploads.js';
import { closeSessionsOfRemovedPayments } from '../payments/payments.service.js';
import { loadDemoShops } from './demo-shops.js';

/** What a reset deletes, in an order that respects foreign keys (children first). */
export const resetTables = [
  'chatMessages',
  'chatThreads',
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
    chatMessages: { thread: inWorkshop },
    chatThreads: inWorkshop,
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
    chatMessages: db.chatMessage,
    chatThreads: db.chatThread,
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

/** What the tutor types to confirm the whole-market reset: short, the same in both languages. */
export const RESET_WORD = 'RESET';

function snapshotName(workshopId: number, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `workshop-${workshopId}-${stamp}-${Math.random().toString(36).slice(2, 6)}.json`;
}

/** A snapshot's photos and logos are kept beside it, in a folder of the same name. */
const keptFilesDir = (fileName: string) => path.join(config.snapshotDir, fileName.replace(/\.json$/, '.files'));

function storedFilesOf(rows: SnapshotFile['rows']): (string | null)[] {
  return [
    ...(rows.listingPhotos as { path: string; thumbPath: string }[]).flatMap((p) => [p.path, p.thumbPath]),
    ...(rows.chatMessages as { photoPath: string | null; photoThumbPath: string | null }[]).flatMap((m) => [m.photoPath, m.photoThumbPath]),
    ...(rows.shops as { logoPath: string | null }[]).flatMap((s) => (s.logoPath ? logoFiles(s.logoPath) : [])),
  ];
}

/**
 * Inside the transaction: saves every marketplace row of the workshop to a new snapshot file, then
 * deletes them. Returns the file, the counts and the stored files to move once the rows are gone.
 */
async function snapshotAndClear(tx: Tx, workshop: { id: number; name: string }, takenBy: number, fileName: string) {
  const where = filters(workshop.id);
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
    takenAt: new Date().toISOString(),
    takenBy,
    counts,
    rows,
  };
  // Written (and flushed) before any row goes: no snapshot, no reset.
  fs.writeFileSync(path.join(config.snapshotDir, fileName), JSON.stringify(snapshot, null, 1), { flag: 'wx' });
  const removed = {} as ResetCounts;
  for (const table of resetTables) removed[table] = (await delegateOf(tx, table).deleteMany({ where: where[table] })).count;
  // A trainee may be on the card page of one of these payments right now.
  const cardSessionIds = (rows.payments as { method: string; status: string; providerRef: string | null }[])
    .filter((p) => p.method === 'card' && p.status === 'pending' && p.providerRef?.startsWith('cs_'))
    .map((p) => p.providerRef!);
  return { removed, files: storedFilesOf(rows), cardSessionIds };
}

/** Runs `work` between a snapshot of the market and the commit; the snapshot file goes if anything fails. */
async function withClearedMarket<T>(
  ctx: WorkshopCtx,
  work: (tx: Tx) => Promise<T>,
): Promise<{ fileName: string; removed: ResetCounts; result: T }> {
  const workshop = await prisma.workshop.findUniqueOrThrow({ where: { id: ctx.workshopId }, select: { id: true, name: true } });
  fs.mkdirSync(config.snapshotDir, { recursive: true });
  const fileName = snapshotName(workshop.id, new Date());
  let files: (string | null)[] = [];
  let cardSessionIds: string[] = [];
  try {
    const done = await prisma.$transaction(
      async (tx) => {
        const cleared = await snapshotAndClear(tx, workshop, ctx.userId, fileName);
        files = cleared.files;
        cardSessionIds = cleared.cardSessionIds;
        return { removed: cleared.removed, result: await work(tx) };
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
    await closeSessionsOfRemovedPayments(cardSessionIds);
    await keepStoredFiles(files, keptFilesDir(fileName));
    return { fileName, ...done };
  } catch (error) {
    fs.rmSync(path.join(config.snapshotDir, fileName), { force: true });
    throw error;
  }
}

/** Deletes the workshop's marketplace after saving it to a snapshot; returns the file name. */
export async function resetSandbox(ctx: WorkshopCtx, confirmWord: string): Promise<ResetResult> {
  assertRole(ctx, 'tutor', 'organizer');
  if (confirmWord.trim().toUpperCase() !== RESET_WORD) throw new ValidationError({ confirmWord: 'sandbox:reset.wordMismatch' });
  const { fileName, removed } = await withClearedMarket(ctx, async (tx) => {
    await tx.workshop.update({ where: { id: ctx.workshopId }, data: { clockOffsetSeconds: 0 } });
  });
  await loadDemoShops(ctx.workshopId);
  return { snapshotFile: fileName, deleted: removed };
}

export type SnapshotSummary = { file: string; takenAt: Date; counts: Pick<ResetCounts, 'shops' | 'listings' | 'orders'> };

const snapshotFilePattern = (workshopId: number) => new RegExp(`^workshop-${workshopId}-\\d{8}T\\d{6}Z-[a-z0-9]+\\.json$`);

function readSnapshot(workshopId: number, file: string): SnapshotFile {
  if (!snapshotFilePattern(workshopId).test(file)) throw new NotFoundError(`No snapshot ${file} of workshop ${workshopId}`);
  const full = path.join(config.snapshotDir, file);
  if (!fs.existsSync(full)) throw new NotFoundError(`No snapshot ${file}`);
  const snapshot = JSON.parse(fs.readFileSync(full, 'utf8')) as SnapshotFile;
  if (snapshot.kind !== 'pasarlatih-sandbox-snapshot' || snapshot.version !== 1 || snapshot.workshop?.id !== workshopId)
    throw new NotFoundError(`${file} is not a snapshot of workshop ${workshopId}`);
  // Snapshots taken before a table joined the reset (the chats) have none of its rows.
  for (const table of resetTables) snapshot.rows[table] ??= [];
  return snapshot;
}

/** The workshop's snapshots, newest first (each reset and each restore saves one). */
export async function listSnapshots(ctx: WorkshopCtx): Promise<SnapshotSummary[]> {
  assertRole(ctx, 'tutor', 'organizer');
  if (!fs.existsSync(config.snapshotDir)) return [];
  const pattern = snapshotFilePattern(ctx.workshopId);
  return fs
    .readdirSync(config.snapshotDir)
    .filter((file) => pattern.test(file))
    .map((file) => {
      const snapshot = readSnapshot(ctx.workshopId, file);
      const { shops, listings, orders } = snapshot.counts;
      return { file, takenAt: new Date(snapshot.takenAt), counts: { shops, listings, orders } };
    })
    .sort((x, y) => y.takenAt.getTime() - x.takenAt.getTime() || y.file.localeCompare(x.file));
}

/** Parents first, so every row finds the rows it points to. */
const restoreOrder = [...resetTables].reverse();

/**
 * Puts a snapshot's market back: the market as it is now is saved to a new snapshot and cleared
 * (so a restore can be undone the same way), then the snapshot's rows come back with their ids,
 * and its photos with them.
 */
export async function restoreSnapshot(ctx: WorkshopCtx, file: string): Promise<{ snapshotFile: string }> {
  assertRole(ctx, 'tutor', 'organizer');
  const snapshot = readSnapshot(ctx.workshopId, file);
  const { fileName } = await withClearedMarket(ctx, async (tx) => {
    for (const table of restoreOrder) {
      const rows = snapshot.rows[table];
      if (rows.length)
        await (delegates(tx)[table] as unknown as { createMany(args: { data: unknown[] }): Promise<unknown> }).createMany({ data: rows });
    }
    await tx.staffAction.create({ data: { workshopId: ctx.workshopId, staffId: ctx.userId, action: 'snapshot.restore', detail: file } });
  });
  await restoreStoredFiles(storedFilesOf(snapshot.rows), keptFilesDir(file));
  return { snapshotFile: fileName };
}
