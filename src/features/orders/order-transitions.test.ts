import { describe, expect, it } from 'vitest';
import {
  availableActions,
  decideTransition,
  orderStatuses,
  type OrderAction,
  type OrderActor,
  type OrderStatus,
} from './order-transitions.js';

type State = { status: OrderStatus; accepted: boolean };
const states: State[] = [
  { status: 'menunggu_pembayaran', accepted: false },
  { status: 'diproses', accepted: false },
  { status: 'diproses', accepted: true },
  { status: 'dikirim', accepted: true },
  { status: 'selesai', accepted: true },
  { status: 'dibatalkan', accepted: false },
];
const actors: OrderActor[] = ['buyer', 'seller', 'system'];
const actions: OrderAction[] = ['pay', 'cod', 'accept', 'ship', 'confirm', 'cancel', 'expire'];

/** Every allowed transition, written out by hand: anything not here must be refused. */
const allowed: { from: string; action: OrderAction; actor: OrderActor; to: OrderStatus }[] = [
  { from: 'menunggu_pembayaran', action: 'pay', actor: 'system', to: 'diproses' },
  { from: 'menunggu_pembayaran', action: 'cod', actor: 'system', to: 'diproses' },
  { from: 'menunggu_pembayaran', action: 'expire', actor: 'system', to: 'dibatalkan' },
  { from: 'menunggu_pembayaran', action: 'cancel', actor: 'buyer', to: 'dibatalkan' },
  { from: 'menunggu_pembayaran', action: 'cancel', actor: 'seller', to: 'dibatalkan' },
  { from: 'diproses', action: 'accept', actor: 'seller', to: 'diproses' },
  { from: 'diproses', action: 'cancel', actor: 'buyer', to: 'dibatalkan' },
  { from: 'diproses', action: 'cancel', actor: 'seller', to: 'dibatalkan' },
  { from: 'diproses+accepted', action: 'ship', actor: 'seller', to: 'dikirim' },
  { from: 'diproses+accepted', action: 'cancel', actor: 'buyer', to: 'dibatalkan' },
  { from: 'diproses+accepted', action: 'cancel', actor: 'seller', to: 'dibatalkan' },
  { from: 'dikirim+accepted', action: 'confirm', actor: 'buyer', to: 'selesai' },
];

const label = (s: State) => (s.accepted ? `${s.status}+accepted` : s.status);

const cases = states.flatMap((state) =>
  actors.flatMap((actor) =>
    actions.map((action) => {
      const expected = allowed.find((a) => a.from === label(state) && a.action === action && a.actor === actor);
      return { state, actor, action, expected };
    }),
  ),
);

describe('decideTransition', () => {
  it.each(cases.map((c) => [label(c.state), c.actor, c.action, c.expected ? `allowed to ${c.expected.to}` : 'refused', c] as const))(
    'when the order is %s and the %s tries %s, then it is %s',
    (_s, _a, _ac, _r, c) => {
      const decision = decideTransition(c.state, c.action, c.actor);
      expect(decision.allowed).toBe(Boolean(c.expected));
      if (decision.allowed) expect(decision.rule.to).toBe(c.expected!.to);
    },
  );

  it('when the seller accepts, then the rule sets accepted and keeps the order diproses', () => {
    const decision = decideTransition({ status: 'diproses', accepted: false }, 'accept', 'seller');
    expect(decision).toMatchObject({ allowed: true, rule: { to: 'diproses', setsAccepted: true } });
  });

  it('when the seller ships an order they have not accepted, then the reason is notAccepted', () => {
    expect(decideTransition({ status: 'diproses', accepted: false }, 'ship', 'seller')).toEqual({ allowed: false, reason: 'notAccepted' });
  });

  it('when the buyer tries a seller action, then the reason is the actor', () => {
    expect(decideTransition({ status: 'diproses', accepted: true }, 'ship', 'buyer')).toEqual({ allowed: false, reason: 'actor' });
  });

  it('when every state is listed, then the table knows the five states', () => {
    expect(orderStatuses).toEqual(['menunggu_pembayaran', 'diproses', 'dikirim', 'selesai', 'dibatalkan']);
  });
});

describe('availableActions', () => {
  it.each([
    [{ status: 'menunggu_pembayaran', accepted: false }, 'buyer', ['cancel']],
    [{ status: 'menunggu_pembayaran', accepted: false }, 'seller', ['cancel']],
    [{ status: 'diproses', accepted: false }, 'seller', ['accept', 'cancel']],
    [{ status: 'diproses', accepted: true }, 'seller', ['ship', 'cancel']],
    [{ status: 'dikirim', accepted: true }, 'buyer', ['confirm']],
    [{ status: 'dikirim', accepted: true }, 'seller', []],
    [{ status: 'selesai', accepted: true }, 'buyer', []],
  ] as const)('when the order is %o, then the %s sees %o', (state, actor, expected) => {
    expect(availableActions(state, actor).sort()).toEqual([...expected].sort());
  });
});
