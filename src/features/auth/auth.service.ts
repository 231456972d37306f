import { hash, verify } from '@node-rs/argon2';
import { config } from '../../config.js';
import { isUniqueViolation, prisma, type Tx } from '../../db.js';
import { ValidationError } from '../../errors.js';
import type { CurrentUser, Role } from '../../users.js';

// OWASP's argon2id minimum: 19 MiB, 2 passes, 1 lane. The test suite (NODE_ENV=test) signs in
// hundreds of times on each of its two databases, about 27 ms of CPU each at this cost: there it is
// still argon2id, at 1 MiB and 1 pass. auth.test.ts checks that every other NODE_ENV hashes at OWASP's cost.
export function argonOptionsFor(env: typeof config.env) {
  return env === 'test'
    ? ({ memoryCost: 1024, timeCost: 1, parallelism: 1 } as const)
    : ({ memoryCost: 19456, timeCost: 2, parallelism: 1 } as const);
}

const argonOptions = argonOptionsFor(config.env);

export function hashPassword(password: string): Promise<string> {
  return hash(password, argonOptions);
}

// Compared against when the username does not exist, so both cases take as long.
const dummyHash = hashPassword('pasarlatih-no-such-user');

export type NewUser = { username: string; displayName: string; password: string; role: Role };

export async function createUser(input: NewUser): Promise<CurrentUser> {
  const { password, ...rest } = input;
  return insertUser(prisma, { ...rest, passwordHash: await hashPassword(password) });
}

/** Inserts a user whose password is already hashed (hash outside a transaction: it is slow). */
export async function insertUser(
  db: Tx | typeof prisma,
  input: Omit<NewUser, 'password'> & { passwordHash: string },
): Promise<CurrentUser> {
  const username = input.username.trim().toLowerCase();
  const existing = await db.user.findUnique({ where: { username }, select: { id: true } });
  if (existing) throw new ValidationError({ username: 'auth:validation.usernameTaken' });
  try {
    const user = await db.user.create({
      data: { username, displayName: input.displayName.trim(), role: input.role, passwordHash: input.passwordHash },
    });
    return toCurrentUser(user);
  } catch (error) {
    if (isUniqueViolation(error)) throw new ValidationError({ username: 'auth:validation.usernameTaken' });
    throw error;
  }
}

/** The user for a correct username and password, or null; never says which one was wrong. */
export async function verifyLogin(username: string, password: string): Promise<CurrentUser | null> {
  const user = await prisma.user.findUnique({ where: { username: username.trim().toLowerCase() } });
  const ok = await verify(user?.passwordHash ?? (await dummyHash), password).catch(() => false);
  return user && ok ? toCurrentUser(user) : null;
}

export async function listStaffAccounts() {
  return prisma.user.findMany({
    where: { role: { in: ['admin', 'organizer', 'tutor'] } },
    orderBy: [{ role: 'asc' }, { username: 'asc' }],
    select: { id: true, username: true, displayName: true, role: true, createdAt: true },
  });
}

export async function countUsers(): Promise<number> {
  return prisma.user.count();
}

function toCurrentUser(user: {
  id: number;
  username: string;
  displayName: string;
  role: string;
  mustChangePassword?: boolean;
}): CurrentUser {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role as Role,
    mustChangePassword: user.mustChangePassword ?? false,
  };
}
