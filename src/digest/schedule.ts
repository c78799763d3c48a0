import type { DigestSchedule } from '../config.js';
import type { Logger } from '../log.js';
import { PostingScheduler, type Occasion, type Poster } from '../schedule/posting.js';
import type { Store } from '../store/store.js';
import { localDay } from '../tips/scheduler.js';
import { digestReply, gatherDigest } from './digest.js';

/** A scheduled digest covers the seven days before its run. */
export const DIGEST_PERIOD_MS = 7 * 86_400_000;

/** The ISO 8601 week of `instant`'s calendar day in `timezone`, as `2026-W49`: weeks start on Monday. */
export function isoWeek(instant: number, timezone?: string): string {
  const [year, month, day] = localDay(instant, timezone).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = date.getUTCDay() || 7;
  // The week belongs to the year of its Thursday.
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const weekYear = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(weekYear, 0, 1)) / 86_400_000 + 1) / 7);
  return `${weekYear}-W${String(week).padStart(2, '0')}`;
}

export interface DigestSchedulerOptions {
  store: Store;
  poster: Poster;
  channels: readonly string[];
  schedule: DigestSchedule;
  log: Logger;
  leaseMs?: number;
  attempts?: number;
  retryBaseMs?: number;
}

/** The maintainers' digest as a scheduled post: once per channel and ISO week, of the seven days before the run. */
function maintainersDigest({ store, schedule }: DigestSchedulerOptions): Occasion {
  return {
    name: "the maintainers' digest",
    period: (scheduled) => isoWeek(scheduled, schedule.timezone),
    async compose(_channel, _week, scheduled) {
      return digestReply(await gatherDigest(store, scheduled - DIGEST_PERIOD_MS, scheduled), schedule.lang, schedule.timezone);
    },
    posted: async (channel, week) => (await store.digestPostedAt(channel, week)) !== undefined,
    claim: (channel, week, now, leaseUntil) => store.claimDigest(channel, week, now, leaseUntil),
    markPosted: (channel, week, now) => store.markDigestPosted(channel, week, now),
    release: (channel, week) => store.releaseDigest(channel, week),
  };
}

/** Posts the maintainers' digest to each digest channel, exactly once per channel and week across replicas. */
export class DigestScheduler extends PostingScheduler {
  constructor(options: DigestSchedulerOptions) {
    super({ ...options, occasion: maintainersDigest(options) });
  }
}
