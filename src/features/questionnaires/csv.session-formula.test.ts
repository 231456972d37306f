import { describe, expect, it } from 'vitest';
import { prisma } from '../../db.js';
import { ctxOf, makeForm, makeResponse, makeWorkshop } from '../../test/builders/index.js';
import { csvText, exportResponsesCsv } from './csv.service.js';

describe('the responses CSV and spreadsheet formulas', () => {
  it('when a session name typed by the organizer starts like a formula, then its cell in the export is defused', async () => {
    const w = await makeWorkshop({ trainees: 0 });
    const session = await prisma.workshopSession.findFirstOrThrow({ where: { workshopId: w.workshopId } });
    await prisma.workshopSession.update({ where: { id: session.id }, data: { name: '=HYPERLINK("http://evil.example","Hari 1")' } });
    const form = await makeForm({ workshop: w.workshop, template: 'post-training', session });
    await makeResponse({ form, session });
    const csv = await csvText((await exportResponsesCsv(await ctxOf({ workshop: w.workshop, user: w.organizer }), form.id)).parts);
    expect(csv).toContain(`,"'=HYPERLINK(""http://evil.example"",""Hari 1"")",`);
    expect(csv).not.toContain(`,"=HYPERLINK`);
  });
});
