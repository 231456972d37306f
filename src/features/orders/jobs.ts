import { logger } from '../../logger.js';
import { expireUnpaidOrders } from './orders.service.js';

/**
 * Cancels the orders whose payment window has passed. The order lists run the expiry too when
 * opened, so nothing depends on this job being on time (or on in tests).
 */
export async function expireOverdueOrders(): Promise<void> {
  const expired = await expireUnpaidOrders(new Date());
  if (expired) logger.info({ expired }, 'unpaid orders expired');
}
