import { Cron } from 'croner';
import type { TipSchedule } from '../config.js';
import type { Logger } from '../log.js';
import type { Reply } from '../reply.js';
import type { Store } from '../store/store.js';
import type { TipRotation } from './rotation.js';
import type { Tip } from './tip.js';

/** What a chat platform implements to receive the daily tip. */
export interface TipPoster {
  /** Posts to one channel; rejects when the platform refused, so the scheduler can retry. */
  post(channel: string, reply: Reply): Promise<void>;
}

/** The local calendar day of `instant` in `timezone`, as YYYY-MM-DD. */
export function localDay(instant: number, timezone: string): string {
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

/** How often a post that went out is recorded again while the store is away. */
const MARK_RETRY_MS = 1_000;
/** Timers never sleep longer than this, so a suspended machine or a clock change is noticed within it. */
const MAX_SLEEP_MS = 15 * 60_000;

/**
 * Posts the tip of the day to each channel at the times a cron pattern gives in a time zone, exactly once
 * per channel and day: the day is claimed in the store before posting and marked after, failed posts are
 * retried with backoff, and a run missed while the bot was down is caught up on start within the catch-up
 * window, like a CronJob's starting deadline.
 */
export class TipScheduler {
  private readonly cron: Cron;
  private readonly leaseMs: number;
  private readonly attempts: number;
  private readonly retryBaseMs: number;
  private timer: NodeJS.Timeout | undefined;
  private nextRun: number | undefined;
  private stopped = false;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly options: SchedulerOptions) {
    this.cron = new Cron(options.schedule.cron, { timezone: options.schedule.timezone, paused: true });
    this.leaseMs = options.leaseMs ?? 60_000;
    this.attempts = options.attempts ?? 5;
    this.retryBaseMs = options.retryBaseMs ?? 5_000;
  }

  /** Catches up a run missed within the window, then waits for the next one. */
  start(): void {
    this.stopped = false;
    const now = Date.now();
    const missed = this.lastRunBetween(now - this.options.schedule.catchupMs, now);
    if (missed !== undefined) this.track(this.runAt(missed));
    this.nextRun = this.cron.nextRun(new Date(now))?.getTime();
    this.arm();
  }

  /** Stops scheduling and waits for posts in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.all(this.running);
  }

  /** When the next scheduled run is, for logs and tests. */
  get next(): Date | undefined {
    return this.nextRun === undefined ? undefined : new Date(this.nextRun);
  }

  /** The latest scheduled time in (from, to], if any. */
  private lastRunBetween(from: number, to: number): number | undefined {
    let last: number | undefined;
    for (let t = this.cron.nextRun(new Date(from)); t && t.getTime() <= to; t = this.cron.nextRun(t)) last = t.getTime();
    return last;
  }

  private arm(): void {
    if (this.stopped || this.nextRun === undefined) return;
    const wait = Math.max(0, Math.min(this.nextRun - Date.now(), MAX_SLEEP_MS));
    this.timer = setTimeout(() => this.wake(), wait);
    this.timer.unref?.();
  }

  private wake(): void {
    const now = Date.now();
    if (this.nextRun !== undefined && now >= this.nextRun) {
      const due = this.nextRun;
      this.track(this.runAt(due));
      // Recomputed from the run just due, never by adding a fixed interval: days are 23 or 25 hours across DST.
      this.nextRun = this.cron.nextRun(new Date(Math.max(due, now)))?.getTime();
    }
    this.arm();
  }

  private track(run: Promise<void>): void {
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  private async runAt(scheduled: number): Promise<void> {
    const day = localDay(scheduled, this.options.schedule.timezone);
    const deadline = scheduled + Math.max(this.options.schedule.catchupMs, this.leaseMs * this.attempts);
    await Promise.all(this.options.channels.map((channel) => this.deliver(channel, day, deadline)));
  }

  /** Posts one channel's tip for `day`, unless it was posted already, retrying until `deadline`. */
  private async deliver(channel: string, day: string, deadline: number): Promise<void> {
    const { store, rotation, log } = this.options;
    let failures = 0;
    while (!this.stopped) {
      const now = Date.now();
      let chosen: { tip: Tip } | undefined;
      try {
        chosen = await rotation.tipFor(channel, day);
        if (!chosen) {
          log.warn({ channel, day }, 'no tip to post: the tips folder is empty');
          return;
        }
        if ((await store.tipDay(channel, day))?.postedAt !== undefined) return;
        if (!(await store.claimPost(channel, day, now, now + this.leaseMs))) {
          // Another attempt holds the claim: a live replica will post, a crashed one's lease runs out.
          if (now + this.leaseMs > deadline) return;
          await this.sleep(this.leaseMs);
          continue;
        }
      } catch (error) {
        // The store could not be asked, so nothing is claimed and nothing is posted; asked again after a wait.
        if (!(await this.retryLater(channel, day, ++failures, deadline, error, 'the tip store could not be reached'))) return;
        continue;
      }
      try {
        await this.options.poster.post(channel, this.options.render(chosen.tip));
      } catch (error) {
        // Unreleased (the store being away too), the claim simply expires after its lease.
        await store.releasePost(channel, day).catch((err: Error) => log.warn({ channel, day, err: err.message }, 'could not release the claim; it expires with its lease'));
        if (!(await this.retryLater(channel, day, ++failures, deadline, error, 'posting the tip of the day failed'))) return;
        continue;
      }
      await this.markPosted(channel, day);
      log.info({ channel, day, tip: chosen.tip.id }, 'tip of the day posted');
      return;
    }
  }

  /** Waits before the next attempt and says so; false (logged) when the attempts or the time are used up. */
  private async retryLater(channel: string, day: string, failures: number, deadline: number, error: unknown, what: string): Promise<boolean> {
    const wait = this.retryBaseMs * 2 ** (failures - 1);
    const err = (error as Error).message;
    if (failures >= this.attempts || Date.now() + wait > deadline) {
      this.options.log.error({ channel, day, attempts: failures, err }, `${what}; giving up on the tip of the day for today`);
      return false;
    }
    this.options.log.warn({ channel, day, attempt: failures, retryInMs: wait, err }, `${what}; will retry`);
    await this.sleep(wait);
    return true;
  }

  /**
   * Records a post that went out. Until it lands the claim's lease keeps other attempts off, so it is tried
   * again every second rather than given up: giving up would let the lease run out and the tip be posted twice.
   */
  private async markPosted(channel: string, day: string): Promise<void> {
    for (let tries = 1; ; tries++) {
      try {
        await this.options.store.markPosted(channel, day, Date.now());
        return;
      } catch (error) {
        const err = (error as Error).message;
        if (this.stopped) {
          this.options.log.error({ channel, day, err }, 'the tip was posted but could not be recorded before stopping; another attempt may post it again');
          return;
        }
        if (tries === 1) this.options.log.warn({ channel, day, err }, 'the tip was posted but could not be recorded yet; retrying');
        await this.sleep(MARK_RETRY_MS);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
  }
}
