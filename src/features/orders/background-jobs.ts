// Work that runs on a timer in the server process: expiring unpaid orders. The order lists also
// run the expiry when opened, so nothing depends on this timer being on time (or on in tests).
import { startRepeating } from '../../lib/repeat.js';
import { logger } from '../../logger.js';
import { expireUnpaidOrders } from './orders.service.js';

const everyMs = 60_000;

export function startBackgroundJobs(): { stop: () => void } {
  return startRepeating(
    everyMs,
    async () => {
      const expired = await expireUnpaidOrders(new Date());
      if (expired) logger.info({ expired }, 'unpaid orders expired');
    },
    (err) => logger.error({ err }, 'expiring unpaid orders failed'),
    { runNow: true },
  );
}
