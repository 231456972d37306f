// Test setup of e2e/drills.spec.ts (not app code): a workshop of its own in the browser test
// run's database, with a tutor and two trainees (signing in with the demo password), one of whom
// has a shop with one product, so the drills and the chat meet nobody else's. Prints its id.
//   DATABASE_URL=file:.tmp/e2e-3440/app.db UPLOAD_DIR=.tmp/e2e-3440/uploads tsx e2e/drills.seed.ts
import { prisma } from '../src/db.js';
import { createUser } from '../src/features/auth/auth.service.js';
import { DEMO_PASSWORD } from '../src/features/sandbox/demo-accounts.js';
import { createWorkshop } from '../src/features/workshops/workshops.service.js';
import { makeListing, makeShop } from '../src/test/builders/index.js';
import { drillsJourney } from './drills.journey.js';

const organizer = await createUser({
  username: 'waspada.penyelenggara',
  displayName: 'Ibu Sari',
  password: DEMO_PASSWORD,
  role: 'organizer',
});
const workshopId = await createWorkshop(organizer, {
  name: drillsJourney.workshop,
  city: 'Klungkung',
  venue: 'Balai Desa',
  startDate: '2026-12-01',
  endDate: '2026-12-02',
  sessions: ['Hari 1', 'Hari 2'],
});
const tutor = await createUser({ ...drillsJourney.tutor, password: DEMO_PASSWORD, role: 'tutor' });
const a = await createUser({ ...drillsJourney.traineeA, password: DEMO_PASSWORD, role: 'trainee' });
const b = await createUser({ ...drillsJourney.traineeB, password: DEMO_PASSWORD, role: 'trainee' });
await prisma.membership.createMany({
  data: [
    { workshopId, userId: tutor.id, role: 'tutor' },
    { workshopId, userId: a.id, role: 'trainee' },
    { workshopId, userId: b.id, role: 'trainee' },
  ],
});
const shop = await makeShop({ workshop: workshopId, owner: b, name: drillsJourney.shop, city: 'Klungkung' });
await makeListing({ shop, title: drillsJourney.product });
await prisma.$disconnect();
console.log(JSON.stringify({ workshopId }));
