import { describe, expect, it } from 'vitest';
import { FormParamsError, parseFormParams } from './form-params.js';

describe('form parameters', () => {
  it('when the SDK sends bracket paths, then they nest into objects and arrays', () => {
    const raw = new URLSearchParams([
      ['mode', 'payment'],
      ['line_items[0][price_data][currency]', 'idr'],
      ['line_items[0][price_data][product_data][name]', 'Kopi [250 g]'],
      ['line_items[0][quantity]', '1'],
      ['line_items[1][quantity]', '2'],
      ['metadata[orderId]', '42'],
      ['expand[0]', 'payment_intent'],
    ]).toString();
    expect(parseFormParams(raw, 100)).toEqual({
      mode: 'payment',
      line_items: [{ price_data: { currency: 'idr', product_data: { name: 'Kopi [250 g]' } }, quantity: '1' }, { quantity: '2' }],
      metadata: { orderId: '42' },
      expand: ['payment_intent'],
    });
  });

  it.each([
    '__proto__[x]=1',
    '__proto__=1',
    'constructor[prototype][x]=1',
    'metadata[__proto__][x]=1',
    'a[constructor][prototype][x]=1',
    'a[prototype][x]=1',
    '%5F%5Fproto%5F%5F%5Bx%5D=1',
    'mode=payment&__proto__[x]=1',
    'expand[]=a&constructor=1',
  ])('when a key names a prototype (%s), then the whole request is refused and no object changes', (raw) => {
    expect(() => parseFormParams(raw, 100)).toThrow(FormParamsError);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it('when a word only contains a prototype name, then it is an ordinary key or value', () => {
    expect(parseFormParams('metadata[constructors]=__proto__&prototype_id=1', 100)).toEqual({
      metadata: { constructors: '__proto__' },
      prototype_id: '1',
    });
  });

  it.each([
    ['a path deeper than the SDK sends', 'a[b][c][d][e][f]=1', 100],
    ['an array index of 100 or more', 'line_items[100][quantity]=1', 1000],
    ['more pairs than allowed', 'a=1&b=2&c=3', 2],
  ])('when a request has %s, then it is refused', (_what, raw, limit) => {
    expect(() => parseFormParams(raw, limit)).toThrow(FormParamsError);
  });
});
