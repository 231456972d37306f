// "Laporkan" and "Blokir" over HTTP: a report from a chat or a listing reaches the staff's list of
// the workshop (and no other), a block stops the blocked person's messages and hides their
// listings from her until she unblocks, and nobody reports or blocks across workshops.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { text } from '../../test/helpers.js';
import {
  type Agent,
  makeListing,
  makeMarketplace,
  makeShop,
  makeWorkshop,
  signedInAgent,
  openShopChat,
  writeInChat,
} from '../../test/builders/index.js';

let app: Express;
beforeAll(() => {
  app = createApp();
});

async function post(agent: Agent, url: string, fields: Record<string, string | number>, from?: string) {
  const req = agent.post(url).type('form');
  if (from) req.set('Referer', `http://localhost${from}`);
  return req.send({ _csrf: await agent.csrf(), ...fields });
}

describe('reporting', () => {
  it('when the seller reports a chat with a reason and a note, then the tutor sees it in the list of reports, marks it handled, and the seller is thanked', async () => {
    const m = await makeMarketplace();
    const buyer = await signedInAgent(app, m.buyerUser);
    const seller = await signedInAgent(app, m.sellerUser);
    const threadUrl = await openShopChat(buyer, { workshop: m.workshopId, shop: m.shop });
    await writeInChat(buyer, threadUrl, 'Transfer ke rekening pribadi saya saja ya Kak');
    const page = await seller.get(threadUrl);
    expect(text(page.text)).toContain('Laporkan atau blokir');

    const threadId = Number(threadUrl.split('/').pop());
    const reported = await post(
      seller,
      `/workshops/${m.workshopId}/safety/reports`,
      { threadId, reason: 'scam', note: 'Minta bayar di luar aplikasi' },
      threadUrl,
    );
    expect(reported.status).toBe(303);
    expect(reported.headers.location).toBe(threadUrl);
    expect(text((await seller.get(threadUrl)).text)).toContain('Laporan terkirim ke tutor pelatihan.');

    const tutor = await signedInAgent(app, m.tutor);
    const list = text((await tutor.get(`/workshops/${m.workshopId}/safety`)).text);
    expect(list).toContain(`${m.sellerUser.displayName} melaporkan ${m.buyerUser.displayName}`);
    expect(list).toContain('Penipuan atau pancingan');
    expect(list).toContain('Minta bayar di luar aplikasi');
    expect(list).toContain('1 belum ditangani');

    const report = await prisma.safetyReport.findFirstOrThrow({ where: { workshopId: m.workshopId } });
    expect(report).toMatchObject({ reporterId: m.sellerUser.id, reportedId: m.buyerUser.id, threadId, listingId: null });
    const resolved = await post(tutor, `/workshops/${m.workshopId}/safety/reports/${report.id}/resolve`, {});
    expect(resolved.status).toBe(303);
    expect(text((await tutor.get(`/workshops/${m.workshopId}/safety`)).text)).not.toContain('belum ditangani');
  });

  it('when a trainee reports a listing, then the report names its seller; without a reason she is told to choose one and nothing is recorded', async () => {
    const m = await makeMarketplace();
    const buyer = await signedInAgent(app, m.buyerUser);
    const listingUrl = `/workshops/${m.workshopId}/catalog/${m.listing.id}`;
    expect(text((await buyer.get(listingUrl)).text)).toContain('Laporkan atau blokir');
    const noReason = await post(buyer, `/workshops/${m.workshopId}/safety/reports`, { listingId: m.listing.id }, listingUrl);
    expect(noReason.status).toBe(303);
    expect(text((await buyer.get(listingUrl)).text)).toContain('Pilih alasan laporan.');
    expect(await prisma.safetyReport.count({ where: { workshopId: m.workshopId } })).toBe(0);

    await post(buyer, `/workshops/${m.workshopId}/safety/reports`, { listingId: m.listing.id, reason: 'misleading' }, listingUrl);
    const report = await prisma.safetyReport.findFirstOrThrow({ where: { workshopId: m.workshopId } });
    expect(report).toMatchObject({
      reporterId: m.buyerUser.id,
      reportedId: m.sellerUser.id,
      listingId: m.listing.id,
      reason: 'misleading',
    });
  });

  it('when another trainee reports a chat that is not hers, or a trainee of another workshop reports a listing, then 404 and nothing is recorded; the other tutor sees no report', async () => {
    const m = await makeMarketplace({ trainees: 3 });
    const buyer = await signedInAgent(app, m.buyerUser);
    const threadUrl = await openShopChat(buyer, { workshop: m.workshopId, shop: m.shop });
    const threadId = Number(threadUrl.split('/').pop());
    await post(buyer, `/workshops/${m.workshopId}/safety/reports`, { threadId, reason: 'rude' });

    const other = await signedInAgent(app, m.trainees[2]!);
    expect((await post(other, `/workshops/${m.workshopId}/safety/reports`, { threadId, reason: 'scam' })).status).toBe(404);
    expect((await post(other, `/workshops/${m.workshopId}/safety/blocks`, { threadId })).status).toBe(404);

    const elsewhere = await makeWorkshop({ trainees: 1 });
    const outsider = await signedInAgent(app, elsewhere.trainees[0]!);
    const ownUrl = `/workshops/${elsewhere.workshopId}/safety`;
    expect((await post(outsider, `${ownUrl}/reports`, { listingId: m.listing.id, reason: 'scam' })).status).toBe(404);
    expect((await post(outsider, `${ownUrl}/reports`, { threadId, reason: 'scam' })).status).toBe(404);
    expect((await post(outsider, `${ownUrl}/blocks`, { listingId: m.listing.id })).status).toBe(404);
    expect((await post(outsider, `/workshops/${m.workshopId}/safety/reports`, { listingId: m.listing.id, reason: 'scam' })).status).toBe(
      404,
    );
    expect(await prisma.safetyReport.count({ where: { reporterId: { in: [m.trainees[2]!.id, elsewhere.trainees[0]!.id] } } })).toBe(0);
    expect(await prisma.userBlock.count({ where: { blockerId: { in: [m.trainees[2]!.id, elsewhere.trainees[0]!.id] } } })).toBe(0);

    const otherTutor = await signedInAgent(app, elsewhere.tutor);
    expect(text((await otherTutor.get(ownUrl)).text)).toContain('Belum ada laporan.');
    const report = await prisma.safetyReport.findFirstOrThrow({ where: { workshopId: m.workshopId } });
    expect((await post(otherTutor, `${ownUrl}/reports/${report.id}/resolve`, {})).status).toBe(404);
    expect((await post(otherTutor, `/workshops/${m.workshopId}/safety/reports/${report.id}/resolve`, {})).status).toBe(404);
    expect((await prisma.safetyReport.findUniqueOrThrow({ where: { id: report.id } })).resolvedAt).toBeNull();
  });

  it('when a trainee asks for the list of reports, then she sees her own blocks page instead, never the reports', async () => {
    const m = await makeMarketplace();
    const buyer = await signedInAgent(app, m.buyerUser);
    await post(buyer, `/workshops/${m.workshopId}/safety/reports`, { listingId: m.listing.id, reason: 'scam', note: 'Catatan rahasia' });
    const seller = await signedInAgent(app, m.sellerUser);
    const page = text((await seller.get(`/workshops/${m.workshopId}/safety`)).text);
    expect(page).toContain('Anda belum memblokir siapa pun.');
    expect(page).not.toContain('Catatan rahasia');
    const report = await prisma.safetyReport.findFirstOrThrow({ where: { workshopId: m.workshopId } });
    expect((await post(seller, `/workshops/${m.workshopId}/safety/reports/${report.id}/resolve`, {})).status).toBe(403);
  });
});

describe('blocking', () => {
  it("when the buyer blocks the seller from their chat, then the seller cannot write to her, the seller's listings leave her catalogue, and unblocking brings both back", async () => {
    const m = await makeMarketplace({ trainees: 3 });
    const other = await makeShop({ workshop: m.workshopId, owner: m.trainees[2]!, name: 'Toko Ketiga' });
    await makeListing({ shop: other, title: 'Produk yang tetap tampil' });
    const buyer = await signedInAgent(app, m.buyerUser);
    const seller = await signedInAgent(app, m.sellerUser);
    const threadUrl = await openShopChat(buyer, { workshop: m.workshopId, shop: m.shop });
    await writeInChat(buyer, threadUrl, 'Halo');
    const threadId = Number(threadUrl.split('/').pop());
    const catalogUrl = `/workshops/${m.workshopId}/catalog`;
    expect(text((await buyer.get(catalogUrl)).text)).toContain(m.listing.title);

    const blocked = await post(buyer, `/workshops/${m.workshopId}/safety/blocks`, { threadId }, threadUrl);
    expect(blocked.headers.location).toBe(threadUrl);
    const hers = text((await buyer.get(threadUrl)).text);
    expect(hers).toContain('Anda memblokir orang ini');
    expect((await buyer.get(threadUrl)).text).not.toContain('name="body"');

    const refused = await writeInChat(seller, threadUrl, 'Kak, jadi beli?');
    expect(refused.status).toBe(303);
    expect(text((await seller.get(threadUrl)).text)).toContain('Pesan tidak terkirim: orang ini tidak menerima pesan dari Anda.');
    expect(await prisma.chatMessage.count({ where: { body: 'Kak, jadi beli?' } })).toBe(0);

    const catalogue = text((await buyer.get(catalogUrl)).text);
    expect(catalogue).not.toContain(m.listing.title);
    expect(catalogue).toContain('Produk yang tetap tampil');
    expect(text((await signedInAgent(app, m.trainees[2]!).then((a) => a.get(catalogUrl))).text)).toContain(m.listing.title);
    const product = text((await buyer.get(`${catalogUrl}/${m.listing.id}`)).text);
    expect(product).toContain('Anda memblokir penjual ini.');
    expect(product).not.toContain('Masukkan keranjang');

    expect(text((await buyer.get(`/workshops/${m.workshopId}/safety`)).text)).toContain(m.sellerUser.displayName);
    const lifted = await post(
      buyer,
      `/workshops/${m.workshopId}/safety/blocks/${m.sellerUser.id}/delete`,
      {},
      `/workshops/${m.workshopId}/safety`,
    );
    expect(lifted.headers.location).toBe(`/workshops/${m.workshopId}/safety`);
    expect(text((await buyer.get(catalogUrl)).text)).toContain(m.listing.title);
    expect((await writeInChat(seller, threadUrl, 'Kak, jadi beli?')).status).toBe(303);
    expect(await prisma.chatMessage.count({ where: { body: 'Kak, jadi beli?' } })).toBe(1);
  });

  it('when she blocks a seller from a listing, then she cannot open a new chat with it either way round, and blocking twice is one block', async () => {
    const m = await makeMarketplace();
    const buyer = await signedInAgent(app, m.buyerUser);
    await post(buyer, `/workshops/${m.workshopId}/safety/blocks`, { listingId: m.listing.id });
    await post(buyer, `/workshops/${m.workshopId}/safety/blocks`, { listingId: m.listing.id });
    expect(await prisma.userBlock.count({ where: { blockerId: m.buyerUser.id } })).toBe(1);
    const threadUrl = await openShopChat(buyer, { workshop: m.workshopId, shop: m.shop });
    const mine = await writeInChat(buyer, threadUrl, 'Tes');
    expect(mine.status).toBe(303);
    expect(text((await buyer.get(threadUrl)).text)).toContain('Anda memblokir orang ini');
    expect(await prisma.chatMessage.count({ where: { body: 'Tes' } })).toBe(0);
  });

  it('when she blocked a seller, then his shop page lists none of his products and says so with an unblock button, which brings her back to the shop with them; others still see them', async () => {
    const m = await makeMarketplace({ trainees: 3 });
    await makeListing({ shop: m.shop, title: 'Produk Kedua Penjual' });
    const buyer = await signedInAgent(app, m.buyerUser);
    const shopUrl = `/workshops/${m.workshopId}/shops/${m.shop.id}`;
    expect(text((await buyer.get(shopUrl)).text)).toContain('Produk Kedua Penjual');
    await post(buyer, `/workshops/${m.workshopId}/safety/blocks`, { listingId: m.listing.id });

    const page = await buyer.get(shopUrl);
    expect(page.status).toBe(200);
    expect(text(page.text)).toContain(m.shop.name);
    expect(text(page.text)).toContain(
      'Anda memblokir penjual ini. Produk tokonya tidak tampil untuk Anda, di katalog maupun di halaman ini.',
    );
    expect(text(page.text)).not.toContain(m.listing.title);
    expect(text(page.text)).not.toContain('Produk Kedua Penjual');
    expect(page.text).not.toContain(`/catalog/${m.listing.id}"`);
    expect(text(page.text)).not.toContain('Chat penjual');
    const other = await signedInAgent(app, m.trainees[2]!);
    expect(text((await other.get(shopUrl)).text)).toContain('Produk Kedua Penjual');

    const form = /<form method="post" action="([^"]+\/safety\/blocks\/\d+\/delete)"[^>]*>([\s\S]*?)<\/form>/.exec(page.text);
    expect(form?.[1]).toBe(`/workshops/${m.workshopId}/safety/blocks/${m.sellerUser.id}/delete`);
    const fields = Object.fromEntries([...form![2]!.matchAll(/name="(\w+)" value="([^"]*)"/g)].map((f) => [f[1], f[2]]));
    // A browser sends the page's address (Referrer-Policy same-origin)
    const lifted = await buyer.post(form![1]!).type('form').set('Referer', `http://localhost${shopUrl}`).send(fields);
    expect(lifted.status).toBe(303);
    expect(lifted.headers.location).toBe(shopUrl);
    const after = text((await buyer.get(shopUrl)).text);
    expect(after).toContain('Blokir dibuka.');
    expect(after).toContain('Produk Kedua Penjual');
    expect(after).not.toContain('Anda memblokir penjual ini');
  });

  it("when she unblocks a seller from his listing's page, then she is back on that listing and can buy it again", async () => {
    const m = await makeMarketplace();
    const buyer = await signedInAgent(app, m.buyerUser);
    const listingUrl = `/workshops/${m.workshopId}/catalog/${m.listing.id}`;
    await post(buyer, `/workshops/${m.workshopId}/safety/blocks`, { listingId: m.listing.id });
    const page = await buyer.get(listingUrl);
    expect(text(page.text)).toContain('Anda memblokir penjual ini.');
    expect(text(page.text)).not.toContain('Masukkan keranjang');
    const form = /<form method="post" action="([^"]+\/safety\/blocks\/\d+\/delete)"[^>]*>([\s\S]*?)<\/form>/.exec(page.text);
    const fields = Object.fromEntries([...form![2]!.matchAll(/name="(\w+)" value="([^"]*)"/g)].map((f) => [f[1], f[2]]));
    const lifted = await buyer.post(form![1]!).type('form').set('Referer', `http://localhost${listingUrl}`).send(fields);
    expect(lifted.headers.location).toBe(listingUrl);
    expect(text((await buyer.get(listingUrl)).text)).toContain('Masukkan keranjang');
  });

  it('when a trainee tries to block herself through her own listing, or staff try to block, then she is refused and nothing is recorded; unblocking someone never blocked is 404', async () => {
    const m = await makeMarketplace();
    const seller = await signedInAgent(app, m.sellerUser);
    const listingUrl = `/workshops/${m.workshopId}/catalog/${m.listing.id}`;
    await post(seller, `/workshops/${m.workshopId}/safety/blocks`, { listingId: m.listing.id }, listingUrl);
    expect(text((await seller.get(listingUrl)).text)).toContain('Ini milik Anda sendiri.');
    const tutor = await signedInAgent(app, m.tutor);
    await post(tutor, `/workshops/${m.workshopId}/safety/blocks`, { listingId: m.listing.id }, listingUrl);
    expect(text((await tutor.get(listingUrl)).text)).toContain('Staf tidak melapor atau memblokir');
    expect(await prisma.userBlock.count({ where: { workshopId: m.workshopId } })).toBe(0);
    expect((await post(seller, `/workshops/${m.workshopId}/safety/blocks/${m.buyerUser.id}/delete`, {})).status).toBe(404);
  });
});
