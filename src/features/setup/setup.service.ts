// A workshop ready for its two days: created with what it needs (the default agenda, the pre/post
// questionnaires, the demo shops: offered and ticked on the form), and a checklist on its home that
// shows organizers what is still missing. Also the home itself, which brings these together.
import { prisma } from '../../db.js';
import type { CurrentUser } from '../../users.js';
import { agendaIsComplete, applyDefaultAgenda, loadAgenda } from '../agenda/agenda.service.js';
import { getMyMissions, type MyMissions } from '../missions/missions.service.js';
import { loadDemoQuestionnaires } from '../questionnaires/questionnaires.demo.js';
import { loadDemoShops } from '../sandbox/demo-shops.js';
import { createWorkshop, getWorkshopDetails, isStaff, type WorkshopCtx } from '../workshops/workshops.service.js';
import type { WorkshopInput } from '../workshops/workshops.schemas.js';

export type WorkshopExtras = { defaultAgenda: boolean; questionnaires: boolean; demoShops: boolean };

/** Creates the workshop, then puts in what was ticked: agenda first (the questionnaires attach to its sessions). */
export async function createWorkshopWithExtras(organizer: CurrentUser, input: WorkshopInput, extras: WorkshopExtras): Promise<number> {
  const workshopId = await createWorkshop(organizer, input);
  if (extras.defaultAgenda) await prisma.$transaction((tx) => applyDefaultAgenda(workshopId, tx));
  if (extras.questionnaires) await loadDemoQuestionnaires(workshopId);
  if (extras.demoShops) await loadDemoShops(workshopId);
  return workshopId;
}

export const checklistItems = ['tutor', 'questionnaires', 'demoShops', 'agenda', 'joinOpen'] as const;
export type ChecklistItem = (typeof checklistItems)[number];
export type Checklist = { item: ChecklistItem; done: boolean; href: string }[];

export async function getSetupChecklist(ctx: WorkshopCtx): Promise<Checklist> {
  const w = ctx.workshopId;
  const [tutors, pre, post, demoShops, agenda] = await Promise.all([
    prisma.membership.count({ where: { workshopId: w, role: 'tutor' } }),
    prisma.form.count({ where: { workshopId: w, kind: 'pre' } }),
    prisma.form.count({ where: { workshopId: w, kind: 'post' } }),
    prisma.shop.count({ where: { workshopId: w, isDemo: true } }),
    loadAgenda(w),
  ]);
  const base = `/workshops/${w}`;
  const done: Record<ChecklistItem, boolean> = {
    tutor: tutors > 0,
    questionnaires: pre > 0 && post > 0,
    demoShops: demoShops > 0,
    agenda: agendaIsComplete(agenda),
    joinOpen: ctx.workshop.joinOpen,
  };
  const href: Record<ChecklistItem, string> = {
    tutor: `${base}/members`,
    questionnaires: `${base}/questionnaires`,
    demoShops: `${base}/sandbox`,
    agenda: `${base}/agenda/edit`,
    joinOpen: `${base}#join`,
  };
  return checklistItems.map((item) => ({ item, done: done[item], href: href[item] }));
}

export type WorkshopHome = {
  workshop: Awaited<ReturnType<typeof getWorkshopDetails>>;
  /** A trainee's missions for the current session (the demo trainee's too). */
  missions: MyMissions | null;
  /** Organizers: what the workshop still needs. */
  checklist: Checklist | null;
};

export async function getWorkshopHome(ctx: WorkshopCtx, now = new Date()): Promise<WorkshopHome> {
  // The agenda once, for the sessions' list and her missions.
  const agenda = await loadAgenda(ctx.workshopId);
  const [workshop, missions, checklist] = await Promise.all([
    getWorkshopDetails(ctx, agenda),
    ctx.role === 'trainee' ? getMyMissions(ctx, now, agenda) : null,
    ctx.role === 'organizer' ? getSetupChecklist(ctx) : null,
  ]);
  return { workshop, missions: isStaff(ctx) ? null : missions, checklist };
}
