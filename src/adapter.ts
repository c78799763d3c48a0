import type { EventLedger } from './store/store.js';
import { within } from './within.js';

/**
 * What an adapter tells whoever watches the process (the metrics) about its traffic with the platform.
 * Every method is optional; an adapter calls those it can observe.
 */
export interface AdapterObserver {
  /** The connection was lost and the SDK is connecting again. */
  reconnecting?(): void;
  /** The platform asked the bot to slow down, and a call waits before it is retried. */
  rateLimited?(): void;
  /** An event arrived that was already answered (a redelivery, a replay, a twin of another event). */
  deduplicated?(): void;
}

/**
 * What every chat platform adapter implements. An adapter turns platform events into `Bot.handle` calls and
 * renders the replies; it knows nothing about search or notes.
 */
export interface Adapter {
  readonly name: string;
  start(): Promise<void>;
  /**
   * Takes no new events, waits up to `graceMs` (without it, as long as they take) for the answers already
   * being worked on to be posted, then closes the connection.
   */
  stop(graceMs?: number): Promise<void>;
  /** Whether events can arrive now (a socket open, a server listening); absent when the adapter cannot tell. */
  connected?(): boolean;
}

/**
 * The events an adapter has taken and not yet finished (answered and posted), so that a stop can wait for
 * them. Work that fails is still finished: the adapter reports its own failures.
 */
export class InFlight {
  private readonly tasks = new Set<Promise<unknown>>();

  /** Counts `task` as in flight until it settles; returns it unchanged. */
  track<T>(task: Promise<T>): Promise<T> {
    const settled = task.then(
      () => undefined,
      () => undefined,
    );
    this.tasks.add(settled);
    void settled.then(() => this.tasks.delete(settled));
    return task;
  }

  get size(): number {
    return this.tasks.size;
  }

  /** Resolves once everything in flight now has settled, or after `ms`: true when it all settled in time. */
  async drain(ms = Number.POSITIVE_INFINITY): Promise<boolean> {
    const all = Promise.all(this.tasks).then(() => true);
    if (ms === Number.POSITIVE_INFINITY) return all;
    return (await within(all, ms)) ?? false;
  }
}

/**
 * How long a handled platform event is remembered. Slack retries a missed ack for a few minutes, and
 * discord.js replays the events missed while a resumed gateway session was away, which can be most of an
 * hour; one window longer than both serves every adapter.
 */
export const EVENT_MEMORY_MS = 60 * 60_000;

/**
 * Answers each platform event once, across redeliveries and replicas, by claiming its key in the store's
 * event ledger. An event seen before is counted as deduplicated and left alone.
 */
export class EventDedupe {
  constructor(
    private readonly ledger: EventLedger,
    private readonly observer?: AdapterObserver,
  ) {}

  /**
   * Runs `work` for the event unless it was handled or is being handled; false when it was skipped. A failure
   * forgets the claim before it rejects, so the platform's retry of the event gets its answer after all.
   */
  async once(key: string, work: () => Promise<void>): Promise<boolean> {
    if (!(await this.claim(key))) return false;
    try {
      await work();
    } catch (error) {
      await this.ledger.releaseEvent(key);
      throw error;
    }
    await this.ledger.completeEvent(key, Date.now(), EVENT_MEMORY_MS);
    return true;
  }

  /**
   * Takes an event that can be answered only once whatever happens (a Discord interaction token is
   * single-use): claimed and remembered at once; false when it was taken before.
   */
  async take(key: string): Promise<boolean> {
    if (!(await this.claim(key))) return false;
    await this.ledger.completeEvent(key, Date.now(), EVENT_MEMORY_MS);
    return true;
  }

  private async claim(key: string): Promise<boolean> {
    const claimed = await this.ledger.claimEvent(key, Date.now());
    if (!claimed) this.observer?.deduplicated?.();
    return claimed;
  }
}
