// The sandbox boundary, for every feature at once: each route under /workshops/:workshopId,
// whatever feature it belongs to, answers 404 to a signed-in person who is not a member.
import { describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { makeWorkshop, signedInAgent } from '../../test/builders/index.js';
import { listRoutes } from '../../test/routes.js';

describe('the workshop boundary for every feature', () => {
  const app = createApp();
  const routes = listRoutes(app)
    .filter((route) => route.path.startsWith('/workshops/:workshopId'))
    .map((route) => ({ method: route.method, path: route.path.slice('/workshops/:workshopId'.length) }));

  it('when the app is built, then its workshop routes are all found (the check below is not empty)', () => {
    expect(routes.length).toBeGreaterThan(70);
    expect(routes).toContainEqual({ method: 'GET', path: '/members' });
    expect(routes).toContainEqual({ method: 'POST', path: '/checkouts/:checkoutId/pay' });
  });

  it('when a member of another workshop requests any workshop route, then it is 404', async () => {
    const a = await makeWorkshop({ trainees: 1 });
    const b = await makeWorkshop({ trainees: 1 });
    const outsiders = [b.trainees[0]!, b.organizer];
    for (const outsider of outsiders) {
      const agent = await signedInAgent(app, outsider.username);
      const token = await agent.csrf();
      for (const route of routes) {
        const path = `/workshops/${a.workshopId}${route.path.replace(/:\w+/g, '1').replace(/\*\w+/g, 'x')}`;
        const res = route.method === 'GET' ? await agent.get(path) : await agent.post(path).type('form').send({ _csrf: token });
        expect({ route: `${route.method} ${path}`, status: res.status }).toEqual({
          route: `${route.method} ${path}`,
          status: 404,
        });
      }
    }
  });
});
