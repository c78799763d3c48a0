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
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    try {
      return await Promise.race([all, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
