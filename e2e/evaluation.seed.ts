// Test setup of e2e/evaluation.spec.ts (not app code): questionnaire responses in the demo workshop
// of the browser test run, written straight into its database before the browser steps.
//   DATABASE_URL=file:.tmp/e2e-3440/app.db tsx e2e/evaluation.seed.ts
import { prisma } from '../src/db.js';
import { hashPassword } from '../src/features/auth/auth.service.js';

const workshop = await prisma.workshop.findUniqueOrThrow({ where: { joinCode: 'DPS226' }, select: { id: true } });
const forms = await prisma.form.findMany({ where: { workshopId: workshop.id }, include: { questions: true }, orderBy: { id: 'asc' } });
const pre = forms.find((f) => f.templateKey === 'pre-training')!;
const post = forms.find((f) => f.templateKey === 'post-training')!;
// Three trainees of its own, so the other journeys' demo trainees (siti, dewi, komang) find their
// questionnaires still unanswered whatever order the specs run in.
const passwordHash = await hashPassword('latihan123');
const trainees = [];
for (const username of ['evaluasi.ani', 'evaluasi.bunga', 'evaluasi.citra']) {
  const user = await prisma.user.upsert({
    where: { username },
    create: { username, displayName: username, role: 'trainee', passwordHash },
    update: {},
  });
  await prisma.membership.upsert({
    where: { workshopId_userId: { workshopId: workshop.id, userId: user.id } },
    create: { workshopId: workshop.id, userId: user.id, role: 'trainee' },
    update: {},
  });
  trainees.push(user);
}

const postBase = {
  age_band: '31_40',
  occupation: 'umkm_owner',
  facilitator_quality: '4',
  organizer_performance: '4',
  facilities: '3',
  understanding: '51_75',
  effectiveness: '4',
  will_implement: 'yes',
  module_internet_ethics_security: '4',
  module_online_transactions: '3',
  module_ecommerce_security: '3',
  module_selling_buying: '4',
};

async function respond(form: typeof pre, answers: Record<string, string>, userId: number | null = null) {
  const idOf = new Map(form.questions.map((q) => [q.key, q.id]));
  await prisma.response.create({
    data: {
      workshopId: workshop.id,
      formId: form.id,
      sessionId: form.sessionId,
      userId,
      source: userId ? 'trainee' : 'paper',
      gender: answers.gender ?? null,
      ageBand: answers.age_band ?? null,
      occupation: answers.occupation ?? null,
      answers: { create: Object.entries(answers).map(([key, value]) => ({ questionId: idOf.get(key)!, value })) },
    },
  });
}

// Five post-training sheets: material quality 4, 4, 3 from women; 2 and 3 from men.
await respond(
  post,
  { ...postBase, gender: 'female', material_quality: '4', understanding: '76_100', suggestions: 'Tambah waktu praktik foto produk' },
  trainees[0]!.id,
);
await respond(post, { ...postBase, gender: 'female', material_quality: '4', age_band: '21_30', occupation: 'homemaker' }, trainees[1]!.id);
await respond(post, { ...postBase, gender: 'female', material_quality: '3', age_band: '41_50' }, trainees[2]!.id);
await respond(post, { ...postBase, gender: 'male', material_quality: '2', occupation: 'employee', will_implement: 'no' });
await respond(post, { ...postBase, gender: 'male', material_quality: '3', age_band: 'over_50', occupation: 'other' });
// The same three trainees before the training: understanding went up for two of them.
const preBase = { gender: 'female', age_band: '31_40', occupation: 'umkm_owner', used_internet: 'yes', knows_ecommerce_sites: 'yes' };
for (const [i, understanding] of ['0_25', '26_50', '76_100'].entries()) await respond(pre, { ...preBase, understanding }, trainees[i]!.id);
await prisma.$disconnect();
