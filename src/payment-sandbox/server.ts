// Starts the payment sandbox on its own port. npm start runs it inside the app's process;
// `npm run payments` runs it alone (main.ts). Settings come from src/config.ts like the app's.
import type { Server } from 'node:http';
import { config } from '../config.js';
import { createPaymentSandbox } from './app.js';

/** Starts the sandbox on its port; used by `npm run payments` and by the app's server. */
export async function startPaymentSandbox(): Promise<{ server: Server; close: () => Promise<void> }> {
  const { port, dbFile, publicUrl, webhookUrl } = config.paymentSandbox;
  const sandbox = createPaymentSandbox({
    dbFile,
    apiKey: config.stripe.secretKey,
    webhookUrl,
    webhookSecret: config.stripe.webhookSecret,
    ...(publicUrl ? { publicUrl } : {}),
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = sandbox.app.listen(port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  const close = () => new Promise<void>((resolve) => server.close(() => void sandbox.close().then(resolve)));
  return { server, close };
}
