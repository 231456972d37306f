// The one source of demo data: the first start, `npm run db:seed`, the tests and (for the
// marketplace part) the tutor's reset all load it from here; its names are in demo-accounts.ts.
import { prisma } from '../../db.js';
import { hashPassword } from '../auth/auth.service.js';
import { fromDateInputValue } from '../../lib/dates.js';
import { config } from '../../config.js';
import { applyDefaultAgenda } from '../agenda/agenda.service.js';
import { loadDemoQuestionnaires } from '../questionnaires/questionnaires.demo.js';
import { DEMO_JOIN_CODE, DEMO_PASSWORD, demoAccountList, demoAccounts, demoWorkshop } from './demo-accounts.js';
import { loadDemoShops } from './demo-shops.js';

/** Each feature's demo content for a new workshop (shops, questionnaires…), in this order. */
export type WorkshopDemoLoader = (workshopId: number) => Promise<void>;
const workshopDemoLoaders: WorkshopDemoLoader[] = [loadDemoQuestionnaires, loadDemoShops];

/** Creates the demo accounts and workshop when they are missing; returns the workshop id. */
export async function loadDemoData(): Promise<number> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const users = new Map<string, number>();
  for (const account of demoAccountList) {
    const user = await prisma.user.upsert({
      where: { username: account.username },
      create: { username: account.username, displayName: account.displayName, role: account.role, passwordHash },
      update: {},
      select: { id: true },
    });
    users.set(account.username, user.id);
  }
  const existing = await prisma.workshop.findUnique({ where: { joinCode: DEMO_JOIN_CODE }, select: { id: true } });
  if (existing) return existing.id;

  const today = new Date().toISOString().slice(0, 10);
  const tomorrow = new Date(Date.now() + 24 * 3600 * 1000).toISOString().slice(0, 10);
  const workshop = await prisma.workshop.create({
    data: {
      name: demoWorkshop.name,
      city: demoWorkshop.city,
      venue: demoWorkshop.venue,
      startDate: fromDateInputValue(today, config.timezone),
      endDate: fromDateInputValue(tomorrow, config.timezone),
      joinCode: DEMO_JOIN_CODE,
      botsPaused: config.marketBotsPausedAtStart,
      createdById: users.get(demoAccounts.organizer.username)!,
      sessions: { create: demoWorkshop.sessions.map((name, position) => ({ name, position })) },
      memberships: {
        create: demoAccountList.filter((a) => a.workshopRole).map((a) => ({ userId: users.get(a.username)!, role: a.workshopRole! })),
      },
    },
    select: { id: true },
  });
  await applyDefaultAgenda(workshop.id);
  for (const load of workshopDemoLoaders) await load(workshop.id);
  return workshop.id;
}
