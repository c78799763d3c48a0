import type { TipSchedule } from '../config.js';
import type { Logger } from '../log.js';
import type { Reply } from '../reply.js';
import { PostingScheduler, type Occasion, type Poster } from '../schedule/posting.js';
import type { Store } from '../store/store.js';
import type { TipRotation } from './rotation.js';
import type { Tip } from './tip.js';

/** What a chat platform implements to receive the daily tip (and every other scheduled post). */
export type TipPoster = Poster;

/** The local calendar day of `instant` in `timezone` (absent: the machine's zone), as YYYY-MM-DD. */
export function localDay(instant: number, timezone?: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

export interface SchedulerOptions {
  rotation: TipRotation;
  store: Store;
  poster: TipPoster;
  channels: readonly string[];
  schedule: TipSchedule;
  render: (tip: Tip) => Reply;
  log: Logger;
  /** How long a claim protects a post in progress; a crashed attempt is retried once it has passed. */
  leaseMs?: number;
  /** Attempts per channel and day, waiting `retryBaseMs`, then twice as long, and so on between them. */
  attempts?: number;
  retryBaseMs?: number;
}

/** The tip of the day as a scheduled post: one per channel and local calendar day, chosen by the rotation. */
function tipOfTheDay({ rotation, store, schedule, render, log }: SchedulerOptions): Occasion {
  return {
    name: 'the tip of the day',
    period: (scheduled) => localDay(scheduled, schedule.timezone),
    async compose(channel, day) {
      const chosen = await rotation.tipFor(channel, day);
      if (!chosen) log.warn({ channel, day }, 'no tip to post: the tips folder is empty');
      return chosen && render(chosen.tip);
    },
    posted: async (channel, day) => (await store.tipDay(channel, day))?.postedAt !== undefined,
    claim: (channel, day, now, leaseUntil) => store.claimPost(channel, day, now, leaseUntil),
    markPosted: (channel, day, now) => store.markPosted(channel, day, now),
    release: (channel, day) => store.releasePost(channel, day),
  };
}

/**
 * Posts the tip of the day to each channel at the times a cron pattern gives in a time zone, exactly once
 * per channel and day, with the claim, retry and catch-up rules of every scheduled post.
 */
export class TipScheduler extends PostingScheduler {
  constructor(options: SchedulerOptions) {
    super({ ...options, occasion: tipOfTheDay(options) });
  }
}
