import type { Lang } from '../lang.js';

/** A channel's latest rotation round and the tips already used in it. */
export interface CycleState {
  cycle: number;
  used: ReadonlySet<string>;
}

/** The tip chosen for one channel on one day, and how far its posting got. */
export interface TipDay {
  channel: string;
  /** Local calendar day in the schedule's time zone, YYYY-MM-DD. */
  day: string;
  tipId: string;
  /** Rotation round: a tip is used at most once per cycle and channel. */
  cycle: number;
  postedAt?: number;
  attempts: number;
}

export interface QuestionEntry {
  question: string;
  lang: Lang;
  answered: boolean;
  /** `note#line` or `kubectl path` of the answer shown, when there was one. */
  topSource?: string;
  channel?: string;
  /** Only kept when the admin turned user logging on. */
  user?: string;
  at: number;
}

export interface Gap {
  question: string;
  count: number;
  lastAskedAt: number;
}

export interface FeedbackEntry {
  answerId: string;
  vote: 1 | -1;
  channel?: string;
  user?: string;
  at: number;
}

/**
 * Everything the bot remembers between restarts. Nothing outside `src/store/` knows which database holds
 * it, so a server database can replace the embedded one when several replicas share state.
 */
export interface Store {
  /** The tip already chosen for this channel and day, if any. */
  tipDay(channel: string, day: string): TipDay | undefined;
  /**
   * The tip for a channel and day: the one already chosen, else whatever `pick` chooses from the channel's
   * current cycle (its number and the tips used in it), recorded atomically so that two processes never
   * use one tip twice in a cycle. Undefined when `pick` finds nothing.
   */
  chooseTip(channel: string, day: string, pick: (cycle: CycleState) => { tipId: string; cycle: number } | undefined, now: number): TipDay | undefined;
  /**
   * Takes the right to post this day's tip until `leaseUntil`; false when it is posted already or another
   * attempt holds an unexpired lease. A crash leaves the lease to expire, and the next attempt retries.
   */
  claimPost(channel: string, day: string, now: number, leaseUntil: number): boolean;
  markPosted(channel: string, day: string, now: number): void;
  /** Gives a claim up after a failed post, so the retry can claim again. */
  releasePost(channel: string, day: string): void;

  logQuestion(entry: QuestionEntry): void;
  /** Unanswered questions since `since`, most asked first. */
  gaps(since: number, limit: number): Gap[];
  recordFeedback(entry: FeedbackEntry): void;

  /**
   * Takes a platform event (a message or interaction id) for handling; false when another
   * attempt has it or it was handled. The claim is a short lease until `completeEvent`, so a process that
   * dies mid-answer does not make the platform's retry look handled.
   */
  claimEvent(key: string, now: number): boolean;
  /** Marks a claimed event handled and remembers it for `ttlMs`, so a redelivery is not answered twice. */
  completeEvent(key: string, now: number, ttlMs: number): void;
  /** Forgets an event whose handling failed, so the platform's retry is answered after all. */
  releaseEvent(key: string): void;
  /** Remembers a conversation thread the bot answered in, so follow-ups there need no new mention. */
  rememberThread(channel: string, thread: string, now: number): void;
  isBotThread(channel: string, thread: string): boolean;
  close(): void;
}
