import os from 'node:os';

/** The machine's IPv4 addresses on its local networks (what phones on the room's Wi-Fi use). */
export function lanAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((info): info is os.NetworkInterfaceInfo => !!info && info.family === 'IPv4' && !info.internal)
    .map((info) => info.address);
}
