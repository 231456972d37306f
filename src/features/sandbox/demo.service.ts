// The one source of demo data: the first start, `npm run db:seed`, the tests and (for the
// marketplace part) the tutor's reset all load it from here.
import { prisma } from '../../db.js';
import { hashPassword } from '../auth/auth.service.js';
import type { Role } from '../../users.js';
import { fromDateInputValue } from '../../lib/dates.js';
import { config } from '../../config.js';
import { loadDemoQuestionnaires } from '../questionnaires/questionnaires.demo.js';
import { loadDemoShops } from './demo-shops.js';

/** Shared by every demo account; printed at start and written in the README. */
export const DEMO_PASSWORD = 'latihan123';

export const DEMO_JOIN_CODE = 'DPS226';

export const demoAccounts: { username: string; displayName: string; role: Role; workshopRole?: 'organizer' | 'tutor' | 'trainee' }[] = [
  { username: 'admin', displayName: 'Admin PasarLatih', role: 'admin' },
  { username: 'penyelenggara', displayName: 'Ibu Ketut Sari (Penyelenggara)', role: 'organizer', workshopRole: 'organizer' },
  { username: 'fasilitator', displayName: 'Pak Wayan Adi (Fasilitator)', role: 'tutor', workshopRole: 'tutor' },
  { username: 'siti', displayName: 'Siti Aminah', role: 'trainee', workshopRole: 'trainee' },
  { username: 'dewi', displayName: 'Ni Luh Dewi', role: 'trainee', workshopRole: 'trainee' },
  { username: 'komang', displayName: 'Komang Ayu', role: 'trainee', workshopRole: 'trainee' },
];

export const demoWorkshop = {
  name: 'Pelatihan E-Commerce UMKM Perempuan Denpasar',
  city: 'Denpasar',
  venue: 'Gedung Dharma Negara Alaya',
  sessions: ['Hari 1 – Sesi 1', 'Hari 1 – Sesi 2', 'Hari 2'],
};

/** Each feature's demo content for a new workshop (shops, questionnaires…), in this order. */
export type WorkshopDemoLoader = (workshopId: number) => Promise<void>;
const workshopDemoLoaders: WorkshopDemoLoader[] = [loadDemoQuestionnaires, loadDemoShops];

/** Creates the demo accounts and workshop when they are missing; returns the workshop id. */
export async function loadDemoData(): Promise<number> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const users = new Map<string, number>();
  for (const account of demoAccounts) {
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
      createdById: users.get('penyelenggara')!,
      sessions: { create: demoWorkshop.sessions.map((name, position) => ({ name, position })) },
      memberships: {
        create: demoAccounts.filter((a) => a.workshopRole).map((a) => ({ userId: users.get(a.username)!, role: a.workshopRole! })),
      },
    },
    select: { id: true },
  });
  for (const load of workshopDemoLoaders) await load(workshop.id);
  return workshop.id;
}
