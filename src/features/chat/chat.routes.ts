// The chat pages (mounted at /chat in a workshop): her list of chats and drills, one thread, and
// the buttons that open a thread with a shop ("Chat penjual") or about an order. Plain forms:
// write, send, the page reloads with the message.
import { Router, type RequestHandler } from 'express';
import { setFlash } from '../../http/flash.js';
import { idFrom, idParam } from '../../http/params.js';
import { backOnRefusal, refererPath } from '../../http/refusals.js';
import { RefusedError } from '../../errors.js';
import { imageUpload, prepareUploads, sendPrivateImage, uploadedBuffers } from '../../http/uploads.js';
import { parseOrRefuse, parseOrThrow } from '../../http/validation.js';
import { photoSizes } from '../listings/listings.service.js';
import { workshopBase } from '../workshops/workshop-context.js';
import { afterSchema, messageSchema } from './chat.schemas.js';
import {
  chatPhotoPath,
  getInbox,
  getThread,
  messagesAfter,
  openOrderThread,
  openShopThread,
  sendMessage,
  unreadForTabBar,
} from './chat.service.js';

declare module 'express-serve-static-core' {
  interface Locals {
    /** Counts shown as badges on the tab bar's tabs, by tab key. */
    tabBadges?: Record<string, number>;
    /** She blocked someone in this workshop (src/features/safety): the catalogue leaves their listings out. */
    blocksSomeone?: boolean;
  }
}

/** In front of a trainee's workshop pages: her unread chat messages and drills, on the orders tab (where her chats are). */
export const chatBadges: RequestHandler = async (req, res, next) => {
  if (req.method === 'GET' && res.locals.ctx.role === 'trainee') {
    const { unread, blocks } = await unreadForTabBar(res.locals.ctx);
    if (unread) res.locals.tabBadges = { orders: unread };
    res.locals.blocksSomeone = blocks > 0;
  }
  next();
};

export const chatRouter = Router();
chatRouter.param('threadId', idParam);
chatRouter.param('shopId', idParam);
chatRouter.param('orderId', idParam);
chatRouter.param('messageId', idParam);

chatRouter.get('/', async (_req, res) => {
  const inbox = await getInbox(res.locals.ctx);
  res.render('chat/inbox', { ...inbox, title: res.locals.t('chat:inbox.title') });
});

chatRouter.post('/shops/:shopId', async (req, res) => {
  backOnRefusal(res, refererPath(req) ?? workshopBase(res));
  const threadId = await openShopThread(res.locals.ctx, idFrom(req, 'shopId'));
  res.redirect(303, `${workshopBase(res)}/chat/${threadId}`);
});

chatRouter.post('/orders/:orderId', async (req, res) => {
  const threadId = await openOrderThread(res.locals.ctx, idFrom(req, 'orderId'));
  res.redirect(303, `${workshopBase(res)}/chat/${threadId}`);
});

chatRouter.get('/:threadId', async (req, res) => {
  const chat = await getThread(res.locals.ctx, idFrom(req, 'threadId'));
  res.render('chat/thread', {
    ...chat,
    title: res.locals.t('chat:thread.title', { name: chat.side === 'seller' ? chat.thread.buyer.displayName : chat.thread.shop.name }),
  });
});

// Live updates (public/js/chat.js): the messages after the newest the page shows, polled while it is open.
chatRouter.get('/:threadId/messages.json', async (req, res) => {
  const { after } = parseOrThrow(afterSchema, req.query);
  const { side, messages } = await messagesAfter(res.locals.ctx, idFrom(req, 'threadId'), after);
  res.json({
    messages: messages.map((m) => ({
      id: m.id,
      body: m.body,
      photo: m.hasPhoto ? `${workshopBase(res)}/chat/${idFrom(req, 'threadId')}/photos/${m.id}` : null,
      photoAlt: res.locals.t('chat:thread.photoAlt', { name: m.sender.displayName }),
      sender: m.sender.displayName,
      at: res.locals.dateTime(m.createdAt),
      mine: side !== 'staff' && (side === 'seller') === m.fromShop,
    })),
  });
});

/** The upload's refusal in chat's words (the forms' words promise to keep what was typed; a chat cannot). */
const photoRefusal = (uploadKey: string) => `chat:photoRefused.${uploadKey.replace('common:upload.', '')}`;

// A message: text, a photo (judged and re-encoded as listing photos are), or both. The form is
// multipart with its token in the URL, as every upload form; a refused photo comes back as a flash.
chatRouter.post('/:threadId/messages', imageUpload('photo', 1), async (req, res) => {
  const url = `${workshopBase(res)}/chat/${idFrom(req, 'threadId')}`;
  backOnRefusal(res, url);
  if (res.locals.uploadError) throw new RefusedError(photoRefusal(res.locals.uploadError));
  const { body } = parseOrRefuse(messageSchema, req.body);
  const { images, errorKey } = await prepareUploads(uploadedBuffers(req), photoSizes);
  if (errorKey) throw new RefusedError(photoRefusal(errorKey));
  await sendMessage(res.locals.ctx, idFrom(req, 'threadId'), body, images[0]);
  setFlash(req, 'success', 'chat:sent');
  res.redirect(303, `${url}#latest`);
});

// A message's photo, for the two parties and the workshop's staff (never under /uploads).
chatRouter.get('/:threadId/photos/:messageId', async (req, res) => {
  sendPrivateImage(res, await chatPhotoPath(res.locals.ctx, idFrom(req, 'threadId'), idFrom(req, 'messageId'), req.query.size === 'thumb'));
});
