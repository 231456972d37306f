// Who is a participant ("peserta"): a trainee member who is a person. Demo accounts (the demo
// shops' sellers, demo buyers, the workshop's demo trainee: User.demoKind) are trainee members so
// that they can sell and buy, but nobody practises with them, so no head count counts them: the
// workshop's home, the progress board and the evaluation all count through here.
import { prisma, type Tx } from '../../db.js';
import { Prisma } from '../../generated/prisma/client.js';

export type DemoKind = 'shop' | 'buyer' | 'trainee';

/** The memberships of a workshop's participants. */
export function participantWhere(workshopId: number) {
  return { workshopId, role: 'trainee', user: { demoKind: null } } satisfies Prisma.MembershipWhereInput;
}

/** The same rule in SQL, over a Membership row `m` joined with its User `u` (statements on the hot read path). */
export const participantSql = Prisma.sql`m."role" = 'trainee' AND u."demoKind" IS NULL`;

export function countParticipants(workshopId: number, db: Tx = prisma): Promise<number> {
  return db.membership.count({ where: participantWhere(workshopId) });
}

export type Participant = { id: number; username: string; displayName: string };

/** The participants, by name. */
export async function listParticipants(workshopId: number, db: Tx = prisma): Promise<Participant[]> {
  const rows = await db.membership.findMany({
    where: participantWhere(workshopId),
    orderBy: { user: { displayName: 'asc' } },
    select: { user: { select: { id: true, username: true, displayName: true } } },
  });
  return rows.map((row) => row.user);
}

/** Whether the user is one of the workshop's participants. */
export async function isParticipant(workshopId: number, userId: number, db: Tx = prisma): Promise<boolean> {
  return (await db.membership.count({ where: { ...participantWhere(workshopId), userId } })) > 0;
}
