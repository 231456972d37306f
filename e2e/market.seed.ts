// Test setup of e2e/market.spec.ts (not app code): a workshop of its own in the browser test
// run's database, with the demo shops, a tutor and a trainee who has opened her shop (both
// signing in with the demo password), so the journeys in the demo workshop never meet its bots
// or its training clock. Prints the workshop's id.
//   DATABASE_URL=file:.tmp/e2e-3440/app.db UPLOAD_DIR=.tmp/e2e-3440/uploads tsx e2e/market.seed.ts
import { prisma } from '../src/db.js';
import { createUser } from '../src/features/auth/auth.service.js';
import { DEMO_PASSWORD } from '../src/features/sandbox/demo-accounts.js';
import { loadDemoShops } from '../src/features/sandbox/demo-shops.js';
import { createWorkshop } from '../src/features/workshops/workshops.service.js';
import { makeShop } from '../src/test/builders/index.js';
import { marketJourney } from './market.journey.js';

const organizer = await createUser({ username: 'pasar.penyelenggara', displayName: 'Ibu Ayu', password: DEMO_PASSWORD, role: 'organizer' });
const workshopId = await createWorkshop(organizer, {
  name: marketJourney.workshop,
  city: 'Gianyar',
  venue: 'Balai Banjar',
  startDate: '2026-12-01',
  endDate: '2026-12-02',
  sessions: ['Hari 1', 'Hari 2'],
});
const tutor = await createUser({ ...marketJourney.tutor, password: DEMO_PASSWORD, role: 'tutor' });
const trainee = await createUser({ ...marketJourney.trainee, password: DEMO_PASSWORD, role: 'trainee' });
await prisma.membership.createMany({
  data: [
    { workshopId, userId: tutor.id, role: 'tutor' },
    { workshopId, userId: trainee.id, role: 'trainee' },
  ],
});
await makeShop({ workshop: workshopId, owner: trainee, name: marketJourney.shop, city: 'Gianyar' });
await loadDemoShops(workshopId);
await prisma.$disconnect();
console.log(JSON.stringify({ workshopId }));
