import type { Activity, BotThreads, DigestWeeks, DownVoted, EventLedger, FeedbackEntry, Gap, Pruned, QuestionEntry, RateLimits, TipDays } from './store.js';

/** How long an event being answered stays claimed: far longer than an answer takes, far shorter than a retry window. */
export const EVENT_LEASE_MS = 2 * 60_000;

/** A conversation turn older than this is pruned: follow-ups come within minutes, and turns hold people's words. */
export const CONVERSATION_MEMORY_MS = 86_400_000;

/** The most a conversation turn may take (UTF-8 bytes), so one pasted log cannot grow the table without bound. */
export const MAX_TURN_BYTES = 4096;

/** Whether a turn is small enough to be kept. */
export const turnFits = (turn: string) => Buffer.byteLength(turn, 'utf8') <= MAX_TURN_BYTES;

/** A rate-limit hit older than this is pruned: no window is longer, and a hit says who asked when. */
export const RATE_HIT_MEMORY_MS = 60 * 60_000;

/** What a person's rate-limit state holds for one request, as read under that person's lock. */
export interface RateWindow {
  /** Allowed requests stamped after `now - windowMs`. */
  hits: number;
  /** The earliest of them, when there is one. */
  oldestHit: number | undefined;
  /** Until when the person was told of the current block, when they were. */
  noticedUntil: number | undefined;
}

/** The rate limit's answer, and what the backend must write for it. */
export type RateStep =
  | { decision: 'allowed' } // record a hit at `now`
  | { decision: 'notice'; noticedUntil: number } // record that the person was told until then
  | { decision: 'quiet' }; // write nothing

/**
 * The rate limit's one rule, shared by both backends. A refused request is told when the window frees (its
 * oldest hit ages out), so the notice comes once per blocked stretch and a later block gets its own.
 */
export function rateStep(window: RateWindow, now: number, windowMs: number, limit: number): RateStep {
  if (window.hits < limit) return { decision: 'allowed' };
  if (window.noticedUntil !== undefined && now < window.noticedUntil) return { decision: 'quiet' };
  return { decision: 'notice', noticedUntil: (window.oldestHit ?? now) + windowMs };
}

/** A batch of question-log and feedback entries, written together. */
export interface LogBatch {
  questions: readonly QuestionEntry[];
  feedback: readonly FeedbackEntry[];
}

/**
 * What each database implements: every job of the store, plainly, with every failure thrown. The policy for
 * failures (queue the logs, answer anyway) is the same for both and lives in `resilient.ts`.
 */
export interface StoreBackend extends TipDays, EventLedger, BotThreads, DigestWeeks, RateLimits {
  /** Which database this is, for the start-up log line. */
  readonly description: string;
  gaps(since: number, limit: number): Promise<Gap[]>;
  activity(since: number, until: number): Promise<Activity>;
  downVoted(since: number, until: number, limit: number): Promise<DownVoted[]>;
  lastTurn(conversation: string, since: number): Promise<string | undefined>;
  /**
   * Makes `turn` the conversation's last unless a later one is remembered already. A turn that does not fit
   * is not kept and the conversation's earlier turn is forgotten with it (a follow-up must not be read with
   * the turn before), and the answer is false.
   */
  rememberTurn(conversation: string, turn: string, now: number): Promise<boolean>;
  /** Writes the whole batch or nothing of it. */
  writeLog(batch: LogBatch): Promise<void>;
  prune(now: number, threadMaxAgeMs: number): Promise<Pruned>;
  close(): Promise<void>;
}

/** Questions that differ only in case, spacing or closing punctuation are the same gap. */
export const normalizeQuestion = (q: string) =>
  q
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s?？!！.。]+$/u, '')
    .trim();
