import { Cron } from 'croner';
import type { Logger } from '../log.js';
import type { Reply } from '../reply.js';

/** What a chat platform implements to receive scheduled posts (the tip of the day, the digest). */
export interface Poster {
  /** Posts to one channel; rejects when the platform refused, so the scheduler can retry. */
  post(channel: string, reply: Reply): Promise<void>;
}

/** When a scheduled post goes out: a cron pattern in a time zone, and how late a missed run is still made. */
export interface Schedule {
  cron: string;
  /** An IANA zone; absent: the machine's own. */
  timezone?: string;
  /** How long after a missed run the bot still posts it on start. */
  catchupMs: number;
}

/**
 * One kind of scheduled post: which period a run posts for (a day, a week), what it posts, and how the store
 * records that a channel got it, so that every replica posts it exactly once.
 */
export interface Occasion {
  /** What is posted, for logs: "the tip of the day". */
  readonly name: string;
  /** The period a run scheduled at `scheduled` posts for, e.g. `2026-12-02` or `2026-W49`. */
  period(scheduled: number): string;
  /** The post for a channel and period; undefined (the occasion says why in the log) when there is none. */
  compose(channel: string, period: string, scheduled: number): Promise<Reply | undefined>;
  posted(channel: string, period: string): Promise<boolean>;
  /** False when posted already or another attempt holds an unexpired lease; rejects when the store cannot say. */
  claim(channel: string, period: string, now: number, leaseUntil: number): Promise<boolean>;
  markPosted(channel: string, period: string, now: number): Promise<void>;
  release(channel: string, period: string): Promise<void>;
}

export interface PostingOptions {
  occasion: Occasion;
  poster: Poster;
  channels: readonly string[];
  schedule: Schedule;
  log: Logger;
  /** How long a claim protects a post in progress; a crashed attempt is retried once it has passed. */
  leaseMs?: number;
  /** Attempts per channel and period, waiting `retryBaseMs`, then twice as long, and so on between them. */
  attempts?: number;
  retryBaseMs?: number;
}

/** How often a post that went out is recorded again while the store is away. */
const MARK_RETRY_MS = 1_000;
/** Timers never sleep longer than this, so a suspended machine or a clock change is noticed within it. */
const MAX_SLEEP_MS = 15 * 60_000;

/**
 * Posts an occasion to each channel at the times a cron pattern gives in a time zone, exactly once per channel
 * and period: the period is claimed in the store before posting and marked after, failed posts are retried
 * with backoff, and a run missed while the bot was down is caught up on start within the catch-up window,
 * like a CronJob's starting deadline.
 */
export class PostingScheduler {
  private readonly cron: Cron;
  private readonly leaseMs: number;
  private readonly attempts: number;
  private readonly retryBaseMs: number;
  private timer: NodeJS.Timeout | undefined;
  private nextRun: number | undefined;
  private stopped = false;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly options: PostingOptions) {
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
    const period = this.options.occasion.period(scheduled);
    const deadline = scheduled + Math.max(this.options.schedule.catchupMs, this.leaseMs * this.attempts);
    await Promise.all(this.options.channels.map((channel) => this.deliver(channel, period, scheduled, deadline)));
  }

  /** Posts one channel's post for `period`, unless it was posted already, retrying until `deadline`. */
  private async deliver(channel: string, period: string, scheduled: number, deadline: number): Promise<void> {
    const { occasion, log } = this.options;
    let failures = 0;
    while (!this.stopped) {
      const now = Date.now();
      let reply: Reply | undefined;
      try {
        reply = await occasion.compose(channel, period, scheduled);
        if (!reply) return;
        if (await occasion.posted(channel, period)) return;
        if (!(await occasion.claim(channel, period, now, now + this.leaseMs))) {
          // Another attempt holds the claim: a live replica will post, a crashed one's lease runs out.
          if (now + this.leaseMs > deadline) return;
          await this.sleep(this.leaseMs);
          continue;
        }
      } catch (error) {
        // The store could not be asked, so nothing is claimed and nothing is posted; asked again after a wait.
        if (!(await this.retryLater(channel, period, ++failures, deadline, error, 'the store could not be reached'))) return;
        continue;
      }
      try {
        await this.options.poster.post(channel, reply);
      } catch (error) {
        // Unreleased (the store being away too), the claim simply expires after its lease.
        await occasion.release(channel, period).catch((err: Error) => log.warn({ channel, period, err: err.message }, 'could not release the claim; it expires with its lease'));
        if (!(await this.retryLater(channel, period, ++failures, deadline, error, `posting ${occasion.name} failed`))) return;
        continue;
      }
      await this.markPosted(channel, period);
      log.info({ channel, period }, `${occasion.name} posted`);
      return;
    }
  }

  /** Waits before the next attempt and says so; false (logged) when the attempts or the time are used up. */
  private async retryLater(channel: string, period: string, failures: number, deadline: number, error: unknown, what: string): Promise<boolean> {
    const wait = this.retryBaseMs * 2 ** (failures - 1);
    const err = (error as Error).message;
    if (failures >= this.attempts || Date.now() + wait > deadline) {
      this.options.log.error({ channel, period, attempts: failures, err }, `${what}; giving up on ${this.options.occasion.name} for ${period}`);
      return false;
    }
    this.options.log.warn({ channel, period, attempt: failures, retryInMs: wait, err }, `${what}; will retry`);
    await this.sleep(wait);
    return true;
  }

  /**
   * Records a post that went out. Until it lands the claim's lease keeps other attempts off, so it is tried
   * again every second rather than given up: giving up would let the lease run out and the post go out twice.
   */
  private async markPosted(channel: string, period: string): Promise<void> {
    const { occasion, log } = this.options;
    for (let tries = 1; ; tries++) {
      try {
        await occasion.markPosted(channel, period, Date.now());
        return;
      } catch (error) {
        const err = (error as Error).message;
        if (this.stopped) {
          log.error({ channel, period, err }, `${occasion.name} was posted but could not be recorded before stopping; another attempt may post it again`);
          return;
        }
        if (tries === 1) log.warn({ channel, period, err }, `${occasion.name} was posted but could not be recorded yet; retrying`);
        await this.sleep(MARK_RETRY_MS);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
  }
}
