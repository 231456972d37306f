// The payment sandbox's own process: `npm start` runs it beside the app (scripts/start.mjs, which
// restarts it if it dies), `npm run payments` runs it alone. With PAYMENT_SANDBOX=off it exits at
// once (code 0: the supervisor leaves it stopped).
import { config } from '../config.js';
import { startPaymentSandbox } from './server.js';

if (!config.paymentSandbox.enabled) {
  console.log('Payment sandbox off (PAYMENT_SANDBOX=off): the app talks to Stripe test mode');
  process.exit(0);
}

const { close } = await startPaymentSandbox();
console.log(
  `Payment sandbox on http://${config.host}:${config.paymentSandbox.port}: card pages for the room, API on loopback only (events to ${config.paymentSandbox.webhookUrl})`,
);

let stopping = false;
const stop = () => {
  if (stopping) process.exit(1);
  stopping = true;
  setTimeout(() => process.exit(1), 10_000).unref();
  void close().then(() => process.exit(0));
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, stop);
// Started by scripts/start.mjs: when it is gone, so is this.
process.on('disconnect', stop);
