import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TipSchedule } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import type { Reply } from '../../src/reply.js';
import { TipRotation } from '../../src/tips/rotation.js';
import { localDay, TipScheduler, type TipPoster } from '../../src/tips/scheduler.js';
import type { Tip } from '../../src/tips/tip.js';
import { openTestStore, tempFolder } from '../helpers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const tips: Tip[] = Array.from({ length: 20 }, (_, i) => ({ id: `t${i}`, zh: `提示 ${i}`, en: `Tip ${i}`, try: 'kubectl get pods', see: ['kubectl get'] }));
const render = (tip: Tip): Reply => ({ kind: 'tip', lang: 'en', blocks: [{ type: 'text', text: tip.en }], sources: [], suggestions: [], actions: [] });


/** A poster that records what it posted and when, failing the first `failures` attempts. */
function recordingPoster(failures = 0) {
  const posts: { channel: string; at: number; text: string }[] = [];
  let calls = 0;
  const poster: TipPoster = {
    async post(channel, reply) {
      calls++;
      if (calls <= failures) throw new Error(`platform said no (${calls})`);
      posts.push({ channel, at: Date.now(), text: reply.blocks[0]!.type === 'text' ? reply.blocks[0]!.text : '' });
    },
  };
  return { poster, posts, calls: () => calls };
}

function scheduler(dir: string, poster: TipPoster, schedule: Partial<TipSchedule> = {}, channels = ['ops']) {
  const store = openTestStore(dir);
  return new TipScheduler({
    rotation: new TipRotation(store, () => tips),
    store,
    poster,
    channels,
    schedule: { cron: '0 10 * * *', timezone: 'UTC', catchupMs: 6 * HOUR, lang: 'en', ...schedule },
    render,
    log: createLogger('silent'),
    leaseMs: 60_000,
    retryBaseMs: 1_000,
  });
}

const localTime = (at: number, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('TipScheduler', () => {
  it('fires once a day at 10:00 local time across a daylight-saving change', async () => {
    vi.setSystemTime(new Date('2026-03-06T12:00:00Z')); // 07:00 in New York; clocks go forward on 8 March
    const { poster, posts } = recordingPoster();
    const s = scheduler(tempFolder({}), poster, { timezone: 'America/New_York' });
    s.start();
    await vi.advanceTimersByTimeAsync(4 * DAY);
    await s.stop();
    expect(posts.map((p) => new Date(p.at).toISOString())).toEqual([
      '2026-03-06T15:00:00.000Z',
      '2026-03-07T15:00:00.000Z',
      '2026-03-08T14:00:00.000Z',
      '2026-03-09T14:00:00.000Z',
    ]);
    expect(posts.map((p) => localTime(p.at, 'America/New_York'))).toEqual(['10:00', '10:00', '10:00', '10:00']);
    expect(new Set(posts.map((p) => p.text)).size).toBe(4);
  });

  it('posts exactly once after a crash between claim and post', async () => {
    vi.setSystemTime(new Date('2026-05-04T10:00:00Z'));
    const dir = tempFolder({});
    const crashed = openTestStore(dir);
    const day = localDay(Date.now(), 'UTC');
    await new TipRotation(crashed, () => tips).tipFor('ops', day);
    expect(await crashed.claimPost('ops', day, Date.now(), Date.now() + 60_000)).toBe(true);
    await crashed.close(); // the process died here, before posting

    vi.setSystemTime(new Date('2026-05-04T10:00:20Z'));
    const { poster, posts } = recordingPoster();
    const restarted = scheduler(dir, poster);
    restarted.start();
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    await restarted.stop();
    expect(posts).toHaveLength(1);

    const again = scheduler(dir, poster);
    again.start();
    await vi.advanceTimersByTimeAsync(HOUR);
    await again.stop();
    expect(posts).toHaveLength(1);
    expect((await openTestStore(dir).tipDay('ops', day))?.postedAt).toBeDefined();
  });

  it('retries a failing post with backoff and posts it once', async () => {
    vi.setSystemTime(new Date('2026-05-04T09:59:00Z'));
    const { poster, posts, calls } = recordingPoster(2);
    const s = scheduler(tempFolder({}), poster);
    s.start();
    await vi.advanceTimersByTimeAsync(HOUR);
    await s.stop();
    expect(calls()).toBe(3);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.at).toBe(Date.parse('2026-05-04T10:00:03Z')); // waited 1 s, then 2 s
  });

  it('posts nothing on a claim the store could not make, posts once when it can, and records a post once the store is back', async () => {
    vi.setSystemTime(new Date('2026-05-04T09:59:00Z'));
    const real = openTestStore(tempFolder({}));
    const away = (what: string) => Promise.reject(new Error(`${what}: connection terminated`));
    let claimsToFail = 2;
    let marksToFail = 3;
    // The real store, with the database away for its first claims and, after the post, its first marks.
    const flaky = Object.assign(Object.create(real) as typeof real, {
      claimPost: (...args: Parameters<typeof real.claimPost>) => (claimsToFail-- > 0 ? away('claim') : real.claimPost(...args)),
      markPosted: (...args: Parameters<typeof real.markPosted>) => (marksToFail-- > 0 ? away('mark') : real.markPosted(...args)),
    });
    const { poster, posts, calls } = recordingPoster();
    const s = new TipScheduler({
      rotation: new TipRotation(flaky, () => tips),
      store: flaky,
      poster,
      channels: ['ops'],
      schedule: { cron: '0 10 * * *', timezone: 'UTC', catchupMs: 6 * HOUR, lang: 'en' },
      render,
      log: createLogger('silent'),
      leaseMs: 60_000,
      retryBaseMs: 1_000,
    });
    s.start();
    await vi.advanceTimersByTimeAsync(HOUR);
    await s.stop();
    expect([calls(), posts.length]).toEqual([1, 1]);
    expect(posts[0]!.at).toBe(Date.parse('2026-05-04T10:00:03Z')); // two failed claims: waited 1 s, then 2 s
    expect(await real.tipDay('ops', '2026-05-04')).toMatchObject({ postedAt: Date.parse('2026-05-04T10:00:06Z'), attempts: 1 });
  });

  it('catches up a run missed within the window and skips one missed outside it', async () => {
    vi.setSystemTime(new Date('2026-05-04T15:00:00Z')); // 5 h late, window 6 h
    const late = recordingPoster();
    const inside = scheduler(tempFolder({}), late.poster);
    inside.start();
    await vi.advanceTimersByTimeAsync(1_000);
    await inside.stop();
    expect(late.posts.map((p) => new Date(p.at).toISOString())).toEqual(['2026-05-04T15:00:00.000Z']);

    vi.setSystemTime(new Date('2026-05-04T17:00:00Z')); // 7 h late
    const tooLate = recordingPoster();
    const outside = scheduler(tempFolder({}), tooLate.poster);
    outside.start();
    expect(outside.next?.toISOString()).toBe('2026-05-05T10:00:00.000Z');
    await vi.advanceTimersByTimeAsync(DAY);
    await outside.stop();
    expect(tooLate.posts.map((p) => new Date(p.at).toISOString())).toEqual(['2026-05-05T10:00:00.000Z']);
  });

  it('posts once per channel when two replicas share the data folder', async () => {
    vi.setSystemTime(new Date('2026-05-04T09:59:00Z'));
    const dir = tempFolder({});
    const { poster, posts } = recordingPoster();
    const one = scheduler(dir, poster, {}, ['ops', 'dev']);
    const two = scheduler(dir, poster, {}, ['ops', 'dev']);
    one.start();
    two.start();
    await vi.advanceTimersByTimeAsync(HOUR);
    await Promise.all([one.stop(), two.stop()]);
    expect(posts.map((p) => p.channel).sort()).toEqual(['dev', 'ops']);
  });
});
