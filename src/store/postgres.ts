import type { Logger } from '../log.js';
import { fail, ok, type Result } from '../result.js';
import { CONVERSATION_MEMORY_MS, EVENT_LEASE_MS, normalizeQuestion, RATE_HIT_MEMORY_MS, rateStep, turnFits, type LogBatch, type StoreBackend } from './backend.js';
import { redactUrl } from './database-url.js';
import { resilientStore } from './resilient.js';
import { pgSqlPool, type SqlPool, type SqlRunner } from './sql-pool.js';
import type { Activity, DownVoted, Gap, Pruned, RateDecision, Store, TipDay, TipPick } from './store.js';

/** A statement that takes longer than this is given up, so a stuck database cannot hold an answer or a post. */
export const STATEMENT_TIMEOUT_MS = 5_000;
/** How long getting a connection may take before the call fails (and the pool tries again next time). */
const CONNECT_TIMEOUT_MS = 5_000;
const POOL_SIZE = 10;

/** Advisory lock keys (the first of two int4s): one for migrating, one space for each channel's tip choice, one for each person's rate limit. */
const MIGRATION_LOCK = 0x6b386e62;
const TIP_CHOICE_LOCK = 0x6b386e63;
const RATE_LIMIT_LOCK = 0x6b386e64;

/**
 * Versioned schema changes, applied in order at start and recorded in `store_migrations`; each is a list of
 * single statements. Append new steps, never edit old ones: a database in the field has already run them.
 * Times are milliseconds since the epoch, as in the SQLite store.
 */
const MIGRATIONS: readonly (readonly string[])[] = [
  [
    `CREATE TABLE tip_days (
       channel     TEXT    NOT NULL,
       day         TEXT    NOT NULL,
       tip_id      TEXT    NOT NULL,
       cycle       INTEGER NOT NULL,
       chosen_at   BIGINT  NOT NULL,
       lease_until BIGINT,
       posted_at   BIGINT,
       attempts    INTEGER NOT NULL DEFAULT 0,
       PRIMARY KEY (channel, day)
     )`,
    'CREATE INDEX tip_days_cycle ON tip_days (channel, cycle)',
    `CREATE TABLE questions (
       id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       question   TEXT    NOT NULL,
       normalized TEXT    NOT NULL,
       lang       TEXT    NOT NULL,
       answered   BOOLEAN NOT NULL,
       top_source TEXT,
       channel    TEXT,
       user_id    TEXT,
       asked_at   BIGINT  NOT NULL
     )`,
    'CREATE INDEX questions_gaps ON questions (answered, asked_at)',
    `CREATE TABLE feedback (
       id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       answer_id  TEXT     NOT NULL,
       vote       SMALLINT NOT NULL CHECK (vote IN (-1, 1)),
       channel    TEXT,
       user_id    TEXT,
       given_at   BIGINT   NOT NULL
     )`,
    `CREATE TABLE seen_events (
       key        TEXT   PRIMARY KEY,
       seen_at    BIGINT NOT NULL,
       expires_at BIGINT NOT NULL
     )`,
    'CREATE INDEX seen_events_expiry ON seen_events (expires_at)',
    `CREATE TABLE bot_threads (
       channel     TEXT   NOT NULL,
       thread      TEXT   NOT NULL,
       answered_at BIGINT NOT NULL,
       PRIMARY KEY (channel, thread)
     )`,
    'CREATE INDEX bot_threads_age ON bot_threads (answered_at)',
  ],
  // Conversations and the weekly digest (issue 16); votes name their voter so one person's repeats count once.
  [
    `CREATE TABLE conversations (
       conversation  TEXT   PRIMARY KEY,
       turn          TEXT   NOT NULL,
       remembered_at BIGINT NOT NULL
     )`,
    'CREATE INDEX conversations_age ON conversations (remembered_at)',
    `CREATE TABLE digest_weeks (
       channel     TEXT   NOT NULL,
       week        TEXT   NOT NULL,
       lease_until BIGINT,
       posted_at   BIGINT,
       PRIMARY KEY (channel, week)
     )`,
    'ALTER TABLE feedback ADD COLUMN voter TEXT',
    'CREATE INDEX feedback_given ON feedback (given_at)',
    'CREATE INDEX questions_answer ON questions (top_source, asked_at)',
  ],
  // The per-person rate limit: allowed requests only, and until when each person was told of their block.
  [
    `CREATE TABLE rate_hits (
       id     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       person TEXT   NOT NULL,
       hit_at BIGINT NOT NULL
     )`,
    'CREATE INDEX rate_hits_person ON rate_hits (person, hit_at)',
    'CREATE INDEX rate_hits_age ON rate_hits (hit_at)',
    `CREATE TABLE rate_notices (
       person        TEXT   PRIMARY KEY,
       noticed_until BIGINT NOT NULL
     )`,
  ],
];

/** Whatever the driver returns for BIGINT and COUNT (a string from `pg`), as a number. */
const num = (value: unknown) => Number(value);
/** A nullable BIGINT (a MIN over no rows, a missing row) as a number or undefined. */
const numOrUndefined = (value: unknown) => (value === null || value === undefined ? undefined : num(value));

interface TipDayRow {
  channel: string;
  day: string;
  tip_id: string;
  cycle: unknown;
  posted_at: unknown;
  attempts: unknown;
}

const toTipDay = (row: TipDayRow): TipDay => ({
  channel: row.channel,
  day: row.day,
  tipId: row.tip_id,
  cycle: num(row.cycle),
  attempts: num(row.attempts),
  ...(row.posted_at !== null ? { postedAt: num(row.posted_at) } : {}),
});

const SELECT_TIP_DAY = 'SELECT channel, day, tip_id, cycle, posted_at, attempts FROM tip_days WHERE channel = $1 AND day = $2';

/**
 * Brings the schema up to date inside one transaction that first takes an advisory lock: of several replicas
 * starting at once, one migrates and the others wait for it, then find nothing to do. Returns the version
 * found, which is newer than this code knows when a newer bot migrated the database.
 */
async function migrate(pool: SqlPool): Promise<number> {
  return pool.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK}, 0)`);
    await tx.query('CREATE TABLE IF NOT EXISTS store_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
    const found = num((await tx.query<{ version: unknown }>('SELECT COALESCE(MAX(version), 0) AS version FROM store_migrations')).rows[0]?.version);
    for (let version = found; version < MIGRATIONS.length; version++) {
      for (const statement of MIGRATIONS[version]!) await tx.query(statement);
      await tx.query('INSERT INTO store_migrations (version, applied_at) VALUES ($1, $2)', [version + 1, Date.now()]);
    }
    return found;
  });
}

/** Why the database cannot be used at start, in one sentence naming the setting, its password hidden. */
function explainConnectError(url: string, error: unknown): string {
  const e = error as Error & { code?: string; severity?: string };
  const named = `DATABASE_URL ${redactUrl(url)}`;
  const reason = e.message || e.code || String(error);
  // The server's own errors carry a severity and an SQLSTATE; anything else never got an answer from it.
  const fromServer = typeof e.severity === 'string';
  if (fromServer && e.code?.startsWith('28')) return `${named} was refused by the server (${reason}); check the user and password.`;
  if (fromServer && e.code === '3D000') return `${named} names a database that does not exist (${reason}); create it or fix the URL.`;
  if (fromServer) return `${named} cannot be used (${reason}).`;
  return `${named} cannot be reached (${reason}); check that the server is running and the URL names it.`;
}

/**
 * Opens the PostgreSQL store over any `SqlPool`: migrates, and checks the schema is one this code knows.
 * `description` names the database in logs and messages, its password hidden.
 */
export async function openPostgresBackend(pool: SqlPool, description: string): Promise<Result<StoreBackend>> {
  const version = await migrate(pool);
  if (version > MIGRATIONS.length) {
    await pool.end();
    return fail(`${description} was migrated by a newer version of the bot (schema ${version}, this one knows ${MIGRATIONS.length}). Upgrade the bot or use another database.`);
  }
  return ok(new PostgresBackend(pool, description));
}

/**
 * The store in the PostgreSQL database at `url`, through a `pg` pool: TLS as the URL asks for it (`sslmode`,
 * `sslrootcert` and the like), a statement timeout, and a pool that replaces connections the server dropped.
 * The driver is loaded only here, so a bot on SQLite never pays for it.
 */
export async function openPostgresStore(url: string, log: Logger): Promise<Result<Store>> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    // The server's timeout cannot fire when the server is unreachable; this one can.
    query_timeout: STATEMENT_TIMEOUT_MS + 1_000,
    application_name: 'k8s-notes-bot',
  });
  // An idle connection the server closed is reported here; the pool drops it and opens another when needed.
  pool.on('error', (error) => log.warn({ err: error.message }, 'an idle database connection was lost; the pool will reconnect'));
  const description = `DATABASE_URL ${redactUrl(url)}`;
  let backend: Result<StoreBackend>;
  try {
    backend = await openPostgresBackend(pgSqlPool(pool), description);
  } catch (error) {
    await pool.end().catch(() => undefined);
    return fail(explainConnectError(url, error));
  }
  return backend.ok ? ok(resilientStore(backend.value, log)) : backend;
}

/** The store's jobs in PostgreSQL: every exactly-once rule is one statement, or one transaction under a lock. */
class PostgresBackend implements StoreBackend {
  constructor(
    private readonly pool: SqlPool,
    readonly description: string,
  ) {}

  async tipDay(channel: string, day: string): Promise<TipDay | undefined> {
    return this.readTipDay(this.pool, channel, day);
  }

  private async readTipDay(db: SqlRunner, channel: string, day: string): Promise<TipDay | undefined> {
    const row = (await db.query<TipDayRow>(SELECT_TIP_DAY, [channel, day])).rows[0];
    return row && toTipDay(row);
  }

  async chooseTip(channel: string, day: string, pick: TipPick, now: number): Promise<TipDay | undefined> {
    return this.pool.transaction(async (tx) => {
      // Replicas choosing for one channel take turns, so a cycle's used tips are read and extended as one.
      await tx.query(`SELECT pg_advisory_xact_lock(${TIP_CHOICE_LOCK}, hashtext($1))`, [channel]);
      const chosen = await this.readTipDay(tx, channel, day);
      if (chosen) return chosen;
      const cycle = num((await tx.query<{ cycle: unknown }>('SELECT COALESCE(MAX(cycle), 1) AS cycle FROM tip_days WHERE channel = $1', [channel])).rows[0]?.cycle);
      const used = (await tx.query<{ tip_id: string }>('SELECT tip_id FROM tip_days WHERE channel = $1 AND cycle = $2', [channel, cycle])).rows;
      const choice = pick({ cycle, used: new Set(used.map((r) => r.tip_id)) });
      if (!choice) return undefined;
      await tx.query('INSERT INTO tip_days (channel, day, tip_id, cycle, chosen_at) VALUES ($1, $2, $3, $4, $5)', [channel, day, choice.tipId, choice.cycle, now]);
      return this.readTipDay(tx, channel, day);
    });
  }

  async claimPost(channel: string, day: string, now: number, leaseUntil: number): Promise<boolean> {
    // A second claim waits for the first one's row lock, then re-checks the lease it set, and finds it taken.
    const claimed = await this.pool.query(
      `UPDATE tip_days SET lease_until = $4, attempts = attempts + 1
       WHERE channel = $1 AND day = $2 AND posted_at IS NULL AND (lease_until IS NULL OR lease_until <= $3)`,
      [channel, day, now, leaseUntil],
    );
    return claimed.rowCount === 1;
  }

  async markPosted(channel: string, day: string, now: number): Promise<void> {
    await this.pool.query('UPDATE tip_days SET posted_at = $3, lease_until = NULL WHERE channel = $1 AND day = $2', [channel, day, now]);
  }

  async releasePost(channel: string, day: string): Promise<void> {
    await this.pool.query('UPDATE tip_days SET lease_until = NULL WHERE channel = $1 AND day = $2 AND posted_at IS NULL', [channel, day]);
  }

  async gaps(since: number, limit: number): Promise<Gap[]> {
    const rows = await this.pool.query<{ question: string; count: unknown; last: unknown }>(
      `SELECT (array_agg(question ORDER BY asked_at DESC, id DESC))[1] AS question, COUNT(*) AS count, MAX(asked_at) AS last
       FROM questions WHERE NOT answered AND asked_at >= $1
       GROUP BY normalized ORDER BY count DESC, last DESC LIMIT $2`,
      [since, limit],
    );
    return rows.rows.map((r) => ({ question: r.question, count: num(r.count), lastAskedAt: num(r.last) }));
  }

  async activity(since: number, until: number): Promise<Activity> {
    const row = (
      await this.pool.query<{ answered: unknown; not_found: unknown }>(
        `SELECT COUNT(*) FILTER (WHERE answered) AS answered, COUNT(*) FILTER (WHERE NOT answered) AS not_found
         FROM questions WHERE asked_at >= $1 AND asked_at < $2`,
        [since, until],
      )
    ).rows[0];
    return { answered: num(row?.answered ?? 0), notFound: num(row?.not_found ?? 0) };
  }

  async downVoted(since: number, until: number, limit: number): Promise<DownVoted[]> {
    // Each voter's latest vote in the period counts once; a vote without a voter is a voter of its own.
    const rows = await this.pool.query<{ answer_id: string; down: unknown; up: unknown; question: string | null }>(
      `WITH latest AS (
         SELECT answer_id, vote,
                ROW_NUMBER() OVER (PARTITION BY answer_id, voter, CASE WHEN voter IS NULL THEN id END ORDER BY given_at DESC, id DESC) AS nth
         FROM feedback WHERE given_at >= $1 AND given_at < $2
       ), tally AS (
         SELECT answer_id, COUNT(*) FILTER (WHERE vote = -1) AS down, COUNT(*) FILTER (WHERE vote = 1) AS up
         FROM latest WHERE nth = 1 GROUP BY answer_id
       )
       SELECT t.answer_id, t.down, t.up,
              (SELECT q.question FROM questions q WHERE q.top_source = t.answer_id AND q.asked_at < $2
               ORDER BY q.asked_at DESC, q.id DESC LIMIT 1) AS question
       FROM tally t WHERE t.down > t.up
       ORDER BY t.down - t.up DESC, t.down DESC, t.answer_id LIMIT $3`,
      [since, until, limit],
    );
    return rows.rows.map((r) => ({
      answerId: r.answer_id,
      ...(r.question !== null ? { question: r.question } : {}),
      down: num(r.down),
      up: num(r.up),
    }));
  }

  async writeLog({ questions, feedback }: LogBatch): Promise<void> {
    // One statement for the whole batch, arrays unnested into rows: one round trip, all or nothing.
    await this.pool.query(
      `WITH asked AS (
         INSERT INTO questions (question, normalized, lang, answered, top_source, channel, user_id, asked_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::text[], $6::text[], $7::text[], $8::bigint[])
       )
       INSERT INTO feedback (answer_id, vote, channel, user_id, given_at, voter)
       SELECT * FROM unnest($9::text[], $10::smallint[], $11::text[], $12::text[], $13::bigint[], $14::text[])`,
      [
        questions.map((q) => q.question),
        questions.map((q) => normalizeQuestion(q.question)),
        questions.map((q) => q.lang),
        questions.map((q) => q.answered),
        questions.map((q) => q.topSource ?? null),
        questions.map((q) => q.channel ?? null),
        questions.map((q) => q.user ?? null),
        questions.map((q) => q.at),
        feedback.map((f) => f.answerId),
        feedback.map((f) => f.vote),
        feedback.map((f) => f.channel ?? null),
        feedback.map((f) => f.user ?? null),
        feedback.map((f) => f.at),
        feedback.map((f) => f.voter ?? null),
      ],
    );
  }

  async claimEvent(key: string, now: number): Promise<boolean> {
    // A new key, or one whose claim or memory has expired, is taken; a racing claim waits on the row and loses.
    const claimed = await this.pool.query(
      `INSERT INTO seen_events (key, seen_at, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET seen_at = EXCLUDED.seen_at, expires_at = EXCLUDED.expires_at
       WHERE seen_events.expires_at <= EXCLUDED.seen_at`,
      [key, now, now + EVENT_LEASE_MS],
    );
    return claimed.rowCount === 1;
  }

  async completeEvent(key: string, now: number, ttlMs: number): Promise<void> {
    await this.pool.query('UPDATE seen_events SET expires_at = $2 WHERE key = $1', [key, now + ttlMs]);
  }

  async releaseEvent(key: string): Promise<void> {
    await this.pool.query('DELETE FROM seen_events WHERE key = $1', [key]);
  }

  async rememberThread(channel: string, thread: string, now: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO bot_threads (channel, thread, answered_at) VALUES ($1, $2, $3)
       ON CONFLICT (channel, thread) DO UPDATE SET answered_at = GREATEST(bot_threads.answered_at, EXCLUDED.answered_at)`,
      [channel, thread, now],
    );
  }

  async isBotThread(channel: string, thread: string): Promise<boolean> {
    return (await this.pool.query('SELECT 1 FROM bot_threads WHERE channel = $1 AND thread = $2', [channel, thread])).rowCount > 0;
  }

  async lastTurn(conversation: string, since: number): Promise<string | undefined> {
    const rows = await this.pool.query<{ turn: string }>('SELECT turn FROM conversations WHERE conversation = $1 AND remembered_at >= $2', [conversation, since]);
    return rows.rows[0]?.turn;
  }

  async rememberTurn(conversation: string, turn: string, now: number): Promise<boolean> {
    if (!turnFits(turn)) {
      await this.pool.query('DELETE FROM conversations WHERE conversation = $1 AND remembered_at <= $2', [conversation, now]);
      return false;
    }
    // A turn remembered late (another replica, a slower answer) never replaces a later one.
    await this.pool.query(
      `INSERT INTO conversations (conversation, turn, remembered_at) VALUES ($1, $2, $3)
       ON CONFLICT (conversation) DO UPDATE SET turn = EXCLUDED.turn, remembered_at = EXCLUDED.remembered_at
       WHERE conversations.remembered_at <= EXCLUDED.remembered_at`,
      [conversation, turn, now],
    );
    return true;
  }

  async claimDigest(channel: string, week: string, now: number, leaseUntil: number): Promise<boolean> {
    // A week never claimed gets its row; a racing claim waits on the row (or the key) and re-checks the lease it set.
    const claimed = await this.pool.query(
      `INSERT INTO digest_weeks (channel, week, lease_until) VALUES ($1, $2, $4)
       ON CONFLICT (channel, week) DO UPDATE SET lease_until = EXCLUDED.lease_until
       WHERE digest_weeks.posted_at IS NULL AND (digest_weeks.lease_until IS NULL OR digest_weeks.lease_until <= $3)`,
      [channel, week, now, leaseUntil],
    );
    return claimed.rowCount === 1;
  }

  async markDigestPosted(channel: string, week: string, now: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO digest_weeks (channel, week, posted_at) VALUES ($1, $2, $3)
       ON CONFLICT (channel, week) DO UPDATE SET posted_at = EXCLUDED.posted_at, lease_until = NULL`,
      [channel, week, now],
    );
  }

  async releaseDigest(channel: string, week: string): Promise<void> {
    await this.pool.query('UPDATE digest_weeks SET lease_until = NULL WHERE channel = $1 AND week = $2 AND posted_at IS NULL', [channel, week]);
  }

  async digestPostedAt(channel: string, week: string): Promise<number | undefined> {
    const row = (await this.pool.query<{ posted_at: unknown }>('SELECT posted_at FROM digest_weeks WHERE channel = $1 AND week = $2', [channel, week])).rows[0];
    return row && row.posted_at !== null ? num(row.posted_at) : undefined;
  }

  async countRequest(person: string, now: number, windowMs: number, limit: number): Promise<RateDecision> {
    return this.pool.transaction(async (tx) => {
      // Replicas counting one person take turns, so the window is read and extended as one; each statement
      // after the lock sees what the previous holder committed.
      await tx.query(`SELECT pg_advisory_xact_lock(${RATE_LIMIT_LOCK}, hashtext($1))`, [person]);
      const row = (
        await tx.query<{ hits: unknown; oldest: unknown; noticed_until: unknown }>(
          `SELECT COUNT(*) AS hits, MIN(hit_at) AS oldest, (SELECT noticed_until FROM rate_notices WHERE person = $1) AS noticed_until
           FROM rate_hits WHERE person = $1 AND hit_at > $2`,
          [person, now - windowMs],
        )
      ).rows[0];
      const step = rateStep({ hits: num(row?.hits ?? 0), oldestHit: numOrUndefined(row?.oldest), noticedUntil: numOrUndefined(row?.noticed_until) }, now, windowMs, limit);
      if (step.decision === 'allowed') await tx.query('INSERT INTO rate_hits (person, hit_at) VALUES ($1, $2)', [person, now]);
      if (step.decision === 'notice') {
        await tx.query(
          `INSERT INTO rate_notices (person, noticed_until) VALUES ($1, $2)
           ON CONFLICT (person) DO UPDATE SET noticed_until = EXCLUDED.noticed_until`,
          [person, step.noticedUntil],
        );
      }
      return step.decision;
    });
  }

  async prune(now: number, threadMaxAgeMs: number): Promise<Pruned> {
    const events = await this.pool.query('DELETE FROM seen_events WHERE expires_at <= $1', [now]);
    const threads = await this.pool.query('DELETE FROM bot_threads WHERE answered_at < $1', [now - threadMaxAgeMs]);
    const conversations = await this.pool.query('DELETE FROM conversations WHERE remembered_at < $1', [now - CONVERSATION_MEMORY_MS]);
    const rateHits = await this.pool.query('DELETE FROM rate_hits WHERE hit_at < $1', [now - RATE_HIT_MEMORY_MS]);
    const rateNotices = await this.pool.query('DELETE FROM rate_notices WHERE noticed_until <= $1', [now]);
    return { events: events.rowCount, threads: threads.rowCount, conversations: conversations.rowCount, rateLimits: rateHits.rowCount + rateNotices.rowCount };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
