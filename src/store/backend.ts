import type { BotThreads, EventLedger, FeedbackEntry, Gap, Pruned, QuestionEntry, TipDays } from './store.js';

/** How long an event being answered stays claimed: far longer than an answer takes, far shorter than a retry window. */
export const EVENT_LEASE_MS = 2 * 60_000;

/** A batch of question-log and feedback entries, written together. */
export interface LogBatch {
  questions: readonly QuestionEntry[];
  feedback: readonly FeedbackEntry[];
}

/**
 * What each database implements: every job of the store, plainly, with every failure thrown. The policy for
 * failures (queue the logs, answer anyway) is the same for both and lives in `resilient.ts`.
 */
export interface StoreBackend extends TipDays, EventLedger, BotThreads {
  /** Which database this is, for the start-up log line. */
  readonly description: string;
  gaps(since: number, limit: number): Promise<Gap[]>;
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
