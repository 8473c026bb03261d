/** What every writing tool does when a write fails in a way that leaves its outcome unknown. */
import { IntervalsError } from '../../intervals/errors.js';

const UNCERTAIN = new Set(['upstream', 'network', 'timeout']);

/**
 * Run one write. Writes are never retried (the client retries GETs only, and gives no retry advice
 * for writes); when the outcome is unknown (5xx, connection lost, timeout) the error says so and
 * how to check before a retry.
 */
export async function guardWrite<T>(write: () => Promise<T>, advice = 'check list_events before retrying'): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof IntervalsError && UNCERTAIN.has(err.kind)) {
      throw new IntervalsError(err.kind, `${err.message} The write may or may not have happened: ${advice}.`, err.status, err.retryAfterMs);
    }
    throw err;
  }
}
