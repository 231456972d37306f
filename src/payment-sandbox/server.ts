// Runs the payment sandbox alone: `npm run payments`. Reads its settings from env here until
// they move into src/config.ts.
import { z } from 'zod';
import { createPaymentSandbox } from './app.js';

const env = z
  .object({
    PAYMENT_SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
    HOST: z.string().min(1).default('0.0.0.0'),
    PAYMENT_SANDBOX_DB: z.string().min(1).default('data/payment-sandbox.db'),
    STRIPE_SECRET_KEY: z.string().startsWith('sk_test_').default('sk_test_pasarlatih_sandbox'),
    STRIPE_WEBHOOK_SECRET: z.string().min(1).default('whsec_pasarlatih_sandbox'),
    PAYMENT_WEBHOOK_URL: z.url().default('http://127.0.0.1:3000/payments/webhook'),
    PAYMENT_SANDBOX_PUBLIC_URL: z.url().optional(),
  })
  .parse(process.env);

const sandbox = createPaymentSandbox({
  dbFile: env.PAYMENT_SANDBOX_DB,
  apiKey: env.STRIPE_SECRET_KEY,
  webhookUrl: env.PAYMENT_WEBHOOK_URL,
  webhookSecret: env.STRIPE_WEBHOOK_SECRET,
  ...(env.PAYMENT_SANDBOX_PUBLIC_URL ? { publicUrl: env.PAYMENT_SANDBOX_PUBLIC_URL } : {}),
});

const server = sandbox.app.listen(env.PAYMENT_SANDBOX_PORT, env.HOST, () => {
  console.log(`Payment sandbox listening on http://${env.HOST}:${env.PAYMENT_SANDBOX_PORT} (events to ${env.PAYMENT_WEBHOOK_URL})`);
});

function shutdown(signal: string): void {
  console.log(`Payment sandbox: ${signal}, closing`);
  server.close(() => {
    void sandbox.close().then(() => process.exit(0));
  });
  setTimeout(() => process.exit(1), 10_000).unref();
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
