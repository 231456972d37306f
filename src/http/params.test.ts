// Ids in URLs, on every route of the route table: a person who may see the pages gets the same
// 404 page for an id that is not a number, too large to be one, or names nothing.
import { describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { makeWorkshop, signedInAgent } from '../test/builders/index.js';
import { listRoutes } from '../test/routes.js';
import { idParam, isId } from './params.js';

const app = createApp();
const idRoutes = listRoutes(app).filter((route) => /:(?!workshopId)\w+Id\b/.test(route.path));

describe('ids in URLs', () => {
  it.each([
    ['1', true],
    ['2147483647', true],
    ['0', false],
    ['01', false],
    ['-1', false],
    ['1.5', false],
    ['1e3', false],
    ['abc', false],
    ['2147483648', false],
    ['99999999999', false],
    ['', false],
  ])('when the URL says %j, then isId is %s', (value, expected) => {
    expect(isId(value)).toBe(expected);
  });

  it('when idParam meets a bad id, then it passes a 404 on; a good id passes', () => {
    const passed: unknown[] = [];
    idParam({} as never, {} as never, (err?: unknown) => passed.push(err), 'abc', 'orderId');
    idParam({} as never, {} as never, (err?: unknown) => passed.push(err), '12', 'orderId');
    expect(passed[0]).toMatchObject({ name: 'NotFoundError' });
    expect(passed[1]).toBeUndefined();
  });

  it('when the route table is read, then the check below covers ids of every kind', () => {
    const names = new Set(idRoutes.flatMap((route) => route.path.match(/:\w+Id\b/g) ?? []));
    expect([...names].sort()).toEqual(
      [
        ':checkoutId',
        ':deliveryId',
        ':formId',
        ':itemId',
        ':listingId',
        ':memberId',
        ':messageId',
        ':orderId',
        ':paymentId',
        ':questionId',
        ':reportId',
        ':reviewId',
        ':shopId',
        ':threadId',
        ':userId',
        ':withdrawalId',
        ':workshopId',
      ].sort(),
    );
  });

  it('when a member puts a word or a too-large number where an id goes, on any route, then it is 404', async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const agent = await signedInAgent(app, w.trainees[0]!.username);
    const csrf = await agent.csrf();
    for (const bad of ['abc', '99999999999', '0']) {
      for (const route of idRoutes) {
        const url = route.path.replace(':workshopId', String(w.workshopId)).replace(/:\w+Id\b/g, bad);
        const res = route.method === 'GET' ? await agent.get(url) : await agent.post(url).type('form').send({ _csrf: csrf });
        expect({ url: `${route.method} ${url}`, status: res.status }).toEqual({ url: `${route.method} ${url}`, status: 404 });
      }
    }
  });

  it('when a member opens a page with an id that names nothing, then it is 404', async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const trainee = await signedInAgent(app, w.trainees[0]!.username);
    const organizer = await signedInAgent(app, w.organizer.username);
    for (const route of idRoutes.filter((r) => r.method === 'GET')) {
      const agent = route.path.includes('/questionnaires/') || route.path.includes('/sandbox/') ? organizer : trainee;
      // The card return page also needs the provider's session id to get as far as looking the checkout up.
      const url = `${route.path.replace(':workshopId', String(w.workshopId)).replace(/:\w+Id\b/g, '2147483647')}?session_id=cs_test_none`;
      expect({ url, status: (await agent.get(url)).status }).toEqual({ url, status: 404 });
    }
  });

  it('when a workshop id is a word or too large, then it is 404 and not taken for a workshop', async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const agent = await signedInAgent(app, w.trainees[0]!.username);
    for (const url of ['/workshops/abc', '/workshops/abc/catalog', '/workshops/99999999999/catalog', '/workshops/2147483647/catalog']) {
      expect({ url, status: (await agent.get(url)).status }).toEqual({ url, status: 404 });
    }
  });
});
