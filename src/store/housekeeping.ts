import type { Logger } from '../log.js';
import type { Store } from './store.js';

/** How often expired events, quiet threads, old conversation turns and old rate-limit hits are removed. */
export const PRUNE_EVERY_MS = 60 * 60_000;
/** A thread the bot has not answered in for this long is forgotten: follow-ups there need a mention again. */
export const THREAD_MEMORY_MS = 30 * 86_400_000;

export interface Housekeeping {
  /** Stops the timer and waits for a round in progress. */
  stop(): Promise<void>;
}

/**
 * Prunes the store now and then every `everyMs`, so the event ledger, the thread memory and the rate limit's
 * hits stay the size of what is still useful. With several replicas each prunes; the deletes are idempotent,
 * so that is harmless.
 */
export function startHousekeeping(store: Store, log: Logger, everyMs = PRUNE_EVERY_MS, threadMemoryMs = THREAD_MEMORY_MS): Housekeeping {
  let round: Promise<void> = Promise.resolve();
  const prune = () => {
    round = store.prune(Date.now(), threadMemoryMs).then(
      (pruned) => log.debug(pruned, 'store pruned: expired events, quiet threads, old conversation turns and old rate-limit hits removed'),
      (error: unknown) => log.warn({ err: (error as Error).message }, 'pruning the store failed; will try again at the next round'),
    );
  };
  prune();
  const timer = setInterval(prune, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await round;
    },
  };
}
