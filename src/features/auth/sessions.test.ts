// Sessions as a person meets them in the app (issue 11): a visitor who only looks costs no row,
// a changed account reaches the sessions already open, and requests of one person at once keep
// each other's messages.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { csrfFrom, text } from '../../test/helpers.js';
import { jpegWithGps, makeListing, makeShop, makeUser, makeWorkshop, signedInAgent, TEST_PASSWORD } from '../../test/builders/index.js';

const app = createApp();

const cookieNamed = (res: request.Response, name: string) =>
  ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${name}=`));

describe('visitors', () => {
  it('when 100 visitors open the sign-in page, then no session row is written, and a form they got still signs in', async () => {
    const before = await prisma.session.count();
    const pages = await Promise.all(Array.from({ length: 100 }, () => request(app).get('/login')));
    expect(pages.every((page) => page.status === 200)).toBe(true);
    expect(pages.every((page) => cookieNamed(page, 'pl.sid') === undefined)).toBe(true);
    expect(await prisma.session.count()).toBe(before);

    const { username } = await makeUser();
    const page = pages[42]!;
    const res = await request(app)
      .post('/login')
      .set('Cookie', cookieNamed(page, 'pl.csrf')!.split(';')[0]!)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), username, password: TEST_PASSWORD });
    expect(res.status).toBe(303);
    expect(await prisma.session.count()).toBe(before + 1);
  });

  it("when a visitor's form comes back without its cookie, with another visitor's token, or a made-up one, then it is refused", async () => {
    const { username } = await makeUser();
    const mine = await request(app).get('/login');
    const theirs = await request(app).get('/login');
    const myCookie = cookieNamed(mine, 'pl.csrf')!.split(';')[0]!;
    const [hmac, random] = csrfFrom(mine.text).split('.');
    const attempts = [
      { cookie: undefined, token: csrfFrom(mine.text) },
      { cookie: myCookie, token: csrfFrom(theirs.text) },
      {
        cookie: `pl.csrf=${hmac}.${random!.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'))}`,
        token: `${hmac}.${random!.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'))}`,
      },
    ];
    for (const { cookie, token } of attempts) {
      let post = request(app).post('/login').type('form');
      if (cookie) post = post.set('Cookie', cookie);
      const res = await post.send({ _csrf: token, username, password: TEST_PASSWORD });
      expect(res.status).toBe(403);
      expect(text(res.text)).toContain('Formulir kedaluwarsa');
    }
  });
});

describe('changes to an account reach its open sessions', () => {
  it('when an admin is made a tutor while signed in, then her next request is refused the admin pages and her menu loses their link', async () => {
    const admin = await makeUser({ role: 'admin' });
    const agent = await signedInAgent(app, admin);
    expect((await agent.get('/admin/users')).status).toBe(200);
    await prisma.user.update({ where: { id: admin.id }, data: { role: 'tutor' } });
    expect((await agent.get('/admin/users')).status).toBe(403);
    expect(text((await agent.get('/workshops')).text)).not.toContain('Akun pengguna');
  });

  it('when sessions are stored, then each knows its user, and they are ended by user', async () => {
    const user = await makeUser();
    const phone = await signedInAgent(app, user);
    const laptop = await signedInAgent(app, user);
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(2);
    await prisma.session.deleteMany({ where: { userId: user.id } });
    for (const agent of [phone, laptop]) expect((await agent.get('/workshops')).headers.location).toBe('/login?next=%2Fworkshops');
  });
});

describe('requests of one person at once', () => {
  it('when a slow photo upload and five quick cart refusals run at once, then all six messages are shown', async () => {
    const { workshopId, trainees } = await makeWorkshop({ trainees: 2 });
    const [seller, buyer] = trainees as [(typeof trainees)[0], (typeof trainees)[0]];
    await makeShop({ workshop: workshopId, owner: buyer }); // she sells too
    const sellerShop = await makeShop({ workshop: workshopId, owner: seller });
    const listing = await makeListing({ shop: sellerShop, title: 'Kopi Kintamani', stock: 2 });
    const agent = await signedInAgent(app, buyer);
    const base = `/workshops/${workshopId}`;
    await agent.get(base); // the welcome message is shown and gone
    const csrf = await agent.csrf();

    const upload = agent
      .post(`${base}/shop/listings/new?_csrf=${encodeURIComponent(csrf)}`)
      .field('title', 'Pie Susu Bali Original isi 10')
      .field('description', 'Pie susu renyah buatan rumah, isi 10 buah, tahan 7 hari di suhu ruang.')
      .field('price', '45.000')
      .field('stock', '12')
      .field('weightGrams', '350')
      .field('minOrder', '1')
      .field('condition', 'new')
      .field('category', 'makanan-camilan')
      .attach('photos', await jpegWithGps({ width: 3000, height: 2000 }), 'pie.jpg')
      .then((res) => res);
    const refusals = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        agent
          .post(`${base}/cart/items`)
          .type('form')
          .send({ _csrf: csrf, listingId: String(listing.id), quantity: String(10 + i) }),
      ),
    );
    expect(refusals.map((r) => r.status)).toEqual([303, 303, 303, 303, 303]);
    expect((await upload).status).toBe(303);

    const page = text((await agent.get(`${base}/cart`)).text);
    expect(page).toContain('Produk "Pie Susu Bali Original isi 10" sudah tampil di katalog.');
    expect(page.match(/Stok "Kopi Kintamani" hanya 2\./g)).toHaveLength(5);
    expect(text((await agent.get(`${base}/cart`)).text)).not.toContain('hanya 2');
  });
});
