// Which address to hand out. The app runs on a laptop and is opened from phones on the room's
// Wi-Fi: an address made from what the laptop's own browser used (localhost) would not open on
// a phone, so links meant for phones (join link, anonymous questionnaire, QR codes) use the
// laptop's LAN address instead. PUBLIC_URL, when set, wins everywhere.
import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';
import { config } from '../config.js';
import { lanAddresses } from '../lib/network.js';

const loopbackHostnames = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The hostname (no port) this browser used to reach the app, from its Host header: IPv6 keeps
 * its brackets. Loopback when the header is missing or malformed.
 */
export function requestHostname(req: IncomingMessage): string {
  try {
    return new URL(`http://${req.headers.host ?? '127.0.0.1'}`).hostname;
  } catch {
    return '127.0.0.1';
  }
}

/** Where this browser reached the app, for links it follows itself (back from the payment page). */
export function requestOrigin(req: Request): string {
  return config.publicUrl ?? `${req.protocol}://${req.get('host')}`;
}

/** The address phones in the room should open: the host the organizer used, unless that is this laptop's loopback. */
export function publicBaseUrl(req: Request): string {
  if (config.publicUrl) return config.publicUrl;
  const lan = lanAddresses()[0];
  if (lan && loopbackHostnames.includes(requestHostname(req))) return `${req.protocol}://${lan}:${config.port}`;
  return `${req.protocol}://${req.get('host') ?? `localhost:${config.port}`}`;
}

/** A page of this app as a phone in the room opens it; `path` starts with a slash. */
export function phoneUrl(req: Request, path: string): string {
  return `${publicBaseUrl(req)}${path}`;
}
