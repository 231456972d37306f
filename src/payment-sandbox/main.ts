// `npm run payments`: the payment sandbox alone, without the app.
import { config } from '../config.js';
import { startPaymentSandbox } from './server.js';

const { close } = await startPaymentSandbox();
console.log(`Payment sandbox on http://${config.host}:${config.paymentSandbox.port} (events to ${config.paymentSandbox.webhookUrl})`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    setTimeout(() => process.exit(1), 10_000).unref();
    void close().then(() => process.exit(0));
  });
}
