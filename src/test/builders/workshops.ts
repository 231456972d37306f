import { prisma } from '../../db.js';
import { applyDefaultAgenda } from '../../features/agenda/agenda.service.js';
import { createWorkshop, enterWorkshop, type WorkshopCtx } from '../../features/workshops/workshops.service.js';
import { idOf, type Ref } from './ref.js';
import { unique } from './unique.js';
import { makeUser } from './users.js';

/**
 * A workshop of three sessions made by its organizer, with a tutor and `trainees` trainees (2
 * unless told). `agenda`: the default agenda on its sessions (four sessions from 1 Dec 2026, 09:00 WITA).
 */
export async function makeWorkshop(options: { trainees?: number; name?: string; agenda?: boolean } = {}) {
  const organizer = await makeUser({ role: 'organizer' });
  const workshopId = await createWorkshop(organizer, {
    name: options.name ?? unique('Pelatihan '),
    city: 'Denpasar',
    venue: 'Balai Kota',
    startDate: '2026-12-01',
    endDate: '2026-12-02',
    sessions: ['Hari 1 – Sesi 1', 'Hari 1 – Sesi 2', 'Hari 2'],
  });
  if (options.agenda) await applyDefaultAgenda(workshopId);
  const tutor = await makeUser({ role: 'tutor', memberOf: workshopId });
  const trainees = [];
  for (let i = 0; i < (options.trainees ?? 2); i++) trainees.push(await makeUser({ memberOf: workshopId }));
  const workshop = await prisma.workshop.findUniqueOrThrow({ where: { id: workshopId } });
  return { workshopId, workshop, organizer, tutor, trainees };
}

export type MadeWorkshop = Awaited<ReturnType<typeof makeWorkshop>>;

/** What the services take as "this member in this workshop". */
export function ctxOf(options: { workshop: Ref; user: Ref }): Promise<WorkshopCtx> {
  return enterWorkshop(idOf(options.user), idOf(options.workshop));
}
