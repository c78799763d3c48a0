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
  /**
   * Who voted, as an opaque key (a hash of the platform's user id, never the id itself): one person's
   * repeated votes on one answer count once, the latest winning. Without it every vote counts.
   */
  voter?: string;
  channel?: string;
  /** Only kept when the admin turned user logging on. */
  user?: string;
  at: number;
}

/** How many questions of a period were answered and how many were not, for the digest. */
export interface Activity {
  answered: number;
  notFound: number;
}

/** An answer people voted down in a period: the question it answered, where it came from, and the votes. */
export interface DownVoted {
  /** The answer's id, `note#Lline` (what `topSource` holds in the question log). */
  answerId: string;
  /** The latest question logged with this answer before the period's end, when the log has one. */
  question?: string;
  down: number;
  up: number;
}

/** Chooses a tip from a channel's current cycle; undefined when there is none to choose. */
export type TipPick = (cycle: CycleState) => { tipId: string; cycle: number } | undefined;

/** Which tip each channel gets each day, and whether it was posted: exactly once across every replica. */
export interface TipDays {
  /** The tip already chosen for this channel and day, if any. */
  tipDay(channel: string, day: string): Promise<TipDay | undefined>;
  /**
   * The tip for a channel and day: the one already chosen, else whatever `pick` chooses from the channel's
   * current cycle (its number and the tips used in it), recorded atomically so that two processes never
   * use one tip twice in a cycle. Undefined when `pick` finds nothing.
   */
  chooseTip(channel: string, day: string, pick: TipPick, now: number): Promise<TipDay | undefined>;
  /**
   * Takes the right to post this day's tip until `leaseUntil`; false when it is posted already or another
   * attempt holds an unexpired lease. A crash leaves the lease to expire, and the next attempt retries.
   * Rejects when the database cannot say, which the caller must read as "not claimed".
   */
  claimPost(channel: string, day: string, now: number, leaseUntil: number): Promise<boolean>;
  markPosted(channel: string, day: string, now: number): Promise<void>;
  /** Gives a claim up after a failed post, so the retry can claim again. */
  releasePost(channel: string, day: string): Promise<void>;
}

/** The questions asked, for `gaps`. Writing one never fails or delays the answer it belongs to. */
export interface QuestionLog {
  /** Queues the entry; it is written in the background, and a failure is logged and counted. */
  logQuestion(entry: QuestionEntry): void;
  /** Unanswered questions since `since`, most asked first. */
  gaps(since: number, limit: number): Promise<Gap[]>;
  /** Answered and unanswered questions asked in `[since, until)`. */
  activity(since: number, until: number): Promise<Activity>;
}

/** The 👍 and 👎 on answers, queued like the question log. */
export interface FeedbackLog {
  recordFeedback(entry: FeedbackEntry): void;
  /**
   * Answers with more 👎 than 👍 among the votes given in `[since, until)` (each voter's latest vote only,
   * every vote without a voter), the most voted down first: by 👎 minus 👍, then by 👎.
   */
  downVoted(since: number, until: number, limit: number): Promise<DownVoted[]>;
}

/** Platform events being or already answered, so a redelivery or another replica's copy is answered once. */
export interface EventLedger {
  /**
   * Takes a platform event (a message or interaction id) for handling; false when another attempt has it
   * or it was handled. The claim is a short lease until `completeEvent`, so a process that dies mid-answer
   * does not make the platform's retry look handled. When the database cannot be asked, the event is
   * answered anyway: during an outage a rare duplicate is better than silence.
   */
  claimEvent(key: string, now: number): Promise<boolean>;
  /** Marks a claimed event handled and remembers it for `ttlMs`, so a redelivery is not answered twice. */
  completeEvent(key: string, now: number, ttlMs: number): Promise<void>;
  /** Forgets an event whose handling failed, so the platform's retry is answered after all. */
  releaseEvent(key: string): Promise<void>;
}

/** The conversation threads the bot answered in, so follow-ups there need no new mention. */
export interface BotThreads {
  /** Remembers (or refreshes) a thread the bot just answered in. */
  rememberThread(channel: string, thread: string, now: number): Promise<void>;
  /** Whether the bot answered in the thread; false when the database cannot be asked. */
  isBotThread(channel: string, thread: string): Promise<boolean>;
}

/**
 * The last turn of each conversation the bot is in (a thread, a DM, a reply chain), so a follow-up is read
 * with it: shared by replicas, kept across restarts. A turn is opaque text to the store.
 */
export interface Conversations {
  /** The conversation's last turn if it was remembered at or after `since`; undefined when there is none or the database cannot be asked. */
  lastTurn(conversation: string, since: number): Promise<string | undefined>;
  /** Makes `turn` the conversation's last; a failure is logged and counted, never thrown. */
  rememberTurn(conversation: string, turn: string, now: number): Promise<void>;
}

/**
 * Which channels got the maintainers' digest for which week: exactly once across every replica, with the
 * tip of the day's lease rules (a claim until `leaseUntil`, released after a failed post, expired after a crash).
 */
export interface DigestWeeks {
  /** False when this week's digest for the channel is posted or another attempt holds an unexpired lease; rejects when the database cannot say. */
  claimDigest(channel: string, week: string, now: number, leaseUntil: number): Promise<boolean>;
  markDigestPosted(channel: string, week: string, now: number): Promise<void>;
  releaseDigest(channel: string, week: string): Promise<void>;
  /** When this week's digest for the channel was posted, if it was. */
  digestPostedAt(channel: string, week: string): Promise<number | undefined>;
}

/** What the rate limit decided for one request. */
export type RateDecision = 'allowed' | 'notice' | 'quiet';

/** Requests per person in a sliding window, shared by replicas, so one person cannot flood the bot from any platform. */
export interface RateLimits {
  /**
   * Counts a request by `person` (an opaque key) at `now` if it is within `limit` requests in the window
   * `(now - windowMs, now]`: 'allowed'. Past the limit the request is not counted: the first refused request
   * since the window was last clear gets 'notice' (the person is told once), the rest 'quiet' until the
   * window frees. Atomic across replicas. A hit stamped later than `now` (a request that waited behind a newer
   * one, a replica whose clock runs ahead) counts as in the window, so racing requests never slip past the limit.
   * Windows may be up to an hour long: older hits are pruned.
   */
  countRequest(person: string, now: number, windowMs: number, limit: number): Promise<RateDecision>;
}

/** What one round of housekeeping removed. */
export interface Pruned {
  events: number;
  threads: number;
  /** Conversation turns older than a day: a follow-up comes within minutes, and turns hold people's words. */
  conversations: number;
  /** Rate-limit hits older than an hour, and notices whose window has freed. */
  rateLimits: number;
}

/** How the background writes and the lookups that must not fail are going, for logs and metrics. */
export interface StoreStats {
  /** Questions and votes waiting to be written. */
  pending: number;
  /** Batches of questions and votes whose write failed (and was retried). */
  failedWrites: number;
  /** Questions and votes given up on: the database was away too long, or the bot stopped meanwhile. */
  lost: number;
  /** Event, thread, conversation and rate-limit calls that failed and were answered by their fallback. */
  failedLookups: number;
}

/**
 * Everything the bot remembers between restarts, split by job. Nothing outside `src/store/` knows which
 * database holds it: SQLite in DATA_DIR for one process, PostgreSQL when several replicas share state.
 */
export interface Store extends TipDays, QuestionLog, FeedbackLog, EventLedger, BotThreads, Conversations, DigestWeeks, RateLimits {
  /**
   * Removes events past their expiry, threads not answered in for `threadMaxAgeMs`, conversation turns older
   * than a day, rate-limit hits older than an hour and notices whose window has freed.
   */
  prune(now: number, threadMaxAgeMs: number): Promise<Pruned>;
  /** Resolves once every question and vote queued so far is written (or counted as failed). */
  flush(): Promise<void>;
  stats(): StoreStats;
  /** Writes what is queued, then closes the connections. */
  close(): Promise<void>;
}
