// `npm run db:seed` (and `prisma db seed`): loads the demo accounts, workshop, shops and
// questionnaires into the configured database; safe to run twice.
import { prisma } from '../src/db.js';
import { DEMO_JOIN_CODE, DEMO_PASSWORD, demoAccountList } from '../src/features/sandbox/demo-accounts.js';
import { loadDemoData } from '../src/features/sandbox/demo.service.js';

const workshopId = await loadDemoData();
console.log(`Demo data ready: workshop ${workshopId}, join code ${DEMO_JOIN_CODE}.`);
console.log(`Demo logins (password ${DEMO_PASSWORD}): ${demoAccountList.map((a) => a.username).join(', ')}`);
await prisma.$disconnect();
