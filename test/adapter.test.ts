import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENT_MEMORY_MS, EventDedupe } from '../src/adapter.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import type { Store } from '../src/store/store.js';
import { tempFolder } from './helpers.js';

let dir: string;
let store: Store;
let deduplicated: number;
let dedupe: EventDedupe;

beforeEach(() => {
  dir = tempFolder({});
  const opened = openSqliteStore(dir);
  if (!opened.ok) throw new Error(opened.error);
  store = opened.value;
  deduplicated = 0;
  dedupe = new EventDedupe(store, { deduplicated: () => deduplicated++ });
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('EventDedupe', () => {
  it('runs an event once, counts the repeat, and remembers it for the one documented window', async () => {
    let runs = 0;
    expect(await dedupe.once('slack:C1:1.1', async () => void runs++)).toBe(true);
    expect(await dedupe.once('slack:C1:1.1', async () => void runs++)).toBe(false);
    expect(runs).toBe(1);
    expect(deduplicated).toBe(1);
    // Still remembered just inside the window, forgotten after it.
    expect(await store.claimEvent('slack:C1:1.1', Date.now() + EVENT_MEMORY_MS - 60_000)).toBe(false);
    expect(await store.claimEvent('slack:C1:1.1', Date.now() + EVENT_MEMORY_MS + 1)).toBe(true);
  });

  it('forgets an event whose work failed, so a redelivery is answered', async () => {
    await expect(dedupe.once('discord:message:1', () => Promise.reject(new Error('post failed')))).rejects.toThrow('post failed');
    let runs = 0;
    expect(await dedupe.once('discord:message:1', async () => void runs++)).toBe(true);
    expect(runs).toBe(1);
    expect(deduplicated).toBe(0);
  });

  it('takes a single-use event once', async () => {
    expect(await dedupe.take('discord:interaction:1')).toBe(true);
    expect(await dedupe.take('discord:interaction:1')).toBe(false);
    expect(deduplicated).toBe(1);
  });
});
