import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../app.js';
import { prisma } from '../../db.js';
import { text } from '../../test/helpers.js';
import { makeMarketplace, makeOrder, makeWorkshop, payCheckout, signedInAgent } from '../../test/builders/index.js';
import { RefusedError } from '../../errors.js';
import type { DomainEvents } from '../../events.js';
import { subscriptions } from '../../subscribers.js';
import {
  buyerCancelOrder,
  buyerConfirmReceipt,
  expireUnpaidOrders,
  markOrdersPaid,
  sellerAcceptOrder,
  sellerBalance,
  sellerShipOrder,
} from './orders.service.js';

let app: Express;
beforeAll(() => {
  app = createApp();
});

type StateName = 'menunggu_pembayaran' | 'diproses' | 'diproses+accepted' | 'dikirim' | 'selesai' | 'dibatalkan';
const stateNames: StateName[] = ['menunggu_pembayaran', 'diproses', 'diproses+accepted', 'dikirim', 'selesai', 'dibatalkan'];

/** A marketplace with one order (2 units of a 10-stock listing) brought to the given state. */
async function orderIn(state: StateName) {
  const m = await makeMarketplace();
  const { checkoutId, orderId } = await makeOrder({ buyer: m.buyer, listing: m.listing, quantity: 2 });
  if (state === 'dibatalkan') await buyerCancelOrder(m.buyer, orderId);
  if (state !== 'menunggu_pembayaran' && state !== 'dibatalkan') await payCheckout(checkoutId);
  if (['diproses+accepted', 'dikirim', 'selesai'].includes(state)) await sellerAcceptOrder(m.seller, orderId);
  if (['dikirim', 'selesai'].includes(state)) await sellerShipOrder(m.seller, orderId, 'JNE0123456789');
  if (state === 'selesai') await buyerConfirmReceipt(m.buyer, orderId);
  return { ...m, checkoutId, orderId };
}

type HttpAction = {
  name: string;
  actor: 'buyer' | 'seller';
  path: (w: number, id: number) => string;
  body: Record<string, string>;
  from: StateName[];
  to: string;
};
const httpActions: HttpAction[] = [
  {
    name: 'buyer cancels',
    actor: 'buyer',
    path: (w, id) => `/workshops/${w}/orders/${id}/cancel`,
    body: { reason: 'Salah pilih warna' },
    from: ['menunggu_pembayaran', 'diproses', 'diproses+accepted'],
    to: 'dibatalkan',
  },
  {
    name: 'buyer confirms receipt',
    actor: 'buyer',
    path: (w, id) => `/workshops/${w}/orders/${id}/confirm`,
    body: {},
    from: ['dikirim'],
    to: 'selesai',
  },
  {
    name: 'seller accepts',
    actor: 'seller',
    path: (w, id) => `/workshops/${w}/seller/orders/${id}/accept`,
    body: {},
    from: ['diproses'],
    to: 'diproses',
  },
  {
    name: 'seller ships',
    actor: 'seller',
    path: (w, id) => `/workshops/${w}/seller/orders/${id}/ship`,
    body: { trackingNumber: 'jne 0123 4567 89' },
    from: ['diproses+accepted'],
    to: 'dikirim',
  },
  {
    name: 'seller cancels',
    actor: 'seller',
    path: (w, id) => `/workshops/${w}/seller/orders/${id}/cancel`,
    body: { reason: 'Stok rusak kena banjir' },
    from: ['menunggu_pembayaran', 'diproses', 'diproses+accepted'],
    to: 'dibatalkan',
  },
];

const stateOf = async (orderId: number) => {
  const o = await prisma.order.findUniqueOrThrow({ where: { id: orderId } });
  return o.accepted && o.status === 'diproses' ? 'diproses+accepted' : o.status;
};

describe('order transitions over HTTP', () => {
  const cases = httpActions.flatMap((action) => stateNames.map((state) => ({ action, state, allowed: action.from.includes(state) })));

  it.each(cases.map((c) => [c.action.name, c.state, c.allowed ? 'allowed' : 'refused', c] as const))(
    'when the %s on an order %s, then it is %s',
    async (_n, _s, _a, c) => {
      const o = await orderIn(c.state);
      const user = c.action.actor === 'buyer' ? o.buyerUser : o.sellerUser;
      const agent = await signedInAgent(app, user.username);
      const eventsBefore = await prisma.orderEvent.count({ where: { orderId: o.orderId } });
      const stockBefore = (await prisma.listing.findUniqueOrThrow({ where: { id: o.listing.id } })).stock;

      const res = await agent
        .post(c.action.path(o.workshopId, o.orderId))
        .type('form')
        .send({ _csrf: await agent.csrf(), ...c.action.body });

      expect(res.status).toBe(303);
      const detail = await agent.get(res.headers.location!);
      const order = await prisma.order.findUniqueOrThrow({ where: { id: o.orderId } });
      const events = await prisma.orderEvent.findMany({ where: { orderId: o.orderId }, orderBy: { id: 'asc' } });
      if (!c.allowed) {
        expect(await stateOf(o.orderId)).toBe(c.state);
        expect(events).toHaveLength(eventsBefore);
        expect(detail.text).toContain('flash-error');
        return;
      }
      expect(order.status).toBe(c.action.to);
      expect(events).toHaveLength(eventsBefore + 1);
      expect(events.at(-1)).toMatchObject({ actorId: user.id, toStatus: c.action.to });
      expect(detail.text).toContain('flash-success');
      const stockAfter = (await prisma.listing.findUniqueOrThrow({ where: { id: o.listing.id } })).stock;
      if (c.action.to === 'dibatalkan') {
        expect(stockAfter).toBe(stockBefore + 2);
        expect(order.cancelledBy).toBe(c.action.actor);
        expect(order.cancelReason).toBe(c.action.body.reason);
      } else {
        expect(stockAfter).toBe(stockBefore);
      }
      if (c.action.name === 'seller accepts') expect(order.accepted).toBe(true);
      if (c.action.name === 'seller ships') expect(order.trackingNumber).toBe('JNE0123456789');
    },
  );

  it.each(httpActions.map((a) => [a.name, a] as const))(
    'when someone else tries "%s", then it answers 404 and nothing changes',
    async (_n, action) => {
      const state = action.from[action.from.length - 1]!;
      const o = await orderIn(state);
      const wrongParty = action.actor === 'buyer' ? o.sellerUser : o.buyerUser;
      const wrong = await signedInAgent(app, wrongParty.username);
      expect(
        (
          await wrong
            .post(action.path(o.workshopId, o.orderId))
            .type('form')
            .send({ _csrf: await wrong.csrf(), ...action.body })
        ).status,
      ).toBe(404);

      const other = await makeWorkshop({ trainees: 1 });
      const outsider = await signedInAgent(app, other.trainees[0]!.username);
      const csrf = await outsider.csrf();
      expect(
        (
          await outsider
            .post(action.path(o.workshopId, o.orderId))
            .type('form')
            .send({ _csrf: csrf, ...action.body })
        ).status,
      ).toBe(404);
      expect(
        (
          await outsider
            .post(action.path(other.workshopId, o.orderId))
            .type('form')
            .send({ _csrf: csrf, ...action.body })
        ).status,
      ).toBe(404);
      expect(await stateOf(o.orderId)).toBe(state);
    },
  );

  it('when the seller ships with a bad tracking number, then the form comes back with 422 and the order stays', async () => {
    const o = await orderIn('diproses+accepted');
    const agent = await signedInAgent(app, o.sellerUser.username);
    const res = await agent
      .post(`/workshops/${o.workshopId}/seller/orders/${o.orderId}/ship`)
      .type('form')
      .send({ _csrf: await agent.csrf(), trackingNumber: 'abc!' });
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('Nomor resi 8–30 huruf atau angka');
    expect(res.text).toContain('value="abc!"');
    expect(await stateOf(o.orderId)).toBe('diproses+accepted');
  });

  it('when the seller cancels without a reason, then the form asks for one', async () => {
    const o = await orderIn('diproses');
    const agent = await signedInAgent(app, o.sellerUser.username);
    const res = await agent
      .post(`/workshops/${o.workshopId}/seller/orders/${o.orderId}/cancel`)
      .type('form')
      .send({ _csrf: await agent.csrf(), reason: '  ' });
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('Tulis alasan pembatalan');
    expect(await stateOf(o.orderId)).toBe('diproses');
  });
});

describe('order pages', () => {
  it('when the buyer opens the order, then items, fees, address, status timeline and tracking number are shown', async () => {
    const o = await orderIn('dikirim');
    const agent = await signedInAgent(app, o.buyerUser.username);
    const page = text((await agent.get(`/workshops/${o.workshopId}/orders/${o.orderId}`)).text);
    for (const expected of [
      o.listing.title,
      'Rp 300.000',
      'Rp 10.000',
      'Rp 310.000',
      'Jl. Gatot Subroto No. 12',
      'Dikirim',
      'JNE0123456789',
      'Pesanan dibuat',
      'Pembayaran diterima',
      'Pesanan diterima penjual',
      'Pesanan sudah saya terima',
    ]) {
      expect(page).toContain(expected);
    }
    const list = text((await agent.get(`/workshops/${o.workshopId}/orders`)).text);
    expect(list).toContain(o.shop.name);
    expect(list).toContain('Dikirim');
  });

  it('when the seller opens the orders page, then tabs count each state and the balance shows held and available money with the lesson', async () => {
    const o = await orderIn('dikirim');
    const second = await makeOrder({ buyer: o.buyer, listing: o.listing });
    await payCheckout(second.checkoutId);
    const third = await makeOrder({ buyer: o.buyer, listing: o.listing });
    const agent = await signedInAgent(app, o.sellerUser.username);
    const res = await agent.get(`/workshops/${o.workshopId}/seller/orders?status=diproses`);
    const page = text(res.text);
    expect(page).toContain('Menunggu pembayaran (1)');
    expect(page).toContain('Diproses (1)');
    expect(page).toContain('Dikirim (1)');
    expect(page).toContain('Selesai (0)');
    expect(page).toContain('Rp 470.000'); // held: 310 000 shipped + 160 000 paid
    expect(page).toContain('Jangan percaya foto atau screenshot bukti transfer');
    expect(res.text).toContain(`/seller/orders/${second.orderId}`);
    expect(res.text).not.toContain(`/seller/orders/${third.orderId}"`);
    const english = await agent.get(`/workshops/${o.workshopId}/seller/orders`).set('Cookie', 'lang=en');
    expect(english.status).toBe(200);
  });

  it('when a trainee without a shop opens the seller page, then it invites them to open one', async () => {
    const m = await makeMarketplace();
    const agent = await signedInAgent(app, m.buyerUser.username);
    expect(text((await agent.get(`/workshops/${m.workshopId}/seller/orders`)).text)).toContain('Anda belum punya toko');
  });

  it('when someone of another workshop or another trainee opens order pages, then they answer 404', async () => {
    const o = await orderIn('diproses');
    const other = await makeWorkshop({ trainees: 1 });
    const outsider = await signedInAgent(app, other.trainees[0]!.username);
    const w = o.workshopId;
    for (const url of [
      `/workshops/${w}/orders`,
      `/workshops/${w}/orders/${o.orderId}`,
      `/workshops/${w}/seller/orders`,
      `/workshops/${w}/seller/orders/${o.orderId}`,
      `/workshops/${other.workshopId}/orders/${o.orderId}`,
      `/workshops/${other.workshopId}/seller/orders/${o.orderId}`,
    ]) {
      expect((await outsider.get(url)).status, url).toBe(404);
    }
    const seller = await signedInAgent(app, o.sellerUser.username);
    expect((await seller.get(`/workshops/${w}/orders/${o.orderId}`)).status).toBe(404);
    const buyer = await signedInAgent(app, o.buyerUser.username);
    expect((await buyer.get(`/workshops/${w}/seller/orders/${o.orderId}`)).status).toBe(404);
  });
});

describe('payment expiry', () => {
  it('when an unpaid order passes its payment window, then it is cancelled by the system and its stock released', async () => {
    const o = await orderIn('menunggu_pembayaran');
    const order = await prisma.order.findUniqueOrThrow({ where: { id: o.orderId } });
    expect((await prisma.listing.findUniqueOrThrow({ where: { id: o.listing.id } })).stock).toBe(8);

    expect(await expireUnpaidOrders(new Date(order.paymentDueAt.getTime() - 1000), { workshopId: o.workshopId })).toBe(0);
    expect(await expireUnpaidOrders(new Date(order.paymentDueAt.getTime() + 1000), { workshopId: o.workshopId })).toBe(1);

    const after = await prisma.order.findUniqueOrThrow({ where: { id: o.orderId }, include: { events: { orderBy: { id: 'asc' } } } });
    expect(after).toMatchObject({ status: 'dibatalkan', cancelledBy: 'system', cancelReason: 'expiry' });
    expect(after.events.at(-1)).toMatchObject({
      action: 'expire',
      actorId: null,
      fromStatus: 'menunggu_pembayaran',
      toStatus: 'dibatalkan',
    });
    expect((await prisma.listing.findUniqueOrThrow({ where: { id: o.listing.id } })).stock).toBe(10);
    expect(await expireUnpaidOrders(new Date(order.paymentDueAt.getTime() + 5000), { workshopId: o.workshopId })).toBe(0);
  });

  it('when the buyer opens the order list after the window, then the expiry runs there too', async () => {
    const o = await orderIn('menunggu_pembayaran');
    await prisma.order.update({ where: { id: o.orderId }, data: { paymentDueAt: new Date(Date.now() - 1000) } });
    const agent = await signedInAgent(app, o.buyerUser.username);
    expect(text((await agent.get(`/workshops/${o.workshopId}/orders`)).text)).toContain('Dibatalkan');
    expect((await prisma.listing.findUniqueOrThrow({ where: { id: o.listing.id } })).stock).toBe(10);
  });

  it('when a paid order is past its window, then expiry leaves it alone', async () => {
    const o = await orderIn('diproses');
    const order = await prisma.order.findUniqueOrThrow({ where: { id: o.orderId } });
    expect(await expireUnpaidOrders(new Date(order.paymentDueAt.getTime() + 1000), { workshopId: o.workshopId })).toBe(0);
    expect(await stateOf(o.orderId)).toBe('diproses');
  });
});

/** Adds a subscriber to the app's table for the length of `run`. */
async function withSubscriber<E extends keyof DomainEvents>(
  name: E,
  subscriber: (event: DomainEvents[E]) => Promise<void>,
  run: () => Promise<void>,
): Promise<void> {
  const list = subscriptions[name] as ((event: DomainEvents[E]) => Promise<void>)[];
  list.push(subscriber);
  try {
    await run();
  } finally {
    list.splice(list.indexOf(subscriber), 1);
  }
}

describe('markOrdersPaid and the order events', () => {
  it('when a checkout is paid, then its waiting orders become diproses with paidAt and a pay event; cancelled ones are reported as skipped', async () => {
    const o = await orderIn('menunggu_pembayaran');
    const paidAt = new Date();
    const result = await prisma.$transaction((tx) => markOrdersPaid(tx, o.checkoutId, paidAt));
    expect(result).toEqual({ paidOrderIds: [o.orderId], skippedOrderIds: [] });
    const order = await prisma.order.findUniqueOrThrow({ where: { id: o.orderId }, include: { events: { orderBy: { id: 'asc' } } } });
    expect(order.status).toBe('diproses');
    expect(order.paidAt?.getTime()).toBe(paidAt.getTime());
    expect(order.events.at(-1)).toMatchObject({ action: 'pay', actorId: null });
    expect(await prisma.$transaction((tx) => markOrdersPaid(tx, o.checkoutId, paidAt))).toEqual({
      paidOrderIds: [],
      skippedOrderIds: [o.orderId],
    });
  });

  it('when an order is cancelled, then a subscriber runs inside the transaction, told whether it was paid, and hears when it committed', async () => {
    const calls: { orderId: number; wasPaid: boolean }[] = [];
    const committed: number[] = [];
    const onCancelled = async ({ tx, orderId, wasPaid }: DomainEvents['orderCancelled']) => {
      calls.push({ orderId, wasPaid });
      if (wasPaid) await tx.orderEvent.create({ data: { orderId, toStatus: 'dibatalkan', action: 'refund' } });
    };
    const onCommitted = async ({ orderId }: DomainEvents['orderCancelledCommitted']) => {
      committed.push(orderId);
      expect(await stateOf(orderId)).toBe('dibatalkan');
    };
    await withSubscriber('orderCancelled', onCancelled, () =>
      withSubscriber('orderCancelledCommitted', onCommitted, async () => {
        const paid = await orderIn('diproses');
        await buyerCancelOrder(paid.buyer, paid.orderId);
        expect(await prisma.orderEvent.count({ where: { orderId: paid.orderId, action: 'refund' } })).toBe(1);
        const unpaid = await orderIn('menunggu_pembayaran');
        await buyerCancelOrder(unpaid.buyer, unpaid.orderId);
        expect(calls).toEqual([
          { orderId: paid.orderId, wasPaid: true },
          { orderId: unpaid.orderId, wasPaid: false },
        ]);
        expect(committed).toEqual([paid.orderId, unpaid.orderId]);
      }),
    );
  });

  it('when a subscriber of orderCancelled fails, then the cancellation is rolled back', async () => {
    const failing = async () => {
      throw new Error('refund failed');
    };
    await withSubscriber('orderCancelled', failing, async () => {
      const paid = await orderIn('diproses');
      await expect(buyerCancelOrder(paid.buyer, paid.orderId)).rejects.toThrow('refund failed');
      expect(await stateOf(paid.orderId)).toBe('diproses');
      expect((await prisma.listing.findUniqueOrThrow({ where: { id: paid.listing.id } })).stock).toBe(8);
    });
  });

  it('when an order is paid and later received, then orderPaid and orderCompleted reach subscribers inside those transactions', async () => {
    const seen: string[] = [];
    const onPaid = async ({ tx, orderId }: DomainEvents['orderPaid']) => {
      seen.push(`paid ${orderId} ${(await tx.order.findUniqueOrThrow({ where: { id: orderId } })).status}`);
    };
    const onCompleted = async ({ tx, orderId }: DomainEvents['orderCompleted']) => {
      seen.push(`completed ${orderId} ${(await tx.order.findUniqueOrThrow({ where: { id: orderId } })).status}`);
    };
    await withSubscriber('orderPaid', onPaid, () =>
      withSubscriber('orderCompleted', onCompleted, async () => {
        const o = await orderIn('selesai');
        expect(seen).toEqual([`paid ${o.orderId} diproses`, `completed ${o.orderId} selesai`]);
      }),
    );
  });
});

describe('concurrency and balances', () => {
  it('when the buyer cancels and the seller accepts at the same time, then exactly one of them happens', async () => {
    const o = await orderIn('diproses');
    const results = await Promise.allSettled([buyerCancelOrder(o.buyer, o.orderId), sellerAcceptOrder(o.seller, o.orderId)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(RefusedError);
    const events = await prisma.orderEvent.count({ where: { orderId: o.orderId, action: { in: ['cancel', 'accept'] } } });
    expect(events).toBe(1);
  });

  it('when orders move through the states, then held counts diproses and dikirim and available counts selesai', async () => {
    const o = await orderIn('menunggu_pembayaran');
    expect(await sellerBalance(o.shop.id)).toEqual({ held: 0, available: 0 });
    await payCheckout(o.checkoutId);
    expect(await sellerBalance(o.shop.id)).toEqual({ held: 310_000, available: 0 });
    await sellerAcceptOrder(o.seller, o.orderId);
    await sellerShipOrder(o.seller, o.orderId, 'JNT1234567890');
    expect(await sellerBalance(o.shop.id)).toEqual({ held: 310_000, available: 0 });
    await buyerConfirmReceipt(o.buyer, o.orderId);
    expect(await sellerBalance(o.shop.id)).toEqual({ held: 0, available: 310_000 });
    const cancelled = await makeOrder({ buyer: o.buyer, listing: o.listing });
    await payCheckout(cancelled.checkoutId);
    await buyerCancelOrder(o.buyer, cancelled.orderId);
    expect(await sellerBalance(o.shop.id)).toEqual({ held: 0, available: 310_000 });
  });
});
