// Chat as a trainee uses it, through its forms: "Chat penjual" opens her thread with a shop, and
// she writes in it (text with the plain form, a photo with the multipart one).
import { csrfFrom } from '../helpers.js';
import type { Agent } from './agents.js';
import { idOf, type Ref } from './ref.js';

/** Presses "Chat penjual" of the shop; returns the thread's URL (the same thread every time). */
export async function openShopChat(agent: Agent, options: { workshop: Ref; shop: Ref }): Promise<string> {
  const res = await agent
    .post(`/workshops/${idOf(options.workshop)}/chat/shops/${idOf(options.shop)}`)
    .type('form')
    .send({ _csrf: await agent.csrf() });
  if (res.status !== 303 || !res.headers.location) throw new Error(`"Chat penjual" answered ${res.status}`);
  return res.headers.location;
}

/** Writes a text message with the thread page's form; returns the answer (303 back to the thread, refused or not). */
export async function writeInChat(agent: Agent, threadUrl: string, body: string) {
  const page = await agent.get(threadUrl);
  return agent
    .post(`${threadUrl}/messages`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), body });
}

/** Sends a photo (and a line of text) with the thread page's multipart form, its token in the form's action. */
export async function sendChatPhoto(agent: Agent, threadUrl: string, options: { photo: Buffer; body?: string }) {
  const page = await agent.get(threadUrl);
  const action = /action="([^"]+\/messages\?_csrf=[^"]+)"/.exec(page.text)?.[1];
  if (!action) throw new Error(`No photo form on ${threadUrl}`);
  return agent
    .post(action.replace(/&amp;/g, '&'))
    .field('body', options.body ?? '')
    .attach('photo', options.photo, 'foto.jpg');
}
