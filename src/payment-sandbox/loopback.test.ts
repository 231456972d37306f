// The sandbox's API answers only this computer; its hosted card pages answer the room. A second
// server in front of the same sandbox app plays a phone on the Wi-Fi: it hands the app each request
// with the socket's address set to a LAN address, as a connection from 192.168.1.23 would have.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopbackAddress } from '../lib/network.js';
import {
  API_KEY,
  getPage,
  sessionParams,
  startSandboxAndReceiver,
  stopSandboxAndReceiver,
  stripeFor,
  type RunningSandbox,
  type WebhookReceiver,
} from '../test/payment-sandbox.js';

let receiver: WebhookReceiver;
let running: RunningSandbox;
let fromTheRoom: http.Server;
let roomPort: number;

beforeAll(async () => {
  ({ receiver, running } = await startSandboxAndReceiver());
  fromTheRoom = http.createServer((req, res) => {
    Object.defineProperty(req.socket, 'remoteAddress', { value: '192.168.1.23', configurable: true });
    running.sandbox.app(req, res);
  });
  await new Promise<void>((resolve) => fromTheRoom.listen(0, '127.0.0.1', resolve));
  roomPort = (fromTheRoom.address() as AddressInfo).port;
});

afterAll(async () => {
  fromTheRoom.closeAllConnections();
  await new Promise((resolve) => fromTheRoom.close(resolve));
  await stopSandboxAndReceiver({ receiver, running });
});

describe('the sandbox API on the room network', () => {
  it('when a device of the room calls the API with the right key, then it is refused (403) and shown nothing', async () => {
    const session = await running.stripe.checkout.sessions.create(sessionParams());

    const create = await stripeFor(roomPort)
      .checkout.sessions.create(sessionParams())
      .catch((error: unknown) => error);
    const refund = await fetch(`http://127.0.0.1:${roomPort}/v1/refunds`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}` },
      body: new URLSearchParams({ payment_intent: 'pi_x' }),
    });
    const retrieve = await fetch(`http://127.0.0.1:${roomPort}/v1/checkout/sessions/${session.id}`);

    expect(create).toBeInstanceOf(Stripe.errors.StripePermissionError);
    expect([refund.status, retrieve.status]).toEqual([403, 403]);
    expect(JSON.stringify(await retrieve.json())).not.toContain(session.id);
  });

  it('when a device of the room opens a hosted card page, then it is served', async () => {
    const session = await running.stripe.checkout.sessions.create(sessionParams());
    const page = await getPage(`http://127.0.0.1:${roomPort}/c/pay/${session.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('name="cardNumber"');
  });
});

describe('isLoopbackAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['192.168.1.23', false],
    ['10.0.0.5', false],
    ['::ffff:192.168.1.23', false],
    ['fe80::1', false],
    ['1270.0.0.1', false],
    [undefined, false],
  ] as const)('when the address is %s, then loopback is %s', (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });
});
