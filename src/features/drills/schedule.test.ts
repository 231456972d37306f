// Drills to a group and at a set time on the training clock: only the ticked participants get
// one, a scheduled drill waits until the workshop's clock reaches its time (the tutor's "+1 jam"
// or the job), arrives once, and the drills of the current session are among her missions.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../app.js';
import { config } from '../../config.js';
import { prisma } from '../../db.js';
import { getT } from '../../i18n/index.js';
import { toLocalDateTimeText } from '../../lib/dates.js';
import { csrfFrom, text } from '../../test/helpers.js';
import { type Agent, makeWorkshop, signedInAgent } from '../../test/builders/index.js';
import { workshopNowOf } from '../workshops/clock.js';
import { deliverDueDrills } from './drills.service.js';

let app: Express;
beforeAll(() => {
  app = createApp();
});

async function send(tutor: Agent, workshopId: number, fields: Record<string, string | string[]>) {
  const page = await tutor.get(`/workshops/${workshopId}/drills`);
  return tutor
    .post(`/workshops/${workshopId}/drills/send`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), scenario: 'otp-cs', ...fields });
}

/** The value of the "send at" field for the workshop's time now plus `hours`. */
async function inHours(workshopId: number, hours: number): Promise<string> {
  const at = new Date((await workshopNowOf(workshopId)).getTime() + hours * 3_600_000);
  return toLocalDateTimeText(at, config.timezone).slice(0, 16).replace(' ', 'T');
}

const deliveredTo = async (workshopId: number) =>
  (await prisma.drillDelivery.findMany({ where: { send: { workshopId } }, select: { traineeId: true } })).map((d) => d.traineeId).sort();

describe('a drill to a group', () => {
  it('when the tutor ticks two of three participants, then only those two get it', async () => {
    const w = await makeWorkshop({ trainees: 3 });
    const tutor = await signedInAgent(app, w.tutor);
    const [a, b] = w.trainees;
    const sent = await send(tutor, w.workshopId, { to: 'group', group: [String(a!.id), String(b!.id)] });
    expect(text((await tutor.get(sent.headers.location!)).text)).toContain('Latihan dikirim ke 2 peserta.');
    expect(await deliveredTo(w.workshopId)).toEqual([a!.id, b!.id].sort());
  });

  it('when the group names someone who is not a participant of the workshop, or nobody, then nothing is sent and the tutor is told why', async () => {
    const w = await makeWorkshop({ trainees: 2 });
    const elsewhere = await makeWorkshop({ trainees: 1 });
    const tutor = await signedInAgent(app, w.tutor);
    const wrong = await send(tutor, w.workshopId, { to: 'group', group: [String(w.trainees[0]!.id), String(elsewhere.trainees[0]!.id)] });
    expect(text((await tutor.get(wrong.headers.location!)).text)).toContain('bukan peserta');
    const empty = await send(tutor, w.workshopId, { to: 'group' });
    expect(empty.status).toBe(303);
    expect(await prisma.drillSend.count({ where: { workshopId: w.workshopId } })).toBe(0);
  });
});

describe('a drill at a set time on the training clock', () => {
  it('when the tutor schedules it two hours ahead, then nobody gets it until the clock reaches the time, the board says it is scheduled, and it arrives once', async () => {
    const w = await makeWorkshop({ trainees: 2 });
    const tutor = await signedInAgent(app, w.tutor);
    const sent = await send(tutor, w.workshopId, { to: 'all', at: await inHours(w.workshopId, 2) });
    const board = text((await tutor.get(sent.headers.location!)).text);
    expect(board).toContain('Latihan dijadwalkan untuk 2 peserta');
    expect(board).toContain('Terjadwal untuk 2 peserta');
    expect(await deliveredTo(w.workshopId)).toEqual([]);

    const clock = async () => {
      const market = await tutor.get(`/workshops/${w.workshopId}/market`);
      return tutor
        .post(`/workshops/${w.workshopId}/market/clock`)
        .type('form')
        .send({ _csrf: csrfFrom(market.text), step: 'hour' });
    };
    await clock();
    expect(await deliveredTo(w.workshopId)).toEqual([]);
    await clock();
    expect(await deliveredTo(w.workshopId)).toEqual(w.trainees.map((t) => t.id).sort());
    expect(await deliverDueDrills(w.workshopId, new Date(Date.now() + 10 * 86_400_000))).toBe(0);
    expect(text((await tutor.get(`/workshops/${w.workshopId}/drills`)).text)).not.toContain('Terjadwal untuk');
    const trainee = await signedInAgent(app, w.trainees[0]!);
    expect(text((await trainee.get(`/workshops/${w.workshopId}/chat`)).text)).toContain('CS PasarLatih');
  });

  it('when the set time has already passed on the training clock, then the drill goes now', async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const tutor = await signedInAgent(app, w.tutor);
    const sent = await send(tutor, w.workshopId, { to: 'all', at: await inHours(w.workshopId, -1) });
    expect(text((await tutor.get(sent.headers.location!)).text)).toContain('Latihan dikirim ke 1 peserta.');
    expect(await deliveredTo(w.workshopId)).toEqual([w.trainees[0]!.id]);
  });

  it('when the time is not a date, then nothing is sent and the tutor is told', async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const tutor = await signedInAgent(app, w.tutor);
    const sent = await send(tutor, w.workshopId, { to: 'all', at: 'besok pagi' });
    expect(text((await tutor.get(sent.headers.location!)).text)).toContain('Tulis tanggal dan jam');
    expect(await prisma.drillSend.count({ where: { workshopId: w.workshopId } })).toBe(0);
  });
});

describe('drills among her missions', () => {
  it('when a drill reaches her, then her missions show a neutral "check your chat" item, which names the scam and is ticked once she reacts', async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const tutor = await signedInAgent(app, w.tutor);
    const trainee = await signedInAgent(app, w.trainees[0]!);
    await send(tutor, w.workshopId, { to: 'all' });
    const home = await trainee.get(`/workshops/${w.workshopId}`);
    expect(text(home.text)).toContain('Periksa pesan baru di Chat');
    expect(home.text).toMatch(/data-mission="drill-\d+" data-state="(next|todo)"/);

    const delivery = await prisma.drillDelivery.findFirstOrThrow({ where: { traineeId: w.trainees[0]!.id } });
    const url = `/workshops/${w.workshopId}/chat/drills/${delivery.id}`;
    const page = await trainee.get(url);
    await trainee
      .post(`${url}/react`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), reaction: 'report' });
    const after = await trainee.get(`/workshops/${w.workshopId}`);
    expect(after.text).toContain(`data-mission="drill-${delivery.id}" data-state="done"`);
    expect(text(after.text)).not.toContain('Periksa pesan baru di Chat');
    expect(text(after.text)).toContain(getT('id')('drills:scenarios.otp-cs.title'));
  });
});
