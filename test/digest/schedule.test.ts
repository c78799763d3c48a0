import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DigestScheduler, isoWeek } from '../../src/digest/schedule.js';
import { createLogger } from '../../src/log.js';
import { plainText } from '../../src/reply.js';
import type { Poster } from '../../src/schedule/posting.js';
import type { Store } from '../../src/store/store.js';
import { openTestStore, tempFolder } from '../helpers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const schedule = { cron: '0 9 * * 1', timezone: 'Asia/Shanghai', catchupMs: 6 * HOUR, lang: 'en' as const };

function recordingPoster() {
  const posts: { channel: string; at: number; text: string }[] = [];
  const poster: Poster = {
    async post(channel, reply) {
      posts.push({ channel, at: Date.now(), text: plainText(reply) });
    },
  };
  return { poster, posts };
}

const digestScheduler = (store: Store, poster: Poster, channels = ['maint', 'ops']) =>
  new DigestScheduler({ store, poster, channels, schedule, log: createLogger('silent'), leaseMs: 60_000, retryBaseMs: 1_000 });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('DigestScheduler', () => {
  it('names weeks as ISO 8601 does, in the zone', () => {
    expect(isoWeek(Date.parse('2026-12-02T12:00:00Z'), 'UTC')).toBe('2026-W49');
    expect(isoWeek(Date.parse('2027-01-01T12:00:00Z'), 'UTC')).toBe('2026-W53');
    // Sunday 20:00 in UTC is already Monday in Shanghai.
    expect(isoWeek(Date.parse('2026-12-06T20:00:00Z'), 'UTC')).toBe('2026-W49');
    expect(isoWeek(Date.parse('2026-12-06T20:00:00Z'), 'Asia/Shanghai')).toBe('2026-W50');
  });

  it('posts once per channel and week across two schedulers on one store, Mondays 09:00 in the zone', async () => {
    vi.setSystemTime(new Date('2026-11-29T00:00:00Z'));
    const dir = tempFolder({});
    const [one, two] = [openTestStore(dir), openTestStore(dir)];
    one.logQuestion({ question: 'where do core dumps go', lang: 'en', answered: false, at: Date.now() + 2 * DAY }) // Tuesday of the second week;
    await one.flush();
    const writer = openTestStore(dir);
    writer.logQuestion({ question: 'where do core dumps go', lang: 'en', answered: false, at: Date.now() }); // Sunday of the first week
    await writer.close();
    const { poster, posts } = recordingPoster();
    const schedulers = [digestScheduler(one, poster), digestScheduler(two, poster)];
    schedulers.forEach((s) => s.start());
    await vi.advanceTimersByTimeAsync(15 * DAY);
    await Promise.all(schedulers.map((s) => s.stop()));
    const at = (iso: string) => Date.parse(iso);
    expect(posts.map((p) => [p.channel, p.at]).sort()).toEqual(
      [
        ['maint', at('2026-11-30T01:00:00Z')],
        ['maint', at('2026-12-07T01:00:00Z')],
        ['ops', at('2026-11-30T01:00:00Z')],
        ['ops', at('2026-12-07T01:00:00Z')],
      ].sort(),
    );
    expect(posts.find((p) => p.at === at('2026-11-30T01:00:00Z'))!.text).toContain("Maintainers' digest, 2026-11-23 to 2026-11-30");
    expect(posts.find((p) => p.at === at('2026-11-30T01:00:00Z'))!.text).toContain('where do core dumps go');
    expect(await one.digestPostedAt('maint', '2026-W50')).toBe(at('2026-12-07T01:00:00Z'));
  });

  it('catches up a missed Monday within the window on start, and posts nothing for one outside it', async () => {
    const dir = tempFolder({});
    vi.setSystemTime(new Date('2026-12-07T05:00:00Z')); // Monday 13:00 in Shanghai: four hours late
    const { poster, posts } = recordingPoster();
    const late = digestScheduler(openTestStore(dir), poster, ['maint']);
    late.start();
    await vi.advanceTimersByTimeAsync(1000);
    await late.stop();
    expect(posts.map((p) => p.at)).toEqual([Date.parse('2026-12-07T05:00:00Z')]);

    vi.setSystemTime(new Date('2026-12-14T08:00:00Z')); // 16:00, seven hours late: outside the 6 h window
    const tooLate = digestScheduler(openTestStore(dir), poster, ['maint']);
    tooLate.start();
    await vi.advanceTimersByTimeAsync(HOUR);
    await tooLate.stop();
    expect(posts).toHaveLength(1);
    expect(await openTestStore(dir).digestPostedAt('maint', '2026-W51')).toBeUndefined();
  });
});
