import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../app.js';
import { text } from '../../test/helpers.js';
import { makeShop, makeWorkshop, signedInAgent } from '../../test/builders/index.js';

let app: Express;
beforeAll(() => {
  app = createApp();
});

const leakedKey = /\b(missions|lessons|agenda|handouts|setup|sandbox|progress|workshops|common):[a-zA-Z]/;

describe('the training pages in both languages', () => {
  it.each(['id', 'en'])(
    'when every mission, lesson, agenda, projector, handout and tool page is shown in %s, then no locale key leaks',
    async (lang) => {
      const w = await makeWorkshop({ trainees: 1, agenda: true });
      await makeShop({ workshop: w.workshopId, owner: w.trainees[0]! });
      const base = `/workshops/${w.workshopId}`;
      const modules = ['a', 'b', 'c', 'd'].map((m) => `${base}/learn/${m}`);
      const pages = {
        trainee: [base, `${base}/learn`, ...modules, `${base}/agenda`],
        organizer: [
          base,
          ...modules,
          `${base}/agenda/edit`,
          `${base}/progress`,
          `${base}/progress/screen`,
          `${base}/missions/screen`,
          `${base}/join-screen`,
          `${base}/handouts`,
          `${base}/handouts/login-slips?blank=1`,
          `${base}/handouts/test-cards`,
          `${base}/handouts/agenda`,
          `${base}/sandbox`,
          `${base}/sandbox/reset`,
          `${base}/sandbox/trainees/${w.trainees[0]!.id}/reset`,
          '/workshops/new',
        ],
      };
      const users = { trainee: w.trainees[0]!.username, organizer: w.organizer.username };
      for (const [who, urls] of Object.entries(pages)) {
        const agent = await signedInAgent(app, users[who as keyof typeof users]);
        for (const url of urls) {
          const res = await agent.get(url).set('Cookie', `lang=${lang}`);
          expect(res.status, url).toBe(200);
          expect(text(res.text), url).not.toMatch(leakedKey);
          expect(res.text, url).toContain(`<html lang="${lang}">`);
        }
      }
    },
  );
});
