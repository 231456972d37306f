import type { Request } from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { config } from '../config.js';
import { phoneUrl, requestHostname, requestOrigin } from './public-url.js';

const lan = vi.hoisted(() => ({ addresses: ['192.168.1.20'] }));
vi.mock('../lib/network.js', () => ({ lanAddresses: () => lan.addresses }));

/** A request as the routes see it: its protocol and Host header. */
const requestTo = (host: string | undefined, protocol = 'http') =>
  ({ protocol, headers: { host }, get: (name: string) => (name.toLowerCase() === 'host' ? host : undefined) }) as unknown as Request;

const port = config.port;
afterEach(() => {
  config.port = port;
  config.publicUrl = undefined;
  lan.addresses = ['192.168.1.20'];
});

describe('the addresses the app hands out', () => {
  it.each([
    ['192.168.1.20:3000', '192.168.1.20'],
    ['laptop.local', 'laptop.local'],
    ['[fe80::1]:3000', '[fe80::1]'],
    [undefined, '127.0.0.1'],
    ['bad host:x', '127.0.0.1'],
  ])('when the browser sent Host %s, then its hostname is %s', (host, hostname) => {
    expect(requestHostname(requestTo(host))).toBe(hostname);
  });

  it.each([
    ['localhost:3000', 'http://192.168.1.20:3000/join?code=AB12CD'],
    ['127.0.0.1:3000', 'http://192.168.1.20:3000/join?code=AB12CD'],
    ['[::1]:3000', 'http://192.168.1.20:3000/join?code=AB12CD'],
    ['10.0.0.5:3000', 'http://10.0.0.5:3000/join?code=AB12CD'],
  ])('when the organizer opened the app at %s, then phones are given %s', (host, expected) => {
    config.port = 3000;
    expect(phoneUrl(requestTo(host), '/join?code=AB12CD')).toBe(expected);
  });

  it('when the laptop has no LAN address, then phones get the address the organizer used', () => {
    lan.addresses = [];
    expect(phoneUrl(requestTo('localhost:3000'), '/q/x')).toBe('http://localhost:3000/q/x');
  });

  it('when PUBLIC_URL is set, then phones and returning browsers both get it', () => {
    config.publicUrl = 'https://pasar.example.id';
    expect(phoneUrl(requestTo('localhost:3000'), '/q/x')).toBe('https://pasar.example.id/q/x');
    expect(requestOrigin(requestTo('192.168.1.20:3000'))).toBe('https://pasar.example.id');
  });

  it('when PUBLIC_URL is not set, then a returning browser comes back to the host it used', () => {
    expect(requestOrigin(requestTo('192.168.1.20:3000', 'https'))).toBe('https://192.168.1.20:3000');
  });
});
