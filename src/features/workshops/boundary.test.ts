// The sandbox boundary, for every feature at once: each route registered on workshopRouter,
// whatever feature added it, answers 404 to a signed-in person who is not a member.
import { describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { makeWorkshop, signedInAgent } from '../../test/builders/index.js';
import { workshopRouter } from './workshop-context.js';

type Layer = { rawPath?: unknown; route?: { path: string; methods: Record<string, boolean> }; handle: { stack?: Layer[] } };

function routesOf(stack: Layer[], prefix = ''): { method: string; path: string }[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      return Object.keys(layer.route.methods)
        .filter((m) => m === 'get' || m === 'post')
        .map((method) => ({ method, path: prefix + layer.route!.path }));
    }
    if (layer.handle.stack)
      return routesOf(layer.handle.stack, prefix + (typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : ''));
    return [];
  });
}

describe('the workshop boundary for every feature', () => {
  const app = createApp();
  const routes = routesOf((workshopRouter as unknown as { stack: Layer[] }).stack);

  it('when the features are loaded, then their workshop routes are all found (the check below is not empty)', () => {
    expect(routes.length).toBeGreaterThan(8);
    expect(routes).toContainEqual({ method: 'get', path: '/members' });
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
        const res = route.method === 'get' ? await agent.get(path) : await agent.post(path).type('form').send({ _csrf: token });
        expect({ route: `${route.method.toUpperCase()} ${path}`, status: res.status }).toEqual({
          route: `${route.method.toUpperCase()} ${path}`,
          status: 404,
        });
      }
    }
  });
});
