import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/log.js';
import { startHousekeeping } from '../../src/store/housekeeping.js';
import { openTestStore } from '../helpers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A logger whose lines are kept, to see what housekeeping said. */
function capturedLog() {
  let text = '';
  const sink = new Writable({ write: (chunk, _encoding, done) => ((text += chunk), done()) });
  return { log: createLogger('debug', sink), text: () => text };
}

describe('store housekeeping', () => {
  afterEach(() => vi.useRealTimers());

  it('prunes at start and then on its schedule, forgetting threads quiet longer than the memory', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(new Date('2026-05-04T00:00:00Z'));
    const store = openTestStore();
    const now = Date.now();
    await store.rememberThread('C', 'old', now - 3 * DAY);
    await store.rememberThread('C', 'recent', now - 12 * HOUR);
    await store.claimEvent('done', now - DAY);
    await store.completeEvent('done', now - DAY, HOUR);

    const { log, text } = capturedLog();
    const housekeeping = startHousekeeping(store, log, HOUR, 2 * DAY);
    await vi.waitFor(() => expect(text()).toContain('"events":1,"threads":1'));
    expect([await store.isBotThread('C', 'old'), await store.isBotThread('C', 'recent')]).toEqual([false, true]);

    await vi.advanceTimersByTimeAsync(2 * DAY);
    await vi.waitFor(async () => expect(await store.isBotThread('C', 'recent')).toBe(false));
    await housekeeping.stop();
    await store.close();
  });

  it('logs a failed round and tries again at the next one', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const store = openTestStore();
    await store.close(); // every prune now fails: the database is closed
    const { log, text } = capturedLog();
    const housekeeping = startHousekeeping(store, log, HOUR);
    await vi.waitFor(() => expect(text().match(/pruning the store failed/g)).toHaveLength(1));
    await vi.advanceTimersByTimeAsync(HOUR);
    await vi.waitFor(() => expect(text().match(/pruning the store failed/g)).toHaveLength(2));
    await housekeeping.stop();
  });
});
