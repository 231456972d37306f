// Demo shops and demo buyers answer chat messages with a short scripted reply, a bot's delay
// after the message, as a person at the other end would. A reply answers every thread of the
// shop still waiting for one, and reading it clears the count, so a task that runs twice, or a
// second message before the reply, gets one answer.
import { prisma } from '../../db.js';
import type { DomainEvents } from '../../events.js';
import { getT } from '../../i18n/index.js';
import { postMessage } from '../chat/chat.service.js';
import { afterBotDelay, botSettings, scheduleTask, type BotTaskRow } from './bot-tasks.js';
import type { TaskOutcome } from './outcomes.js';

/** On chatMessageSent: a message to a demo shop, or from a seller to a demo buyer, gets its reply scheduled. */
export async function scheduleDemoChatReply({ workshopId, threadId, messageId, fromShop }: DomainEvents['chatMessageSent']): Promise<void> {
  const thread = await prisma.chatThread.findUniqueOrThrow({
    where: { id: threadId },
    select: { shopId: true, shop: { select: { isDemo: true } }, buyer: { select: { demoKind: true } } },
  });
  const kind = !fromShop && thread.shop.isDemo ? 'seller.reply' : fromShop && thread.buyer.demoKind === 'buyer' ? 'buyer.reply' : null;
  if (!kind) return;
  const settings = await botSettings(prisma, workshopId);
  await scheduleTask(prisma, workshopId, { kind, key: `${kind}:${messageId}`, shopId: thread.shopId, dueAt: afterBotDelay(settings) });
}

const replyText = (key: 'shopReply' | 'buyerReply') => getT('id')(`market:chat.${key}`);

/** The demo shop answers every thread whose buyer waits for it. */
export async function replyAsDemoShop(task: BotTaskRow): Promise<TaskOutcome> {
  const waiting = await prisma.chatThread.findMany({
    where: { shopId: task.shopId!, sellerUnread: { gt: 0 }, shop: { isDemo: true } },
    select: { id: true, shop: { select: { ownerId: true } } },
  });
  for (const thread of waiting) await postMessage(thread.id, thread.shop.ownerId, true, replyText('shopReply'));
  return waiting.length ? { status: 'done' } : { status: 'skipped', note: 'market:log.nothingToAnswer' };
}

/** Demo buyers answer the seller's messages in their threads with her shop. */
export async function replyAsDemoBuyer(task: BotTaskRow): Promise<TaskOutcome> {
  const waiting = await prisma.chatThread.findMany({
    where: { shopId: task.shopId!, buyerUnread: { gt: 0 }, buyer: { demoKind: 'buyer' } },
    select: { id: true, buyerId: true },
  });
  for (const thread of waiting) await postMessage(thread.id, thread.buyerId, false, replyText('buyerReply'));
  return waiting.length ? { status: 'done' } : { status: 'skipped', note: 'market:log.nothingToAnswer' };
}
