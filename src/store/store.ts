import type { Lang } from '../lang.js';

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
  /** The channel's latest cycle and the tips used in it so far. */
  currentCycle(channel: string): { cycle: number; used: Set<string> };
  /** Records a choice unless another process chose first; returns whichever choice stands. */
  chooseTip(channel: string, day: string, tipId: string, cycle: number): TipDay;
  /**
   * Takes the right to post this day's tip until `leaseUntil`; false when it is posted already or another
   * attempt holds an unexpired lease. A crash leaves the lease to expire, and the next attempt retries.
   */
  claimPost(channel: string, day: string, now: number, leaseUntil: number): boolean;
  markPosted(channel: string, day: string, now: number): void;
  /** Days chosen for a channel but never posted, newest first. */
  unposted(channel: string): TipDay[];

  logQuestion(entry: QuestionEntry): void;
  /** Unanswered questions since `since`, most asked first. */
  gaps(since: number, limit: number): Gap[];
  recordFeedback(entry: FeedbackEntry): void;
  close(): void;
}
