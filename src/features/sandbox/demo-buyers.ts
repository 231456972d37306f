// The market's demo buyers as accounts: created when a bot first buys as them, made trainees of
// the workshop (only trainees place orders), with the address their orders ship to.
import { prisma } from '../../db.js';
import { hashPassword } from '../auth/auth.service.js';
import { DEMO_PASSWORD, demoBuyerList } from './demo-accounts.js';

let passwordHash: Promise<string> | undefined;
/** Buyers known to be ready in a workshop ("workshopId:username" → user id): a bot buys often, the rows change never. */
const ready = new Map<string, number>();

/** The demo buyer's user id, ready to buy in the workshop. */
export async function ensureDemoBuyer(workshopId: number, username: string): Promise<number> {
  const known = ready.get(`${workshopId}:${username}`);
  if (known) return known;
  const buyer = demoBuyerList.find((b) => b.username === username);
  if (!buyer) throw new Error(`No demo buyer ${username}`);
  passwordHash ??= hashPassword(DEMO_PASSWORD);
  const user = await prisma.user.upsert({
    where: { username: buyer.username },
    // A demo account (demoKind), so no head count takes her for a participant and she answers chats.
    create: {
      username: buyer.username,
      displayName: buyer.displayName,
      role: 'trainee',
      passwordHash: await passwordHash,
      demoKind: 'buyer',
    },
    update: { demoKind: 'buyer' },
    select: { id: true },
  });
  await prisma.membership.upsert({
    where: { workshopId_userId: { workshopId, userId: user.id } },
    create: { workshopId, userId: user.id, role: 'trainee' },
    update: {},
  });
  await prisma.address.upsert({ where: { userId: user.id }, create: { userId: user.id, ...buyer.address }, update: {} });
  ready.set(`${workshopId}:${username}`, user.id);
  return user.id;
}
