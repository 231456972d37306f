// Demo questionnaires for a new demo workshop: the pre-training form on the first session and
// the post-training form for "Hari 1", both open, so trainees can answer right away.
import { prisma } from '../../db.js';
import { insertFormFromTemplate } from './questionnaires.service.js';
import { getTemplate } from './templates.js';

export async function loadDemoQuestionnaires(workshopId: number): Promise<void> {
  const sessions = await prisma.workshopSession.findMany({
    where: { workshopId },
    orderBy: { position: 'asc' },
    select: { id: true, name: true },
  });
  const day1 = sessions.filter((s) => s.name.startsWith('Hari 1'));
  const firstSession = sessions[0]?.id ?? null;
  const endOfDay1 = day1.at(-1)?.id ?? firstSession;
  await prisma.$transaction(async (tx) => {
    await insertFormFromTemplate(tx, workshopId, getTemplate('pre-training')!, { sessionId: firstSession, status: 'open' });
    await insertFormFromTemplate(tx, workshopId, getTemplate('post-training')!, {
      sessionId: endOfDay1,
      status: 'open',
      titleSuffix: { id: 'Hari 1', en: 'Day 1' },
    });
  });
}
