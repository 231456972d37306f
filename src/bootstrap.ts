// What the first start of an empty database does: demo data (DEMO_DATA, on by default), or one
// admin with a random password when DEMO_DATA=false.
import { randomBytes } from 'node:crypto';
import { config } from './config.js';
import { countUsers, createUser } from './features/auth/auth.service.js';
import { DEMO_JOIN_CODE, DEMO_PASSWORD, demoAccountList } from './features/sandbox/demo-accounts.js';
import { loadDemoData } from './features/sandbox/demo.service.js';

export type FirstStart =
  | { kind: 'demo'; password: string; joinCode: string; logins: { username: string; role: string }[] }
  | { kind: 'admin'; username: string; password: string }
  | { kind: 'existing' };

export async function bootstrapData(): Promise<FirstStart> {
  const hasUsers = (await countUsers()) > 0;
  if (config.demoData) {
    if (!hasUsers) await loadDemoData();
    return {
      kind: 'demo',
      password: DEMO_PASSWORD,
      joinCode: DEMO_JOIN_CODE,
      logins: demoAccountList.map((a) => ({ username: a.username, role: a.role })),
    };
  }
  if (hasUsers) return { kind: 'existing' };
  const password = randomBytes(12).toString('base64url');
  await createUser({ username: 'admin', displayName: 'Admin', password, role: 'admin' });
  return { kind: 'admin', username: 'admin', password };
}
