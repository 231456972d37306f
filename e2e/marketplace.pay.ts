// Test setup of e2e/marketplace.spec.ts (not app code): until card payment lands, the "after
// payment" journey starts from an order paid through the orders service's markOrdersPaid, as
// the payments feature will call it, run against the browser test run's database.
//   DATABASE_URL=file:.tmp/e2e-3420/app.db tsx e2e/marketplace.pay.ts <buyer username>
import { prisma } from '../src/db.js';
import { markOrdersPaid } from '../src/features/orders/orders.service.js';

const username = process.argv[2] ?? 'dewi';
const buyer = await prisma.user.findUniqueOrThrow({ where: { username } });
const checkout = await prisma.checkout.findFirstOrThrow({
  where: { buyerId: buyer.id, orders: { some: { status: 'menunggu_pembayaran' } } },
  orderBy: { id: 'desc' },
});
const result = await prisma.$transaction((tx) => markOrdersPaid(tx, checkout.id, new Date()));
console.log(JSON.stringify({ checkoutId: checkout.id, ...result }));
await prisma.$disconnect();
