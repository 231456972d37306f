// Buyer–seller chat over HTTP: "Chat penjual" opens her thread with a shop, a message posted with
// a plain form reaches the seller (the badge on her tab bar), staff of the workshop read but do
// not write, nobody else reads (404), and demo shops and demo buyers answer.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { csrfFrom, text } from '../../test/helpers.js';
import {
  makeDemoShop,
  makeMarketplace,
  makeOrder,
  makeUser,
  makeWorkshop,
  signedInAgent,
  ctxOf,
  openShopChat,
  writeInChat,
} from '../../test/builders/index.js';
import { runNextTask } from '../market/runner.js';
import { openOrderThread, openShopThread } from './chat.service.js';

let app: Express;
beforeAll(() => {
  app = createApp();
});

const badgeOf = (html: string) => /data-badge="orders">(\d+)/.exec(html)?.[1] ?? null;

describe('a chat between a buyer and a shop', () => {
  it('when a buyer presses "Chat penjual" and writes, then the seller sees a badge on her tab bar, reads the message, and the badge goes', async () => {
    const m = await makeMarketplace();
    const buyer = await signedInAgent(app, m.buyerUser);
    const seller = await signedInAgent(app, m.sellerUser);
    const listingPage = await buyer.get(`/workshops/${m.workshopId}/catalog/${m.listing.id}`);
    expect(text(listingPage.text)).toContain('Chat penjual');

    const threadUrl = await openShopChat(buyer, { workshop: m.workshopId, shop: m.shop });
    expect(threadUrl).toMatch(new RegExp(`^/workshops/${m.workshopId}/chat/\\d+$`));
    expect(await openShopChat(buyer, { workshop: m.workshopId, shop: m.shop })).toBe(threadUrl);
    const thread = await buyer.get(threadUrl);
    expect(text(thread.text)).toContain('Staf pelatihan (tutor dan penyelenggara) dapat membaca chat ini');

    const sent = await writeInChat(buyer, threadUrl, 'Halo Kak, ukuran tasnya berapa?');
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe(`${threadUrl}#latest`);

    const sellerHome = await seller.get(`/workshops/${m.workshopId}`);
    expect(badgeOf(sellerHome.text)).toBe('1');
    const inbox = text((await seller.get(`/workshops/${m.workshopId}/chat`)).text);
    expect(inbox).toContain(m.buyerUser.displayName);
    expect(inbox).toContain('Halo Kak, ukuran tasnya berapa?');
    expect(inbox).toContain('1 belum dibaca');
    expect(text((await seller.get(threadUrl)).text)).toContain('Halo Kak, ukuran tasnya berapa?');
    expect(badgeOf((await seller.get(`/workshops/${m.workshopId}`)).text)).toBeNull();

    await writeInChat(seller, threadUrl, 'Halo, 30 x 20 cm.');
    expect(badgeOf((await buyer.get(`/workshops/${m.workshopId}`)).text)).toBe('1');
    const messages = await prisma.chatMessage.findMany({ where: { thread: { shopId: m.shop.id } }, orderBy: { id: 'asc' } });
    expect(messages.map((x) => [x.body, x.fromShop])).toEqual([
      ['Halo Kak, ukuran tasnya berapa?', false],
      ['Halo, 30 x 20 cm.', true],
    ]);
  });

  it('when a message is empty, then nothing is sent and she reads why', async () => {
    const m = await makeMarketplace();
    const buyer = await signedInAgent(app, m.buyerUser);
    const threadUrl = await openShopChat(buyer, { workshop: m.workshopId, shop: m.shop });
    const res = await writeInChat(buyer, threadUrl, '   ');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(threadUrl);
    expect(text((await buyer.get(threadUrl)).text)).toContain('Tulis pesan dulu.');
    expect(await prisma.chatMessage.count({ where: { thread: { shopId: m.shop.id } } })).toBe(0);
  });

  it('when the buyer or the seller opens the chat of an order, then both reach the same thread about that order, and another trainee gets 404', async () => {
    const m = await makeMarketplace({ trainees: 3 });
    const { orderId } = await makeOrder({ buyer: m.buyer, listing: m.listing, paid: true });
    const buyer = await signedInAgent(app, m.buyerUser);
    const seller = await signedInAgent(app, m.sellerUser);
    const other = await signedInAgent(app, m.trainees[2]!);
    const order = await buyer.get(`/workshops/${m.workshopId}/orders/${orderId}`);
    expect(order.text).toContain(`action="/workshops/${m.workshopId}/chat/orders/${orderId}"`);
    const fromBuyer = await buyer
      .post(`/workshops/${m.workshopId}/chat/orders/${orderId}`)
      .type('form')
      .send({ _csrf: await buyer.csrf() });
    const fromSeller = await seller
      .post(`/workshops/${m.workshopId}/chat/orders/${orderId}`)
      .type('form')
      .send({ _csrf: await seller.csrf() });
    expect(fromSeller.headers.location).toBe(fromBuyer.headers.location);
    expect(text((await seller.get(fromSeller.headers.location!)).text)).toContain(`Tentang pesanan #${orderId}`);
    const byOther = await other
      .post(`/workshops/${m.workshopId}/chat/orders/${orderId}`)
      .type('form')
      .send({ _csrf: await other.csrf() });
    expect(byOther.status).toBe(404);
  });
});

describe('opening a chat twice at once', () => {
  it('when the buyer taps "Chat penjual" twice at once, then both taps open the same thread', { repeats: 5 }, async () => {
    const m = await makeMarketplace();
    const ids = await Promise.all([openShopThread(m.buyer, m.shop.id), openShopThread(m.buyer, m.shop.id)]);
    expect(ids[0]).toBe(ids[1]);
    expect(await prisma.chatThread.count({ where: { shopId: m.shop.id, buyerId: m.buyerUser.id } })).toBe(1);
  });

  it("when the buyer and the seller open an order's chat at the same moment, then they reach one thread", { repeats: 5 }, async () => {
    const m = await makeMarketplace();
    const { orderId } = await makeOrder({ buyer: m.buyer, listing: m.listing, paid: true });
    const ids = await Promise.all([openOrderThread(m.buyer, orderId), openOrderThread(m.seller, orderId)]);
    expect(ids[0]).toBe(ids[1]);
    expect(await prisma.chatThread.count({ where: { orderId } })).toBe(1);
  });
});

describe('live updates', () => {
  it('when the other side writes while her page is open, then the poll of her page gets only the new messages, hers marked, and reading them clears her badge; another trainee gets 404', async () => {
    const m = await makeMarketplace({ trainees: 3 });
    const buyer = await signedInAgent(app, m.buyerUser);
    const seller = await signedInAgent(app, m.sellerUser);
    const threadUrl = await openShopChat(buyer, { workshop: m.workshopId, shop: m.shop });
    await writeInChat(buyer, threadUrl, 'Satu');
    const page = await buyer.get(threadUrl);
    const after = /data-after="(\d+)"/.exec(page.text)![1];
    await writeInChat(seller, threadUrl, 'Dua');
    const poll = await buyer.get(`${threadUrl}/messages.json?after=${after}`);
    expect(poll.status).toBe(200);
    expect(poll.body.messages.map((x: { body: string; mine: boolean }) => [x.body, x.mine])).toEqual([['Dua', false]]);
    expect((await buyer.get(`/workshops/${m.workshopId}`)).text).not.toContain('data-badge');
    const other = await signedInAgent(app, m.trainees[2]!);
    expect((await other.get(`${threadUrl}/messages.json?after=0`)).status).toBe(404);
  });
});

describe('who may read a chat', () => {
  it('when another trainee of the workshop asks for a chat, then 404, to read and to write', async () => {
    const m = await makeMarketplace({ trainees: 3 });
    const buyer = await signedInAgent(app, m.buyerUser);
    const threadUrl = await openShopChat(buyer, { workshop: m.workshopId, shop: m.shop });
    await writeInChat(buyer, threadUrl, 'Pesan pribadi');
    const other = await signedInAgent(app, m.trainees[2]!);
    expect((await other.get(threadUrl)).status).toBe(404);
    const post = await other
      .post(`${threadUrl}/messages`)
      .type('form')
      .send({ _csrf: await other.csrf(), body: 'Halo' });
    expect(post.status).toBe(404);
    expect(text((await other.get(`/workshops/${m.workshopId}/chat`)).text)).not.toContain('Pesan pribadi');
    expect(await prisma.chatMessage.count({ where: { body: 'Halo' } })).toBe(0);
  });

  it('when the tutor of the workshop opens it, then she reads it, is told she reads as staff, and cannot write; staff of another workshop read none (404)', async () => {
    const m = await makeMarketplace();
    const buyer = await signedInAgent(app, m.buyerUser);
    const threadUrl = await openShopChat(buyer, { workshop: m.workshopId, shop: m.shop });
    await writeInChat(buyer, threadUrl, 'Apakah bisa COD?');

    const tutor = await signedInAgent(app, m.tutor);
    const inbox = text((await tutor.get(`/workshops/${m.workshopId}/chat`)).text);
    expect(inbox).toContain('Sebagai staf, Anda dapat membaca semua chat pelatihan ini');
    expect(inbox).toContain('Apakah bisa COD?');
    const page = await tutor.get(threadUrl);
    expect(page.status).toBe(200);
    expect(text(page.text)).toContain('Anda membaca chat ini sebagai staf pelatihan.');
    expect(page.text).not.toContain('name="body"');
    const post = await tutor
      .post(`${threadUrl}/messages`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), body: 'Dari tutor' });
    expect(post.status).toBe(303);
    expect(await prisma.chatMessage.count({ where: { body: 'Dari tutor' } })).toBe(0);

    const elsewhere = await makeWorkshop({ trainees: 0 });
    const otherTutor = await signedInAgent(app, elsewhere.tutor);
    expect((await otherTutor.get(threadUrl)).status).toBe(404);
    const threadId = threadUrl.split('/').pop();
    expect((await otherTutor.get(`/workshops/${elsewhere.workshopId}/chat/${threadId}`)).status).toBe(404);
    expect(text((await otherTutor.get(`/workshops/${elsewhere.workshopId}/chat`)).text)).not.toContain('Apakah bisa COD?');
  });
});

describe('the demo market answers', () => {
  it('when a trainee writes to a demo shop, then the shop answers with a short scripted reply a bot delay later, once', async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const demo = await makeDemoShop({ workshop: w.workshopId });
    const trainee = await signedInAgent(app, w.trainees[0]!);
    const threadUrl = await openShopChat(trainee, { workshop: w.workshopId, shop: demo.shop });
    await writeInChat(trainee, threadUrl, 'Masih ada stok?');
    await writeInChat(trainee, threadUrl, 'Bisa kirim hari ini?');
    expect(await runNextTask(w.workshopId)).toEqual({ kind: 'seller.reply', status: 'done' });
    expect(await runNextTask(w.workshopId)).toEqual({ kind: 'seller.reply', status: 'skipped' });
    const page = text((await trainee.get(threadUrl)).text);
    expect(page).toContain('Halo Kak, terima kasih sudah menghubungi kami.');
    expect(await prisma.chatMessage.count({ where: { thread: { shopId: demo.shop.id }, fromShop: true } })).toBe(1);
  });

  it('when a seller writes to a demo buyer about its order, then the demo buyer answers', async () => {
    const m = await makeMarketplace();
    const demoBuyer = await makeUser({ memberOf: m.workshopId, demoKind: 'buyer' });
    const { orderId } = await makeOrder({
      buyer: await ctxOf({ workshop: m.workshopId, user: demoBuyer }),
      listing: m.listing,
      paid: true,
    });
    const seller = await signedInAgent(app, m.sellerUser);
    const opened = await seller
      .post(`/workshops/${m.workshopId}/chat/orders/${orderId}`)
      .type('form')
      .send({ _csrf: await seller.csrf() });
    await writeInChat(seller, opened.headers.location!, 'Terima kasih, pesanan segera dikirim.');
    expect(await runNextTask(m.workshopId)).toEqual({ kind: 'buyer.reply', status: 'done' });
    expect(text((await seller.get(opened.headers.location!)).text)).toContain('Baik Kak, terima kasih infonya.');
  });
});
