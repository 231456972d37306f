import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { bootstrapData } from './bootstrap.js';
import { prisma } from './db.js';
import { verifyLogin } from './features/auth/auth.service.js';
import { joinWithNewAccount } from './features/workshops/workshops.service.js';
import { makeWorkshop, signedInAgent } from './test/builders/index.js';

describe('first start without demo data (production)', () => {
  it('when the database is empty, then one admin is created with a random password, once', async () => {
    expect(await prisma.user.count()).toBe(0);
    const first = await bootstrapData();
    expect(first.kind).toBe('admin');
    if (first.kind !== 'admin') return;
    expect(first.password.length).toBeGreaterThanOrEqual(16);
    await expect(verifyLogin('admin', first.password)).resolves.toMatchObject({ role: 'admin' });
    expect(await bootstrapData()).toEqual({ kind: 'existing' });
    expect(await prisma.user.count()).toBe(1);
  });
});

describe('sessions live in the database', () => {
  it('when the app restarts (a new app instance on the same database), then people stay signed in', async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const agent = await signedInAgent(createApp(), w.trainees[0]!.username);
    const cookie = (await agent.get('/workshops')).request.cookies;
    const restarted = createApp();
    const res = await request(restarted).get(`/workshops/${w.workshopId}`).set('Cookie', cookie);
    expect(res.status).toBe(200);
    expect(res.text).toContain(w.workshop.name);
  });
});

describe('joining at the same moment', () => {
  it('when two phones take the same username at once, then one gets the account and the other a clear message', async () => {
    const w = await makeWorkshop({ trainees: 0 });
    const input = { code: w.workshop.joinCode, displayName: 'Ayu', username: 'ayu.kembar', password: 'rahasia-123' };
    const results = await Promise.allSettled([joinWithNewAccount(input), joinWithNewAccount(input)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason.fieldErrors).toEqual({ username: 'auth:validation.usernameTaken' });
    expect(await prisma.membership.count({ where: { workshopId: w.workshopId, role: 'trainee' } })).toBe(1);
  });
});
