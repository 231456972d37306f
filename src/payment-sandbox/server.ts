// Starts the payment sandbox on its own port, in its own process (main.ts, which npm start
// supervises and `npm run payments` runs alone). Settings come from src/config.ts like the app's.
import type { Server } from 'node:http';
import { config } from '../config.js';
import { createPaymentSandbox } from './app.js';

/** Starts the sandbox on its port (main.ts). */
export async function startPaymentSandbox(): Promise<{ server: Server; close: () => Promise<void> }> {
  const { port, database, publicUrl, webhookUrl } = config.paymentSandbox;
  const sandbox = await createPaymentSandbox({
    database,
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
