import type { DomainEvents } from '../../events.js';
import { logger } from '../../logger.js';
import { workshopClocks } from '../workshops/clock.js';
import { applyOrderDeadlines } from './orders.service.js';

/**
 * Cancels the orders whose payment window has passed and completes the shipped orders whose
 * buyer never confirmed, each workshop on its own training clock. The order lists do the same
 * when opened, so nothing depends on this job being on time (or on in tests).
 */
export async function applyOrderDeadlinesEverywhere(): Promise<void> {
  for (const { workshopId, now } of await workshopClocks()) {
    const { expired, completed } = await applyOrderDeadlines(now, { workshopId });
    if (expired || completed) logger.info({ workshopId, expired, completed }, 'order deadlines applied');
  }
}

/** On workshopClockMoved: what the move made due happens now. */
export async function applyOrderDeadlinesOnClockMove({ workshopId, now }: DomainEvents['workshopClockMoved']): Promise<void> {
  await applyOrderDeadlines(now, { workshopId });
}
