import type { Logger } from '../log.js';
import { MAX_TURN_BYTES, type LogBatch, type StoreBackend } from './backend.js';
import type { Activity, DownVoted, FeedbackEntry, Gap, Pruned, QuestionEntry, RateDecision, Store, StoreStats, TipDay, TipPick } from './store.js';

/** Entries asked for within this long share one write. */
const BATCH_DELAY_MS = 20;
/** After a failed write, the next attempt waits this long, so an outage is not hammered. */
const RETRY_MS = 2_000;
/** Beyond this many waiting entries the oldest are given up, so an outage cannot eat the memory. */
const MAX_PENDING = 10_000;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * A backend with the store's one failure policy. An answer never waits for the database: questions and
 * votes are queued and written in batches, a failed batch is retried and counted. Event, thread,
 * conversation and rate-limit calls fall back (answer anyway, "not a bot thread", "no earlier turn",
 * "allowed") when the database cannot be asked: an outage must never silence the bot. The tip and digest
 * calls throw, since nothing may be posted on a claim that was not made.
 */
export function resilientStore(backend: StoreBackend, log: Logger): Store {
  return new ResilientStore(backend, log.child({ store: backend.description }));
}

class ResilientStore implements Store {
  private questions: QuestionEntry[] = [];
  private feedback: FeedbackEntry[] = [];
  private writing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly counts = { failedWrites: 0, lost: 0, failedLookups: 0 };

  constructor(
    private readonly backend: StoreBackend,
    private readonly log: Logger,
  ) {}

  tipDay(channel: string, day: string): Promise<TipDay | undefined> {
    return this.backend.tipDay(channel, day);
  }

  chooseTip(channel: string, day: string, pick: TipPick, now: number): Promise<TipDay | undefined> {
    return this.backend.chooseTip(channel, day, pick, now);
  }

  claimPost(channel: string, day: string, now: number, leaseUntil: number): Promise<boolean> {
    return this.backend.claimPost(channel, day, now, leaseUntil);
  }

  markPosted(channel: string, day: string, now: number): Promise<void> {
    return this.backend.markPosted(channel, day, now);
  }

  releasePost(channel: string, day: string): Promise<void> {
    return this.backend.releasePost(channel, day);
  }

  logQuestion(entry: QuestionEntry): void {
    this.enqueue(() => this.questions.push(entry));
  }

  recordFeedback(entry: FeedbackEntry): void {
    this.enqueue(() => this.feedback.push(entry));
  }

  gaps(since: number, limit: number): Promise<Gap[]> {
    return this.backend.gaps(since, limit);
  }

  activity(since: number, until: number): Promise<Activity> {
    return this.backend.activity(since, until);
  }

  downVoted(since: number, until: number, limit: number): Promise<DownVoted[]> {
    return this.backend.downVoted(since, until, limit);
  }

  claimEvent(key: string, now: number): Promise<boolean> {
    return this.orElse('claiming an event', true, () => this.backend.claimEvent(key, now));
  }

  completeEvent(key: string, now: number, ttlMs: number): Promise<void> {
    return this.orElse('completing an event', undefined, () => this.backend.completeEvent(key, now, ttlMs));
  }

  releaseEvent(key: string): Promise<void> {
    return this.orElse('releasing an event', undefined, () => this.backend.releaseEvent(key));
  }

  rememberThread(channel: string, thread: string, now: number): Promise<void> {
    return this.orElse('remembering a thread', undefined, () => this.backend.rememberThread(channel, thread, now));
  }

  isBotThread(channel: string, thread: string): Promise<boolean> {
    return this.orElse('looking up a thread', false, () => this.backend.isBotThread(channel, thread));
  }

  lastTurn(conversation: string, since: number): Promise<string | undefined> {
    return this.orElse('reading a conversation', undefined, () => this.backend.lastTurn(conversation, since));
  }

  rememberTurn(conversation: string, turn: string, now: number): Promise<void> {
    return this.orElse('remembering a conversation', undefined, async () => {
      if (await this.backend.rememberTurn(conversation, turn, now)) return;
      this.log.warn({ bytes: Buffer.byteLength(turn, 'utf8'), max: MAX_TURN_BYTES }, 'a conversation turn was too long to keep; the conversation starts afresh');
    });
  }

  countRequest(person: string, now: number, windowMs: number, limit: number): Promise<RateDecision> {
    return this.orElse('counting a request for the rate limit', 'allowed', () => this.backend.countRequest(person, now, windowMs, limit));
  }

  claimDigest(channel: string, week: string, now: number, leaseUntil: number): Promise<boolean> {
    return this.backend.claimDigest(channel, week, now, leaseUntil);
  }

  markDigestPosted(channel: string, week: string, now: number): Promise<void> {
    return this.backend.markDigestPosted(channel, week, now);
  }

  releaseDigest(channel: string, week: string): Promise<void> {
    return this.backend.releaseDigest(channel, week);
  }

  digestPostedAt(channel: string, week: string): Promise<number | undefined> {
    return this.backend.digestPostedAt(channel, week);
  }

  prune(now: number, threadMaxAgeMs: number): Promise<Pruned> {
    return this.backend.prune(now, threadMaxAgeMs);
  }

  async flush(): Promise<void> {
    // One write at a time, so entries land in the order they were asked.
    while (this.writing) await this.writing;
    if (this.questions.length === 0 && this.feedback.length === 0) return;
    const batch: LogBatch = { questions: this.questions, feedback: this.feedback };
    this.questions = [];
    this.feedback = [];
    this.writing = this.write(batch).finally(() => (this.writing = undefined));
    await this.writing;
  }

  stats(): StoreStats {
    return { pending: this.questions.length + this.feedback.length, ...this.counts };
  }

  /** Closing twice waits for the one close. */
  close(): Promise<void> {
    return (this.closing ??= this.shutDown());
  }

  private async shutDown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.flush();
    const unwritten = this.questions.length + this.feedback.length;
    if (unwritten > 0) {
      this.counts.lost += unwritten;
      this.log.error({ lost: unwritten }, 'questions and votes could not be written before stopping; they are lost');
    }
    await this.backend.close();
  }

  private enqueue(add: () => void): void {
    if (this.closed) {
      this.counts.lost++;
      return;
    }
    add();
    this.schedule(BATCH_DELAY_MS);
  }

  private schedule(ms: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, ms);
    this.timer.unref();
  }

  private async write(batch: LogBatch): Promise<void> {
    try {
      await this.backend.writeLog(batch);
    } catch (error) {
      this.counts.failedWrites++;
      this.questions = [...batch.questions, ...this.questions];
      this.feedback = [...batch.feedback, ...this.feedback];
      const over = this.questions.length + this.feedback.length - MAX_PENDING;
      if (over > 0) {
        const fromQuestions = Math.min(over, this.questions.length);
        this.questions.splice(0, fromQuestions);
        this.feedback.splice(0, over - fromQuestions);
        this.counts.lost += over;
      }
      this.log.warn({ err: message(error), pending: this.stats().pending, lost: this.counts.lost }, 'writing the question log failed; will retry');
      this.schedule(RETRY_MS);
    }
  }

  private async orElse<T>(what: string, fallback: T, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      this.counts.failedLookups++;
      this.log.warn({ err: message(error), failedLookups: this.counts.failedLookups }, `${what} failed; carrying on without the database`);
      return fallback;
    }
  }
}
