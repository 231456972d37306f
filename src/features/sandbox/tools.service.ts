// The tutor's tools page: everything that changes the practice market from above, in one place.
import { config } from '../../config.js';
import { prisma } from '../../db.js';
import { listStaffActions } from '../workshops/acting.service.js';
import { listParticipants } from '../workshops/participants.js';
import { assertRole, type WorkshopCtx } from '../workshops/workshops.service.js';
import { loadDemoShops } from './demo-shops.js';
import { listSnapshots } from './reset.service.js';

export async function getTutorTools(ctx: WorkshopCtx) {
  assertRole(ctx, 'tutor', 'organizer');
  const [participants, snapshots, log, demoShops] = await Promise.all([
    listParticipants(ctx.workshopId),
    listSnapshots(ctx),
    listStaffActions(ctx),
    prisma.shop.count({ where: { workshopId: ctx.workshopId, isDemo: true } }),
  ]);
  return { participants, snapshots, log, demoShops, paymentsDashboard: config.paymentSandbox.enabled };
}

/** Loads the demo shops into a workshop created without them (loading twice changes nothing). */
export async function addDemoShops(ctx: WorkshopCtx): Promise<void> {
  assertRole(ctx, 'tutor', 'organizer');
  await loadDemoShops(ctx.workshopId);
}
