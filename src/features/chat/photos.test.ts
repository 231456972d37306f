// Photo messages in chat: sent with the plain multipart form (no JavaScript), judged and
// re-encoded as listing photos are, shown in the thread, and loaded only by the two parties and
// the workshop's staff, never through the public /uploads.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import sharp from 'sharp';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { text } from '../../test/helpers.js';
import {
  hugePng,
  jpegWithGps,
  makeMarketplace,
  makeWorkshop,
  signedInAgent,
  textPretendingToBeJpeg,
  openShopChat,
  sendChatPhoto,
} from '../../test/builders/index.js';

let app: Express;
beforeAll(() => {
  app = createApp();
});

const photoUrls = (html: string) => [...html.matchAll(/<img class="chat-photo" src="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

describe('a photo in chat', () => {
  it('when the buyer sends a phone photo with a line of text, then both sides see it as a re-encoded WebP without its GPS, from the chat and not from /uploads', async () => {
    const m = await makeMarketplace();
    const buyer = await signedInAgent(app, m.buyerUser);
    const seller = await signedInAgent(app, m.sellerUser);
    const threadUrl = await openShopChat(buyer, { workshop: m.workshopId, shop: m.shop });
    const sent = await sendChatPhoto(buyer, threadUrl, { photo: await jpegWithGps(), body: 'Tasnya sobek di sini, Kak' });
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe(`${threadUrl}#latest`);

    const page = await seller.get(threadUrl);
    expect(text(page.text)).toContain('Tasnya sobek di sini, Kak');
    const [thumb] = photoUrls(page.text);
    expect(thumb).toMatch(new RegExp(`^${threadUrl}/photos/\\d+\\?size=thumb$`));
    const full = await seller.get(thumb!.replace('?size=thumb', '')).buffer(true);
    expect(full.status).toBe(200);
    expect(full.headers['content-type']).toBe('image/webp');
    expect(full.headers['cache-control']).toContain('private');
    const meta = await sharp(full.body as Buffer).metadata();
    expect(meta.format).toBe('webp');
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(1200);
    expect(meta.exif).toBeUndefined();
    expect((await buyer.get(thumb!)).status).toBe(200);

    const row = await prisma.chatMessage.findFirstOrThrow({ where: { thread: { shopId: m.shop.id } } });
    expect(row.photoPath).toMatch(/^chat\//);
    expect((await buyer.get(`/uploads/${row.photoPath}`)).status).toBe(404);
    expect((await buyer.get(`/uploads/${row.photoThumbPath}`)).status).toBe(404);
  });

  it('when a photo comes without text, then it is sent, and the chat list says "Foto"', async () => {
    const m = await makeMarketplace();
    const buyer = await signedInAgent(app, m.buyerUser);
    const threadUrl = await openShopChat(buyer, { workshop: m.workshopId, shop: m.shop });
    expect((await sendChatPhoto(buyer, threadUrl, { photo: await jpegWithGps({ width: 400, height: 300 }) })).status).toBe(303);
    expect(await prisma.chatMessage.count({ where: { thread: { shopId: m.shop.id }, photoPath: { not: null } } })).toBe(1);
    const inbox = await signedInAgent(app, m.sellerUser).then((s) => s.get(`/workshops/${m.workshopId}/chat`));
    expect(text(inbox.text)).toContain('Foto');
  });

  it('when the file is not a picture or has too many pixels, then nothing is sent and she is told why', async () => {
    const m = await makeMarketplace();
    const buyer = await signedInAgent(app, m.buyerUser);
    const threadUrl = await openShopChat(buyer, { workshop: m.workshopId, shop: m.shop });
    const notImage = await sendChatPhoto(buyer, threadUrl, { photo: textPretendingToBeJpeg, body: 'lihat' });
    expect(notImage.status).toBe(303);
    expect(text((await buyer.get(notImage.headers.location!)).text)).toContain(
      'Foto tidak terkirim: file ini bukan foto JPG, PNG atau WebP.',
    );
    const huge = await sendChatPhoto(buyer, threadUrl, { photo: await hugePng() });
    expect(huge.status).toBe(303);
    expect(text((await buyer.get(huge.headers.location!)).text)).toContain('paling besar 24 megapiksel');
    expect(await prisma.chatMessage.count({ where: { thread: { shopId: m.shop.id } } })).toBe(0);
  });

  it('when another trainee, or staff of another workshop, asks for the photo, then 404; the tutor of the workshop sees it', async () => {
    const m = await makeMarketplace({ trainees: 3 });
    const buyer = await signedInAgent(app, m.buyerUser);
    const threadUrl = await openShopChat(buyer, { workshop: m.workshopId, shop: m.shop });
    await sendChatPhoto(buyer, threadUrl, { photo: await jpegWithGps({ width: 400, height: 300 }) });
    const [thumb] = photoUrls((await buyer.get(threadUrl)).text);
    const full = thumb!.replace('?size=thumb', '');

    const other = await signedInAgent(app, m.trainees[2]!);
    expect((await other.get(full)).status).toBe(404);
    expect((await other.get(thumb!)).status).toBe(404);
    const tutor = await signedInAgent(app, m.tutor);
    expect((await tutor.get(full)).status).toBe(200);
    const elsewhere = await makeWorkshop({ trainees: 0 });
    const otherTutor = await signedInAgent(app, elsewhere.tutor);
    expect((await otherTutor.get(full)).status).toBe(404);
    const [, , , threadId, , messageId] = full.split('/').slice(1);
    expect((await otherTutor.get(`/workshops/${elsewhere.workshopId}/chat/${threadId}/photos/${messageId}`)).status).toBe(404);
  });

  it('when the seller polls the open page, then the new photo message comes with its chat URL', async () => {
    const m = await makeMarketplace();
    const buyer = await signedInAgent(app, m.buyerUser);
    const seller = await signedInAgent(app, m.sellerUser);
    const threadUrl = await openShopChat(buyer, { workshop: m.workshopId, shop: m.shop });
    await sendChatPhoto(buyer, threadUrl, { photo: await jpegWithGps({ width: 400, height: 300 }) });
    const poll = await seller.get(`${threadUrl}/messages.json?after=0`);
    expect(poll.body.messages).toHaveLength(1);
    expect(poll.body.messages[0].photo).toMatch(new RegExp(`^${threadUrl}/photos/\\d+$`));
  });
});
