/**
 * What a bot's step came to: done; skipped (nothing left to do, e.g. the order was cancelled);
 * or later (not yet possible, e.g. a card payment whose webhook has not arrived: try again soon).
 * `note` is a locale key, or a detail such as a tracking number.
 */
export type TaskOutcome = { status: 'done' | 'skipped' | 'later'; note?: string };
