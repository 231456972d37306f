// The tutor's progress board: per participant and mission, always derived from the rows the
// practice left behind (missions.registry.ts), never ticked by hand. The missions of the session
// the room is in come first, then the other sessions' in agenda order, then any mission no session
// opens, so nothing is hidden.
import { currentSession, loadAgenda } from '../agenda/agenda.service.js';
import { whoDid } from '../missions/missions.service.js';
import { findMission, missions, missionsOfModule, type Mission, type ModuleId } from '../missions/missions.registry.js';
import { listParticipants } from '../workshops/participants.js';
import { assertRole, type WorkshopCtx } from '../workshops/workshops.service.js';

export type BoardColumn = {
  missionId: string;
  module: ModuleId;
  titleKey: string;
  /** Short and stable, for narrow column heads: the module's letter and the mission's place in it ("D2"). */
  code: string;
  doneCount: number;
};

export type BoardGroup = { sessionId: number | null; name: string | null; current: boolean; columns: BoardColumn[] };

export type BoardRow = { id: number; displayName: string; username: string; done: boolean[]; doneCount: number; currentDone: number };

export type ProgressBoard = {
  groups: BoardGroup[];
  /** Every column, in the order of the groups. */
  columns: BoardColumn[];
  /** How many of the first columns belong to the current session. */
  currentColumns: number;
  trainees: BoardRow[];
};

/** "D2": module d, its second mission in the registry. */
export function missionCode(mission: Mission): string {
  return `${mission.module.toUpperCase()}${missionsOfModule(mission.module).indexOf(mission) + 1}`;
}

export async function getProgressBoard(ctx: WorkshopCtx, now = new Date()): Promise<ProgressBoard> {
  assertRole(ctx, 'organizer', 'tutor');
  const agenda = await loadAgenda(ctx.workshopId);
  const current = currentSession(agenda, now);
  const ordered = current ? [current, ...agenda.filter((s) => s.id !== current.id)] : agenda;

  const placed = new Set<string>();
  const plan: { sessionId: number | null; name: string | null; current: boolean; missions: Mission[] }[] = [];
  for (const session of ordered) {
    const list = session.missions.filter((id) => !placed.has(id)).map((id) => findMission(id)!);
    list.forEach((m) => placed.add(m.id));
    if (list.length) plan.push({ sessionId: session.id, name: session.name, current: session.id === current?.id, missions: list });
  }
  const rest = missions.filter((m) => !placed.has(m.id));
  if (rest.length) plan.push({ sessionId: null, name: null, current: false, missions: rest });

  const participants = await listParticipants(ctx.workshopId);
  const all = plan.flatMap((g) => g.missions);
  const done = await whoDid(
    ctx.workshopId,
    participants.map((p) => p.id),
    all,
  );

  const groups: BoardGroup[] = plan.map((g) => ({
    sessionId: g.sessionId,
    name: g.name,
    current: g.current,
    columns: g.missions.map((m) => ({
      missionId: m.id,
      module: m.module,
      titleKey: m.titleKey,
      code: missionCode(m),
      doneCount: done.get(m.id)!.size,
    })),
  }));
  const currentColumns = groups[0]?.current ? groups[0].columns.length : 0;
  const trainees = participants.map((p) => {
    const row = all.map((m) => done.get(m.id)!.has(p.id));
    return {
      ...p,
      done: row,
      doneCount: row.filter(Boolean).length,
      currentDone: row.slice(0, currentColumns).filter(Boolean).length,
    };
  });
  return { groups, columns: groups.flatMap((g) => g.columns), currentColumns, trainees };
}
