import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fail, ok, type Result } from '../result.js';
import { createPrivateFile, makePrivateFolder, restrictFile } from './private-files.js';
import type { CycleState, FeedbackEntry, Gap, QuestionEntry, Store, TipDay } from './store.js';

export const DATABASE_FILE = 'k8s-notes-bot.db';
/** How long an event being answered stays claimed: far longer than an answer takes, far shorter than a retry window. */
const EVENT_LEASE_MS = 2 * 60_000;

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
];

/** Questions that differ only in case, spacing or closing punctuation are the same gap. */
export const normalizeQuestion = (q: string) =>
  q
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s?？!！.。]+$/u, '')
    .trim();

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
export function openSqliteStore(dir: string): Result<Store> {
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
  return ok(new SqliteStore(db));
}

class SqliteStore implements Store {
  private readonly statements;

  constructor(private readonly db: Database.Database) {
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
      pruneEvents: db.prepare('DELETE FROM seen_events WHERE expires_at <= ?'),
      claimEvent: db.prepare('INSERT OR IGNORE INTO seen_events (key, seen_at, expires_at) VALUES (?, ?, ?)'),
      completeEvent: db.prepare('UPDATE seen_events SET expires_at = ? WHERE key = ?'),
      releaseEvent: db.prepare('DELETE FROM seen_events WHERE key = ?'),
      rememberThread: db.prepare('INSERT OR IGNORE INTO bot_threads (channel, thread, since) VALUES (?, ?, ?)'),
      isBotThread: db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM bot_threads WHERE channel = ? AND thread = ?'),
      feedback: db.prepare('INSERT INTO feedback (answer_id, vote, channel, user, given_at) VALUES (@answerId, @vote, @channel, @user, @at)'),
    };
  }

  tipDay(channel: string, day: string): TipDay | undefined {
    const row = this.statements.tipDay.get(channel, day);
    return row && toTipDay(row);
  }

  chooseTip(channel: string, day: string, pick: (state: CycleState) => { tipId: string; cycle: number } | undefined, now: number): TipDay | undefined {
    return this.db
      .transaction(() => {
        const chosen = this.tipDay(channel, day);
        if (chosen) return chosen;
        const cycle = this.statements.lastCycle.get(channel)?.cycle ?? 1;
        const choice = pick({ cycle, used: new Set(this.statements.usedInCycle.all(channel, cycle).map((r) => r.tip_id)) });
        if (!choice) return undefined;
        this.statements.choose.run(channel, day, choice.tipId, choice.cycle, now);
        return this.tipDay(channel, day);
      })
      .immediate();
  }

  claimPost(channel: string, day: string, now: number, leaseUntil: number): boolean {
    return this.statements.claim.run({ channel, day, now, leaseUntil }).changes === 1;
  }

  markPosted(channel: string, day: string, now: number): void {
    this.statements.posted.run(now, channel, day);
  }

  releasePost(channel: string, day: string): void {
    this.statements.release.run(channel, day);
  }

  logQuestion(entry: QuestionEntry): void {
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

  gaps(since: number, limit: number): Gap[] {
    return this.statements.gaps.all(since, limit).map((r) => ({ question: r.question, count: r.count, lastAskedAt: r.last }));
  }

  recordFeedback(entry: FeedbackEntry): void {
    this.statements.feedback.run({ answerId: entry.answerId, vote: entry.vote, channel: entry.channel ?? null, user: entry.user ?? null, at: entry.at });
  }

  claimEvent(key: string, now: number): boolean {
    return this.db.transaction(() => {
      this.statements.pruneEvents.run(now);
      return this.statements.claimEvent.run(key, now, now + EVENT_LEASE_MS).changes === 1;
    })();
  }

  completeEvent(key: string, now: number, ttlMs: number): void {
    this.statements.completeEvent.run(now + ttlMs, key);
  }

  releaseEvent(key: string): void {
    this.statements.releaseEvent.run(key);
  }

  rememberThread(channel: string, thread: string, now: number): void {
    this.statements.rememberThread.run(channel, thread, now);
  }

  isBotThread(channel: string, thread: string): boolean {
    return this.statements.isBotThread.get(channel, thread) !== undefined;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
