import { prisma } from '../../db.js';
import { hashPassword, insertUser, type NewUser } from '../../features/auth/auth.service.js';
import type { DemoKind } from '../../features/workshops/participants.js';
import { idOf, type Ref } from './ref.js';
import { unique } from './unique.js';

export const TEST_PASSWORD = 'rahasia-123';

// Hashing is slow on purpose; every test account shares one hash of TEST_PASSWORD, made once.
let passwordHash: Promise<string> | undefined;

/**
 * An account that signs in with TEST_PASSWORD (a trainee unless told), with a unique username.
 * `memberOf` also makes it a member of that workshop, in the same role; `demoKind` makes it a demo account.
 */
export async function makeUser(
  options: { role?: NewUser['role']; username?: string; displayName?: string; memberOf?: Ref; demoKind?: DemoKind } = {},
) {
  const role = options.role ?? 'trainee';
  const username = options.username ?? unique(role);
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const user = await insertUser(prisma, {
    username,
    displayName: options.displayName ?? `Test ${username}`,
    role,
    passwordHash: await passwordHash,
  });
  // A demo account (a demo shop's seller, a demo buyer, a demo trainee): never a participant.
  if (options.demoKind) await prisma.user.update({ where: { id: user.id }, data: { demoKind: options.demoKind } });
  if (options.memberOf !== undefined) {
    if (role === 'admin') throw new Error('An admin is not a member of a workshop');
    await prisma.membership.create({ data: { workshopId: idOf(options.memberOf), userId: user.id, role } });
  }
  return user;
}
