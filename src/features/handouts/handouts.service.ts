// Printable handouts (A4): a login slip per participant, the test-card sheet, the agenda. Paper
// stays in the room when phones change hands: a trainee who signed out on day 2 still has her
// username and the QR code of the sign-in page, and writes her password in the space left for it.
import { qrDataUrl } from '../../http/qr-code.js';
import { getAgenda } from '../agenda/agenda.service.js';
import { listParticipants } from '../workshops/participants.js';
import { assertRole, formatJoinCode, type WorkshopCtx } from '../workshops/workshops.service.js';

export type LoginSlip = { displayName: string; username: string; url: string; qr: string };

/**
 * One slip per participant (her username and a QR code of the sign-in page with it filled in),
 * and `blank` join slips for those who have not joined yet. `baseUrl`: the address phones open.
 */
export async function getLoginSlips(ctx: WorkshopCtx, baseUrl: string, blank: number) {
  assertRole(ctx, 'organizer', 'tutor');
  const participants = await listParticipants(ctx.workshopId);
  const next = encodeURIComponent(`/workshops/${ctx.workshopId}`);
  const slips: LoginSlip[] = [];
  for (const p of participants) {
    const url = `${baseUrl}/login?username=${encodeURIComponent(p.username)}&next=${next}`;
    slips.push({ displayName: p.displayName, username: p.username, url, qr: await qrDataUrl(url) });
  }
  const joinUrl = `${baseUrl}/join?code=${ctx.workshop.joinCode}`;
  return {
    slips,
    blank,
    join: { url: joinUrl, qr: await qrDataUrl(joinUrl), code: formatJoinCode(ctx.workshop.joinCode) },
  };
}

/**
 * The sandbox's test cards (Stripe's public test numbers, which the payment sandbox accepts) and
 * what each does, for the sheet on every table.
 */
export const testCardSheet = [
  { number: '4242 4242 4242 4242', outcome: 'succeeds' },
  { number: '4000 0027 6000 3184', outcome: 'threeDSecure' },
  { number: '4000 0000 0000 0002', outcome: 'declined' },
  { number: '4000 0000 0000 9995', outcome: 'insufficientFunds' },
  { number: '4000 0000 0000 0069', outcome: 'expired' },
] as const;

export function getTestCardSheet(ctx: WorkshopCtx) {
  assertRole(ctx, 'organizer', 'tutor');
  return { cards: testCardSheet };
}

export async function getAgendaHandout(ctx: WorkshopCtx) {
  assertRole(ctx, 'organizer', 'tutor');
  return { sessions: await getAgenda(ctx) };
}
