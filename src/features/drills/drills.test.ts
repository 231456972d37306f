// Scam drills over HTTP: the tutor sends each scenario, it reaches the participants where it
// would (chat or notification) looking real, every reaction is recorded with its time and opens
// the debrief, the board counts who spotted and who complied, and the evaluation shows the share.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { getT } from '../../i18n/index.js';
import { csrfFrom, text } from '../../test/helpers.js';
import { type Agent, makeUser, makeWorkshop, signedInAgent } from '../../test/builders/index.js';
import { drillReactions, drillScenarios } from './drills.registry.js';

let app: Express;
beforeAll(() => {
  app = createApp();
});

const t = getT('id');

async function sendDrill(tutor: Agent, workshopId: number, scenario: string, to: string | number = 'all') {
  const page = await tutor.get(`/workshops/${workshopId}/drills`);
  return tutor
    .post(`/workshops/${workshopId}/drills/send`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), scenario, to: String(to) });
}

/** The url of her newest drill, read from her chat list. */
async function newestDrillUrl(trainee: Agent, workshopId: number): Promise<string> {
  const inbox = await trainee.get(`/workshops/${workshopId}/chat`);
  const ids = [...inbox.text.matchAll(new RegExp(`href="/workshops/${workshopId}/chat/drills/(\\d+)"`, 'g'))].map((m) => Number(m[1]));
  if (!ids.length) throw new Error('No drill in her chat list');
  return `/workshops/${workshopId}/chat/drills/${Math.max(...ids)}`;
}

async function reactTo(trainee: Agent, url: string, reaction: string) {
  const page = await trainee.get(url);
  return trainee
    .post(`${url}/react`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), reaction });
}

describe('sending a drill', () => {
  it('when the tutor sends each scenario to all, then it reaches every participant (never a demo account) where it would arrive, looking real until she reacts', async () => {
    const w = await makeWorkshop({ trainees: 2 });
    await makeUser({ memberOf: w.workshopId, demoKind: 'buyer' });
    const tutor = await signedInAgent(app, w.tutor);
    const trainee = await signedInAgent(app, w.trainees[0]!);
    for (const scenario of drillScenarios) {
      const sent = await sendDrill(tutor, w.workshopId, scenario.key);
      expect(sent.status).toBe(303);
      expect(text((await tutor.get(sent.headers.location!)).text)).toContain('Latihan dikirim ke 2 peserta.');
      const url = await newestDrillUrl(trainee, w.workshopId);
      const inbox = text((await trainee.get(`/workshops/${w.workshopId}/chat`)).text);
      expect(inbox).toContain(t(`drills:scenarios.${scenario.key}.sender`));
      if (scenario.arrives === 'notification') expect(inbox).toContain('Notifikasi');
      const page = await trainee.get(url);
      expect(page.status).toBe(200);
      const body = text(page.text);
      expect(body).toContain(t(`drills:scenarios.${scenario.key}.message1`));
      expect(body).toContain(t(`drills:scenarios.${scenario.key}.comply`));
      expect(page.text).not.toContain('data-testid="drill-debrief"');
      expect(body).not.toContain(t(`drills:scenarios.${scenario.key}.debrief`));
    }
    expect(await prisma.drillDelivery.count({ where: { send: { workshopId: w.workshopId } } })).toBe(drillScenarios.length * 2);
  });

  it('when the tutor sends a drill to one trainee, then only she gets it, and the badge on her tab bar counts it until she opens it', async () => {
    const w = await makeWorkshop({ trainees: 2 });
    const [a, b] = w.trainees as [(typeof w.trainees)[0], (typeof w.trainees)[0]];
    const tutor = await signedInAgent(app, w.tutor);
    await sendDrill(tutor, w.workshopId, 'prize-fee', a.id);
    const first = await signedInAgent(app, a);
    const second = await signedInAgent(app, b);
    expect((await first.get(`/workshops/${w.workshopId}`)).text).toContain('data-badge="orders">1');
    expect(text((await second.get(`/workshops/${w.workshopId}/chat`)).text)).not.toContain('Undian PasarLatih 2026');
    await first.get(await newestDrillUrl(first, w.workshopId));
    expect((await first.get(`/workshops/${w.workshopId}`)).text).not.toContain('data-badge');
  });

  it('when a trainee opens the drills page, then 403; when another trainee opens her drill, or staff of another workshop, then 404', async () => {
    const w = await makeWorkshop({ trainees: 2 });
    const tutor = await signedInAgent(app, w.tutor);
    await sendDrill(tutor, w.workshopId, 'otp-cs', w.trainees[0]!.id);
    const owner = await signedInAgent(app, w.trainees[0]!);
    const url = await newestDrillUrl(owner, w.workshopId);
    const other = await signedInAgent(app, w.trainees[1]!);
    expect((await other.get(`/workshops/${w.workshopId}/drills`)).status).toBe(403);
    expect((await other.get(url)).status).toBe(404);
    expect(
      (
        await other
          .post(`${url}/react`)
          .type('form')
          .send({ _csrf: await other.csrf(), reaction: 'comply' })
      ).status,
    ).toBe(404);
    const elsewhere = await makeWorkshop({ trainees: 0 });
    const otherTutor = await signedInAgent(app, elsewhere.tutor);
    expect((await otherTutor.get(url)).status).toBe(404);
    expect((await otherTutor.get(`/workshops/${w.workshopId}/drills`)).status).toBe(404);
    expect(await prisma.drillReaction.count({ where: { delivery: { send: { workshopId: w.workshopId } } } })).toBe(0);
  });
});

describe('reacting to a drill', () => {
  it.each(drillReactions)(
    'when she reacts with "%s", then the reaction is recorded with its time and the debrief shows',
    async (reaction) => {
      const w = await makeWorkshop({ trainees: 1 });
      const tutor = await signedInAgent(app, w.tutor);
      await sendDrill(tutor, w.workshopId, 'otp-cs');
      const trainee = await signedInAgent(app, w.trainees[0]!);
      const url = await newestDrillUrl(trainee, w.workshopId);
      const before = Date.now();
      const res = await reactTo(trainee, url, reaction);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${url}#debrief`);
      const delivery = await prisma.drillDelivery.findFirstOrThrow({
        where: { traineeId: w.trainees[0]!.id },
        include: { reactions: true },
      });
      expect(delivery.outcome).toBe(reaction === 'comply' ? 'complied' : 'spotted');
      expect(delivery.reactions.map((r) => r.reaction)).toEqual([reaction]);
      expect(delivery.reactions[0]!.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
      const revealed = await trainee.get(url);
      expect(revealed.text).toContain('data-testid="drill-debrief"');
      const page = text(revealed.text);
      expect(page).toContain('Ini latihan penipuan');
      expect(page).toContain(t('drills:scenarios.otp-cs.debrief'));
      expect(page).toContain(reaction === 'comply' ? 'Anda tertipu kali ini.' : 'Bagus, Anda mengenali penipuan ini.');
    },
  );

  it('when she complies, then nothing is asked of her (no field to type in), and once the drill is revealed she cannot comply again but can still report it', async () => {
    const w = await makeWorkshop({ trainees: 1 });
    const tutor = await signedInAgent(app, w.tutor);
    await sendDrill(tutor, w.workshopId, 'fake-login');
    const trainee = await signedInAgent(app, w.trainees[0]!);
    const url = await newestDrillUrl(trainee, w.workshopId);
    const page = await trainee.get(url);
    expect(page.text).not.toMatch(/<input(?![^>]*type="hidden")/);
    await reactTo(trainee, url, 'refuse');
    expect((await trainee.get(url)).text).not.toContain('value="comply"');
    const again = await reactTo(trainee, url, 'comply');
    expect(again.headers.location).toBe(url);
    await reactTo(trainee, url, 'report');
    const delivery = await prisma.drillDelivery.findFirstOrThrow({
      where: { traineeId: w.trainees[0]!.id },
      include: { reactions: { orderBy: { id: 'asc' } } },
    });
    expect(delivery.outcome).toBe('spotted');
    expect(delivery.reactions.map((r) => r.reaction)).toEqual(['refuse', 'report']);
  });
});

describe('the drill board and the evaluation', () => {
  it('when one trainee refuses, one complies and one has not reacted, then the board says 1 spotted, 1 complied, 1 not reacted, and the evaluation shows 33% spotted', async () => {
    const w = await makeWorkshop({ trainees: 3 });
    const tutor = await signedInAgent(app, w.tutor);
    await sendDrill(tutor, w.workshopId, 'otp-cs');
    const [a, b] = [await signedInAgent(app, w.trainees[0]!), await signedInAgent(app, w.trainees[1]!)];
    await reactTo(a, await newestDrillUrl(a, w.workshopId), 'refuse');
    await reactTo(b, await newestDrillUrl(b, w.workshopId), 'comply');
    const board = await tutor.get(`/workshops/${w.workshopId}/drills`);
    expect(text(board.text)).toContain('1 mengenali · 1 tertipu · 1 belum bereaksi');
    expect(text(board.text)).toContain(w.trainees[0]!.displayName);
    const evaluation = await tutor.get(`/workshops/${w.workshopId}/evaluation`);
    const section = text(evaluation.text);
    expect(section).toContain('Bukti perilaku: latihan penipuan');
    expect(evaluation.text).toMatch(/data-drill="otp-cs">.*?data-testid="drill-share"><strong>33%/s);
  });
});
