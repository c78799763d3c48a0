import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createLogger, type Logger } from '../log.js';
import { fail, ok, type Result } from '../result.js';
import { CONVERSATION_MEMORY_MS, EVENT_LEASE_MS, normalizeQuestion, RATE_HIT_MEMORY_MS, rateStep, turnFits, type LogBatch, type StoreBackend } from './backend.js';
import { createPrivateFile, makePrivateFolder, restrictFile } from './private-files.js';
import { resilientStore } from './resilient.js';
import type { Activity, DownVoted, Gap, Pruned, RateDecision, Store, TipDay, TipPick } from './store.js';

export const DATABASE_FILE = 'k8s-notes-bot.db';

/**
 * Versioned schema changes, applied in order at start; `PRAGMA user_version` records how many ran. Append
 * new steps, never edit old ones: a database in the field has already run them.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE tip_days (
     channel    TEXT    NOT NULL,
     day        TEXT    NOT NULL,
     tip_id     TEXT    NOT NULL,
     cycle      INTEGER NOT NULL,
     chosen_at  INTEGER NOT NULL,
     lease_until INTEGER,
     posted_at  INTEGER,
     attempts   INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (channel, day)
   );
   CREATE INDEX tip_days_cycle ON tip_days (channel, cycle);
   CREATE TABLE questions (
     id         INTEGER PRIMARY KEY,
     question   TEXT    NOT NULL,
     normalized TEXT    NOT NULL,
     lang       TEXT    NOT NULL,
     answered   INTEGER NOT NULL,
     top_source TEXT,
     channel    TEXT,
     user       TEXT,
     asked_at   INTEGER NOT NULL
   );
   CREATE INDEX questions_gaps ON questions (answered, asked_at);
   CREATE TABLE feedback (
     id         INTEGER PRIMARY KEY,
     answer_id  TEXT    NOT NULL,
     vote       INTEGER NOT NULL CHECK (vote IN (-1, 1)),
     channel    TEXT,
     user       TEXT,
     given_at   INTEGER NOT NULL
   );`,
  `CREATE TABLE seen_events (
     key        TEXT    PRIMARY KEY,
     seen_at    INTEGER NOT NULL
   );
   CREATE INDEX seen_events_age ON seen_events (seen_at);
   CREATE TABLE bot_threads (
     channel    TEXT    NOT NULL,
     thread     TEXT    NOT NULL,
     since      INTEGER NOT NULL,
     PRIMARY KEY (channel, thread)
   );`,
  // Each event keeps its own expiry, so adapters with different windows never prune each other's events.
  `ALTER TABLE seen_events ADD COLUMN expires_at INTEGER;
   UPDATE seen_events SET expires_at = seen_at;
   CREATE INDEX seen_events_expiry ON seen_events (expires_at);`,
  // A thread is kept while the bot keeps answering in it, and pruned once it has been quiet for long.
  `ALTER TABLE bot_threads RENAME COLUMN since TO answered_at;
   CREATE INDEX bot_threads_age ON bot_threads (answered_at);`,
  // Conversations and the weekly digest (issue 16); votes name their voter so one person's repeats count once.
  `CREATE TABLE conversations (
     conversation  TEXT    PRIMARY KEY,
     turn          TEXT    NOT NULL,
     remembered_at INTEGER NOT NULL
   );
   CREATE INDEX conversations_age ON conversations (remembered_at);
   CREATE TABLE digest_weeks (
     channel     TEXT    NOT NULL,
     week        TEXT    NOT NULL,
     lease_until INTEGER,
     posted_at   INTEGER,
     PRIMARY KEY (channel, week)
   );
   ALTER TABLE feedback ADD COLUMN voter TEXT;
   CREATE INDEX feedback_given ON feedback (given_at);
   CREATE INDEX questions_answer ON questions (top_source, asked_at);`,
  // The per-person rate limit: allowed requests only, and until when each person was told of their block.
  `CREATE TABLE rate_hits (
     id         INTEGER PRIMARY KEY,
     person     TEXT    NOT NULL,
     hit_at     INTEGER NOT NULL
   );
   CREATE INDEX rate_hits_person ON rate_hits (person, hit_at);
   CREATE INDEX rate_hits_age ON rate_hits (hit_at);
   CREATE TABLE rate_notices (
     person        TEXT    PRIMARY KEY,
     noticed_until INTEGER NOT NULL
   );`,
];

interface TipDayRow {
  channel: string;
  day: string;
  tip_id: string;
  cycle: number;
  posted_at: number | null;
  attempts: number;
}

const toTipDay = (row: TipDayRow): TipDay => ({
  channel: row.channel,
  day: row.day,
  tipId: row.tip_id,
  cycle: row.cycle,
  attempts: row.attempts,
  ...(row.posted_at !== null ? { postedAt: row.posted_at } : {}),
});

/** Why a data folder cannot be used, in words that name the folder and what to do. */
function explainOpenError(dir: string, error: unknown): string {
  const e = error as NodeJS.ErrnoException & { code?: string };
  if (e.code === 'SQLITE_NOTADB' || e.code === 'SQLITE_CORRUPT') {
    return `DATA_DIR ${dir}: ${DATABASE_FILE} is not a usable SQLite database (${e.message}). Move it aside or point DATA_DIR at another folder.`;
  }
  if (e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EROFS' || e.code === 'SQLITE_CANTOPEN' || e.code === 'SQLITE_READONLY') {
    return `DATA_DIR ${dir} is not writable (${e.message}). Give the bot's user write access or point DATA_DIR at a writable folder.`;
  }
  if (e.code === 'ENOTDIR' || e.code === 'EEXIST') return `DATA_DIR ${dir} is not a folder. Point DATA_DIR at a folder the bot may write to.`;
  if (e.code === 'ENOENT') return `DATA_DIR ${dir} cannot be created (${e.message}). Point DATA_DIR at a folder the bot may create or write to.`;
  return `DATA_DIR ${dir} cannot be used: ${e.message}`;
}

/** How long a process starting beside another waits for it to finish migrating, or for any other write. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Switches the database to WAL, which needs it to itself for a moment. SQLite answers a busy database here at
 * once instead of waiting out the busy timeout, so a process starting beside another tries again until then.
 */
function useWal(db: Database.Database): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

/**
 * Brings the schema up to date. The version is read inside an immediate (write-locked) transaction, so of
 * several processes starting at once one migrates and the others wait for it, then find nothing to do.
 * Returns the version found, which is newer than this code knows when a newer bot wrote the file.
 */
function migrate(db: Database.Database): number {
  return db
    .transaction(() => {
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version >= MIGRATIONS.length) return version;
      for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${MIGRATIONS.length}`);
      return version;
    })
    .immediate();
}


/**
 * Opens (creating when needed) the SQLite database in `dir`: WAL mode so readers never block the writer, a
 * busy timeout so processes on one folder wait for each other instead of failing, migrations applied. What
 * the bot creates is its user's alone: the folder 0700, the database and its WAL files 0600.
 */
export function openSqliteBackend(dir: string): Result<StoreBackend> {
  let db: Database.Database | undefined;
  try {
    makePrivateFolder(dir);
    accessSync(dir, constants.W_OK);
    const file = join(dir, DATABASE_FILE);
    createPrivateFile(file);
    db = new Database(file);
    // Set before anything that locks, so migrating waits for a process starting alongside.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    useWal(db);
    const version = migrate(db);
    for (const suffix of ['-wal', '-shm']) restrictFile(`${file}${suffix}`);
    if (version > MIGRATIONS.length) {
      db.close();
      return fail(`DATA_DIR ${dir}: ${DATABASE_FILE} was written by a newer version of the bot (schema ${version}, this one knows ${MIGRATIONS.length}). Upgrade the bot or use another DATA_DIR.`);
    }
  } catch (error) {
    db?.close();
    return fail(explainOpenError(dir, error));
  }
  return ok(new SqliteBackend(db, dir));
}

/** The SQLite store in `dir`, its failures logged to `log` (silent unless given). */
export function openSqliteStore(dir: string, log: Logger = createLogger('silent')): Result<Store> {
  const backend = openSqliteBackend(dir);
  return backend.ok ? ok(resilientStore(backend.value, log)) : backend;
}

/** better-sqlite3 answers synchronously; the methods are async only to share the `Store`'s shape. */
class SqliteBackend implements StoreBackend {
  readonly description: string;
  private readonly statements;

  constructor(
    private readonly db: Database.Database,
    dir: string,
  ) {
    this.description = `SQLite in ${dir}`;
    this.statements = {
      tipDay: db.prepare<[string, string], TipDayRow>('SELECT * FROM tip_days WHERE channel = ? AND day = ?'),
      lastCycle: db.prepare<[string], { cycle: number | null }>('SELECT MAX(cycle) AS cycle FROM tip_days WHERE channel = ?'),
      usedInCycle: db.prepare<[string, number], { tip_id: string }>('SELECT tip_id FROM tip_days WHERE channel = ? AND cycle = ?'),
      choose: db.prepare('INSERT INTO tip_days (channel, day, tip_id, cycle, chosen_at) VALUES (?, ?, ?, ?, ?)'),
      claim: db.prepare(
        `UPDATE tip_days SET lease_until = @leaseUntil, attempts = attempts + 1
         WHERE channel = @channel AND day = @day AND posted_at IS NULL AND (lease_until IS NULL OR lease_until <= @now)`,
      ),
      posted: db.prepare('UPDATE tip_days SET posted_at = ?, lease_until = NULL WHERE channel = ? AND day = ?'),
      release: db.prepare('UPDATE tip_days SET lease_until = NULL WHERE channel = ? AND day = ? AND posted_at IS NULL'),
      logQuestion: db.prepare(
        `INSERT INTO questions (question, normalized, lang, answered, top_source, channel, user, asked_at)
         VALUES (@question, @normalized, @lang, @answered, @topSource, @channel, @user, @at)`,
      ),
      gaps: db.prepare<[number, number], { question: string; count: number; last: number }>(
        `SELECT (SELECT q2.question FROM questions q2 WHERE q2.normalized = q.normalized ORDER BY q2.asked_at DESC, q2.id DESC LIMIT 1) AS question,
                COUNT(*) AS count, MAX(asked_at) AS last
         FROM questions q WHERE answered = 0 AND asked_at >= ?
         GROUP BY normalized ORDER BY count DESC, last DESC LIMIT ?`,
      ),
      activity: db.prepare<[number, number], { answered: number; not_found: number }>(
        'SELECT COALESCE(SUM(answered), 0) AS answered, COALESCE(SUM(1 - answered), 0) AS not_found FROM questions WHERE asked_at >= ? AND asked_at < ?',
      ),
      feedback: db.prepare(
        'INSERT INTO feedback (answer_id, vote, channel, user, voter, given_at) VALUES (@answerId, @vote, @channel, @user, @voter, @at)',
      ),
      // Each voter's latest vote in the period counts once; a vote without a voter is a voter of its own.
      downVoted: db.prepare<{ since: number; until: number; limit: number }, { answer_id: string; down: number; up: number; question: string | null }>(
        `WITH latest AS (
           SELECT answer_id, vote,
                  ROW_NUMBER() OVER (PARTITION BY answer_id, voter, CASE WHEN voter IS NULL THEN id END ORDER BY given_at DESC, id DESC) AS nth
           FROM feedback WHERE given_at >= @since AND given_at < @until
         ), tally AS (
           SELECT answer_id, SUM(vote = -1) AS down, SUM(vote = 1) AS up FROM latest WHERE nth = 1 GROUP BY answer_id
         )
         SELECT t.answer_id, t.down, t.up,
                (SELECT q.question FROM questions q WHERE q.top_source = t.answer_id AND q.asked_at < @until
                 ORDER BY q.asked_at DESC, q.id DESC LIMIT 1) AS question
         FROM tally t WHERE t.down > t.up
         ORDER BY t.down - t.up DESC, t.down DESC, t.answer_id LIMIT @limit`,
      ),
      // A new key, or one whose earlier claim or memory has expired, is taken; anything else is left alone.
      claimEvent: db.prepare(
        `INSERT INTO seen_events (key, seen_at, expires_at) VALUES (@key, @now, @leaseUntil)
         ON CONFLICT (key) DO UPDATE SET seen_at = excluded.seen_at, expires_at = excluded.expires_at WHERE seen_events.expires_at <= excluded.seen_at`,
      ),
      completeEvent: db.prepare('UPDATE seen_events SET expires_at = ? WHERE key = ?'),
      releaseEvent: db.prepare('DELETE FROM seen_events WHERE key = ?'),
      rememberThread: db.prepare(
        `INSERT INTO bot_threads (channel, thread, answered_at) VALUES (?, ?, ?)
         ON CONFLICT (channel, thread) DO UPDATE SET answered_at = MAX(answered_at, excluded.answered_at)`,
      ),
      isBotThread: db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM bot_threads WHERE channel = ? AND thread = ?'),
      lastTurn: db.prepare<[string, number], { turn: string }>('SELECT turn FROM conversations WHERE conversation = ? AND remembered_at >= ?'),
      // A turn remembered late (another replica, a slower answer) never replaces a later one.
      rememberTurn: db.prepare(
        `INSERT INTO conversations (conversation, turn, remembered_at) VALUES (?, ?, ?)
         ON CONFLICT (conversation) DO UPDATE SET turn = excluded.turn, remembered_at = excluded.remembered_at
         WHERE conversations.remembered_at <= excluded.remembered_at`,
      ),
      forgetTurn: db.prepare('DELETE FROM conversations WHERE conversation = ? AND remembered_at <= ?'),
      // A week never claimed gets its row here; a posted week or one under an unexpired lease is left alone.
      claimDigest: db.prepare(
        `INSERT INTO digest_weeks (channel, week, lease_until) VALUES (@channel, @week, @leaseUntil)
         ON CONFLICT (channel, week) DO UPDATE SET lease_until = excluded.lease_until
         WHERE digest_weeks.posted_at IS NULL AND (digest_weeks.lease_until IS NULL OR digest_weeks.lease_until <= @now)`,
      ),
      digestPosted: db.prepare(
        `INSERT INTO digest_weeks (channel, week, posted_at) VALUES (?, ?, ?)
         ON CONFLICT (channel, week) DO UPDATE SET posted_at = excluded.posted_at, lease_until = NULL`,
      ),
      releaseDigest: db.prepare('UPDATE digest_weeks SET lease_until = NULL WHERE channel = ? AND week = ? AND posted_at IS NULL'),
      digestPostedAt: db.prepare<[string, string], { posted_at: number | null }>('SELECT posted_at FROM digest_weeks WHERE channel = ? AND week = ?'),
      rateWindow: db.prepare<{ person: string; since: number }, { hits: number; oldest: number | null; noticed_until: number | null }>(
        `SELECT COUNT(*) AS hits, MIN(hit_at) AS oldest, (SELECT noticed_until FROM rate_notices WHERE person = @person) AS noticed_until
         FROM rate_hits WHERE person = @person AND hit_at > @since`,
      ),
      rateHit: db.prepare('INSERT INTO rate_hits (person, hit_at) VALUES (?, ?)'),
      rateNotice: db.prepare(
        `INSERT INTO rate_notices (person, noticed_until) VALUES (?, ?)
         ON CONFLICT (person) DO UPDATE SET noticed_until = excluded.noticed_until`,
      ),
      pruneEvents: db.prepare('DELETE FROM seen_events WHERE expires_at <= ?'),
      pruneThreads: db.prepare('DELETE FROM bot_threads WHERE answered_at < ?'),
      pruneConversations: db.prepare('DELETE FROM conversations WHERE remembered_at < ?'),
      pruneRateHits: db.prepare('DELETE FROM rate_hits WHERE hit_at < ?'),
      pruneRateNotices: db.prepare('DELETE FROM rate_notices WHERE noticed_until <= ?'),
    };
  }

  async tipDay(channel: string, day: string): Promise<TipDay | undefined> {
    return this.readTipDay(channel, day);
  }

  private readTipDay(channel: string, day: string): TipDay | undefined {
    const row = this.statements.tipDay.get(channel, day);
    return row && toTipDay(row);
  }

  async chooseTip(channel: string, day: string, pick: TipPick, now: number): Promise<TipDay | undefined> {
    return this.db
      .transaction(() => {
        const chosen = this.readTipDay(channel, day);
        if (chosen) return chosen;
        const cycle = this.statements.lastCycle.get(channel)?.cycle ?? 1;
        const choice = pick({ cycle, used: new Set(this.statements.usedInCycle.all(channel, cycle).map((r) => r.tip_id)) });
        if (!choice) return undefined;
        this.statements.choose.run(channel, day, choice.tipId, choice.cycle, now);
        return this.readTipDay(channel, day);
      })
      .immediate();
  }

  async claimPost(channel: string, day: string, now: number, leaseUntil: number): Promise<boolean> {
    return this.statements.claim.run({ channel, day, now, leaseUntil }).changes === 1;
  }

  async markPosted(channel: string, day: string, now: number): Promise<void> {
    this.statements.posted.run(now, channel, day);
  }

  async releasePost(channel: string, day: string): Promise<void> {
    this.statements.release.run(channel, day);
  }

  async gaps(since: number, limit: number): Promise<Gap[]> {
    return this.statements.gaps.all(since, limit).map((r) => ({ question: r.question, count: r.count, lastAskedAt: r.last }));
  }

  async activity(since: number, until: number): Promise<Activity> {
    const row = this.statements.activity.get(since, until)!;
    return { answered: row.answered, notFound: row.not_found };
  }

  async downVoted(since: number, until: number, limit: number): Promise<DownVoted[]> {
    return this.statements.downVoted.all({ since, until, limit }).map((r) => ({
      answerId: r.answer_id,
      ...(r.question !== null ? { question: r.question } : {}),
      down: r.down,
      up: r.up,
    }));
  }

  async writeLog({ questions, feedback }: LogBatch): Promise<void> {
    this.db.transaction(() => {
      for (const entry of questions) {
        this.statements.logQuestion.run({
          question: entry.question,
          normalized: normalizeQuestion(entry.question),
          lang: entry.lang,
          answered: entry.answered ? 1 : 0,
          topSource: entry.topSource ?? null,
          channel: entry.channel ?? null,
          user: entry.user ?? null,
          at: entry.at,
        });
      }
      for (const entry of feedback) {
        this.statements.feedback.run({
          answerId: entry.answerId,
          vote: entry.vote,
          channel: entry.channel ?? null,
          user: entry.user ?? null,
          voter: entry.voter ?? null,
          at: entry.at,
        });
      }
    })();
  }

  async claimEvent(key: string, now: number): Promise<boolean> {
    return this.statements.claimEvent.run({ key, now, leaseUntil: now + EVENT_LEASE_MS }).changes === 1;
  }

  async completeEvent(key: string, now: number, ttlMs: number): Promise<void> {
    this.statements.completeEvent.run(now + ttlMs, key);
  }

  async releaseEvent(key: string): Promise<void> {
    this.statements.releaseEvent.run(key);
  }

  async rememberThread(channel: string, thread: string, now: number): Promise<void> {
    this.statements.rememberThread.run(channel, thread, now);
  }

  async isBotThread(channel: string, thread: string): Promise<boolean> {
    return this.statements.isBotThread.get(channel, thread) !== undefined;
  }

  async lastTurn(conversation: string, since: number): Promise<string | undefined> {
    return this.statements.lastTurn.get(conversation, since)?.turn;
  }

  async rememberTurn(conversation: string, turn: string, now: number): Promise<boolean> {
    if (turnFits(turn)) {
      this.statements.rememberTurn.run(conversation, turn, now);
      return true;
    }
    this.statements.forgetTurn.run(conversation, now);
    return false;
  }

  async claimDigest(channel: string, week: string, now: number, leaseUntil: number): Promise<boolean> {
    return this.statements.claimDigest.run({ channel, week, now, leaseUntil }).changes === 1;
  }

  async markDigestPosted(channel: string, week: string, now: number): Promise<void> {
    this.statements.digestPosted.run(channel, week, now);
  }

  async releaseDigest(channel: string, week: string): Promise<void> {
    this.statements.releaseDigest.run(channel, week);
  }

  async digestPostedAt(channel: string, week: string): Promise<number | undefined> {
    return this.statements.digestPostedAt.get(channel, week)?.posted_at ?? undefined;
  }

  async countRequest(person: string, now: number, windowMs: number, limit: number): Promise<RateDecision> {
    // Immediate, so processes on one folder read and extend a person's window one at a time.
    return this.db
      .transaction(() => {
        const row = this.statements.rateWindow.get({ person, since: now - windowMs })!;
        const step = rateStep({ hits: row.hits, oldestHit: row.oldest ?? undefined, noticedUntil: row.noticed_until ?? undefined }, now, windowMs, limit);
        if (step.decision === 'allowed') this.statements.rateHit.run(person, now);
        if (step.decision === 'notice') this.statements.rateNotice.run(person, step.noticedUntil);
        return step.decision;
      })
      .immediate();
  }

  async prune(now: number, threadMaxAgeMs: number): Promise<Pruned> {
    return this.db.transaction(() => ({
      events: this.statements.pruneEvents.run(now).changes,
      threads: this.statements.pruneThreads.run(now - threadMaxAgeMs).changes,
      conversations: this.statements.pruneConversations.run(now - CONVERSATION_MEMORY_MS).changes,
      rateLimits: this.statements.pruneRateHits.run(now - RATE_HIT_MEMORY_MS).changes + this.statements.pruneRateNotices.run(now).changes,
    }))();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
