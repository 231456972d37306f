import type { Express } from 'express';
import request from 'supertest';
import { csrfFrom } from '../helpers.js';
import { TEST_PASSWORD } from './users.js';

export type Agent = ReturnType<typeof request.agent> & { csrf: () => Promise<string> };

/** A browser-like agent signed in as the user (TEST_PASSWORD unless told); `csrf()` reads a fresh token. */
export async function signedInAgent(app: Express, user: string | { username: string }, password = TEST_PASSWORD): Promise<Agent> {
  const username = typeof user === 'string' ? user : user.username;
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
