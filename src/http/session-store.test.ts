import type { SessionData } from 'express-session';
import { describe, expect, it } from 'vitest';
import { prisma } from '../db.js';
import { PrismaSessionStore } from './session-store.js';

const store = new PrismaSessionStore(prisma);
const get = (sid: string) => new Promise<SessionData | null | undefined>((resolve, reject) => store.get(sid, (err, s) => (err ? reject(err) : resolve(s))));
const set = (sid: string, data: SessionData) => new Promise<void>((resolve, reject) => store.set(sid, data, (err) => (err ? reject(err) : resolve())));

describe('sessions in the database', () => {
  it('when a session is saved, then it reads back; when its cookie has expired, then it is gone', async () => {
    const future = new Date(Date.now() + 60_000);
    await set('s-live', { cookie: { expires: future, originalMaxAge: 60_000 }, lastWorkshopId: 7 } as unknown as SessionData);
    expect(await get('s-live')).toMatchObject({ lastWorkshopId: 7 });
    const row = await prisma.session.findUniqueOrThrow({ where: { sid: 's-live' } });
    expect(Math.abs(row.expiresAt.getTime() - future.getTime())).toBeLessThan(1000);

    await set('s-old', { cookie: { expires: new Date(Date.now() - 1000), originalMaxAge: 1 } } as unknown as SessionData);
    expect(await get('s-old')).toBeNull();
    expect(await get('s-unknown')).toBeNull();
  });
});
