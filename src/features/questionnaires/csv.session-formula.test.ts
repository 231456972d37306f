import { describe, expect, it } from 'vitest';
import { prisma } from '../../db.js';
import { makeWorkshop } from '../../test/helpers.js';
import { enterWorkshop } from '../workshops/workshops.service.js';
import { csvText, exportResponsesCsv } from './csv.service.js';
import { insertFormFromTemplate } from './questionnaires.service.js';
import { getTemplate } from './templates.js';

describe('the responses CSV and spreadsheet formulas', () => {
  it('when a session name typed by the organizer starts like a formula, then its cell in the export is defused', async () => {
    const w = await makeWorkshop({ trainees: 0 });
    const session = await prisma.workshopSession.findFirstOrThrow({ where: { workshopId: w.workshopId } });
    await prisma.workshopSession.update({ where: { id: session.id }, data: { name: '=HYPERLINK("http://evil.example","Hari 1")' } });
    const formId = await insertFormFromTemplate(prisma, w.workshopId, getTemplate('post-training')!, {
      sessionId: session.id,
      status: 'open',
    });
    await prisma.response.create({ data: { workshopId: w.workshopId, formId, sessionId: session.id, source: 'paper' } });
    const csv = await csvText((await exportResponsesCsv(await enterWorkshop(w.organizer.id, w.workshopId), formId)).parts);
    expect(csv).toContain(`,"'=HYPERLINK(""http://evil.example"",""Hari 1"")",`);
    expect(csv).not.toContain(`,"=HYPERLINK`);
  });
});
