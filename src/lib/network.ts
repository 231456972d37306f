import os from 'node:os';

/** The machine's IPv4 addresses on its local networks (what phones on the room's Wi-Fi use). */
export function lanAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((info): info is os.NetworkInterfaceInfo => !!info && info.family === 'IPv4' && !info.internal)
    .map((info) => info.address);
}

/** A connection from this machine itself: 127.0.0.0/8, ::1, or the IPv4-mapped form of 127.x. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || address === '::1';
}
