// A buyer's address is for the seller of her order: the seller's order page shows it, another
// trainee of the workshop (even one who sells too) gets 404 on every page of that order.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../app.js';
import { text } from '../../test/helpers.js';
import { makeListing, makeMarketplace, makeOrder, makeShop, signedInAgent } from '../../test/builders/index.js';

let app: Express;
beforeAll(() => {
  app = createApp();
});

describe("a buyer's address", () => {
  it('when the seller of the order opens it, then she reads the address; another trainee with a shop of her own gets 404 and never sees it', async () => {
    const m = await makeMarketplace({ trainees: 3 });
    const otherShop = await makeShop({ workshop: m.workshopId, owner: m.trainees[2]! });
    await makeListing({ shop: otherShop });
    const { orderId } = await makeOrder({ buyer: m.buyer, listing: m.listing, paid: true });
    const base = `/workshops/${m.workshopId}`;

    const seller = await signedInAgent(app, m.sellerUser);
    const page = await seller.get(`${base}/seller/orders/${orderId}`);
    expect(page.status).toBe(200);
    expect(text(page.text)).toContain('Jl. Gatot Subroto No. 12');

    const other = await signedInAgent(app, m.trainees[2]!);
    for (const url of [`${base}/seller/orders/${orderId}`, `${base}/orders/${orderId}`]) {
      const res = await other.get(url);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('Gatot Subroto');
    }
    expect(text((await other.get(`${base}/seller/orders`)).text)).not.toContain('Gatot Subroto');
  });
});
