// Test helpers: an agent that signs in like a person (with the page's CSRF token), and
// builders for accounts and workshops.
import request from 'supertest';
import type { Express } from 'express';
import { createUser } from '../features/auth/auth.service.js';
import { createWorkshop } from '../features/workshops/workshops.service.js';
import { prisma } from '../db.js';
import type { Role } from '../users.js';

let counter = 0;
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}${counter}${Math.random().toString(36).slice(2, 6)}`;
}

export const TEST_PASSWORD = 'rahasia-123';

export async function makeUser(role: Role = 'trainee', name?: string) {
  const username = unique(name ?? role);
  return createUser({ username, displayName: `Test ${username}`, password: TEST_PASSWORD, role });
}

export async function makeWorkshop(options: { trainees?: number; name?: string } = {}) {
  const organizer = await makeUser('organizer');
  const tutor = await makeUser('tutor');
  const workshopId = await createWorkshop(organizer, {
    name: options.name ?? unique('Pelatihan '),
    city: 'Denpasar',
    venue: 'Balai Kota',
    startDate: '2026-12-01',
    endDate: '2026-12-02',
    sessions: ['Hari 1 – Sesi 1', 'Hari 1 – Sesi 2', 'Hari 2'],
  });
  await prisma.membership.create({ data: { workshopId, userId: tutor.id, role: 'tutor' } });
  const trainees = [];
  for (let i = 0; i < (options.trainees ?? 2); i++) {
    const trainee = await makeUser('trainee');
    await prisma.membership.create({ data: { workshopId, userId: trainee.id, role: 'trainee' } });
    trainees.push(trainee);
  }
  const workshop = await prisma.workshop.findUniqueOrThrow({ where: { id: workshopId } });
  return { workshopId, workshop, organizer, tutor, trainees };
}

/** The CSRF token of a page, read from its first form as a browser would. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('No CSRF token on the page');
  return match[1]!;
}

export type Agent = ReturnType<typeof request.agent> & { csrf: () => Promise<string> };

/** A signed-in browser-like agent. */
export async function signedInAgent(app: Express, username: string, password = TEST_PASSWORD): Promise<Agent> {
  const agent = request.agent(app) as Agent;
  agent.csrf = async () => csrfFrom((await agent.get('/login').redirects(1)).text);
  const page = await agent.get('/login');
  const res = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), username, password });
  if (res.status !== 303) throw new Error(`Sign-in of ${username} failed with ${res.status}`);
  agent.csrf = async () => csrfFrom((await agent.get('/workshops')).text);
  return agent;
}

/** Decodes the few HTML entities EJS writes, to compare page text with what a person reads. */
export function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#34;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}
