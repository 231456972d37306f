// Test setup of e2e/evaluation.spec.ts (not app code): questionnaire responses in the demo workshop
// of the browser test run, written straight into its database before the browser steps.
//   DATABASE_URL=file:.tmp/e2e-3440/app.db tsx e2e/evaluation.seed.ts
import { prisma } from '../src/db.js';
import { DEMO_JOIN_CODE } from '../src/features/sandbox/demo-accounts.js';
import { makeResponse, makeUser } from '../src/test/builders/index.js';

const workshop = await prisma.workshop.findUniqueOrThrow({ where: { joinCode: DEMO_JOIN_CODE }, select: { id: true } });
const forms = await prisma.form.findMany({ where: { workshopId: workshop.id }, orderBy: { id: 'asc' } });
const pre = forms.find((f) => f.templateKey === 'pre-training')!;
const post = forms.find((f) => f.templateKey === 'post-training')!;
// Three trainees of its own, so the other journeys' demo trainees (siti, dewi, komang) find their
// questionnaires still unanswered whatever order the specs run in.
const trainees = [];
for (const username of ['evaluasi.ani', 'evaluasi.bunga', 'evaluasi.citra']) {
  trainees.push(await makeUser({ username, displayName: username, memberOf: workshop }));
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

// Seven post-training sheets: material quality 4, 4, 3, 4, 3 from women; 2 and 3 from men.
const [ani, bunga, citra] = trainees;
await makeResponse({
  form: post,
  user: ani,
  answers: {
    ...postBase,
    gender: 'female',
    material_quality: '4',
    understanding: '76_100',
    suggestions: 'Tambah waktu praktik foto produk',
  },
});
await makeResponse({
  form: post,
  user: bunga,
  answers: { ...postBase, gender: 'female', material_quality: '4', age_band: '21_30', occupation: 'homemaker' },
});
await makeResponse({ form: post, user: citra, answers: { ...postBase, gender: 'female', material_quality: '3', age_band: '41_50' } });
await makeResponse({
  form: post,
  answers: { ...postBase, gender: 'male', material_quality: '2', occupation: 'employee', will_implement: 'no' },
});
await makeResponse({
  form: post,
  answers: { ...postBase, gender: 'male', material_quality: '3', age_band: 'over_50', occupation: 'other' },
});
// Two more women on paper: with the typed-in sheet, six women answered the post-training form,
// more than the evaluation's smallest group (k = 5), while the two men stay a group too small to show.
await makeResponse({ form: post, answers: { ...postBase, gender: 'female', material_quality: '4' } });
await makeResponse({ form: post, answers: { ...postBase, gender: 'female', material_quality: '3', suggestions: 'Wi-Fi kurang stabil' } });
// The same three trainees before the training: understanding went up for two of them.
const preBase = { gender: 'female', age_band: '31_40', occupation: 'umkm_owner', used_internet: 'yes', knows_ecommerce_sites: 'yes' };
for (const [i, understanding] of ['0_25', '26_50', '76_100'].entries()) {
  await makeResponse({ form: pre, user: trainees[i]!, answers: { ...preBase, understanding } });
}
await prisma.$disconnect();
