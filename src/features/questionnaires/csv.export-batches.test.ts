import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { prisma } from '../../db.js';
import { ctxOf, makeForm, makeWorkshop } from '../../test/builders/index.js';
import { csvText, exportResponsesCsv } from './csv.service.js';

describe('the responses CSV of a large form', () => {
  it('when a form has more responses than one batch, then every response is one row, in order, with its own answer', async () => {
    const w = await makeWorkshop({ trainees: 0 });
    const { id: formId } = await makeForm({ workshop: w.workshop, template: 'post-training' });
    const question = await prisma.question.findFirstOrThrow({ where: { formId, type: 'long_text' }, orderBy: { position: 'asc' } });
    const count = 2345;
    await prisma.response.createMany({
      data: Array.from({ length: count }, () => ({ workshopId: w.workshopId, formId, source: 'paper' })),
    });
    const responses = await prisma.response.findMany({ where: { formId }, orderBy: { id: 'asc' }, select: { id: true } });
    await prisma.answer.createMany({
      data: responses.map((r, i) => ({ responseId: r.id, questionId: question.id, value: `jawaban ${i + 1}` })),
    });

    const csv = await csvText((await exportResponsesCsv(await ctxOf({ workshop: w.workshop, user: w.organizer }), formId)).parts);
    const [header, ...rows] = parse(csv.replace(/^\ufeff/, '')) as string[][];
    const column = header!.indexOf(question.key);
    expect(rows).toHaveLength(count);
    expect(rows.map((row) => Number(row[0]))).toEqual(responses.map((r) => r.id));
    expect(rows.map((row) => row[column])).toEqual(responses.map((_, i) => `jawaban ${i + 1}`));
  });
});
