/**
 * The store's share of `npm run bench`: what one answered question costs in each database (the event claimed
 * and completed, which the answer waits for, and the question and a vote logged, which it does not), on
 * SQLite in a temporary folder and on PostgreSQL when a server is reachable (BENCH_DATABASE_URL, else
 * TEST_DATABASE_URL, else DATABASE_URL; a schema of its own, dropped afterwards). Prints figures; asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createLogger } from '../src/log.js';
import { redactUrl } from '../src/store/database-url.js';
import { openPostgresStore } from '../src/store/postgres.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import type { Store } from '../src/store/store.js';

const ANSWERS = 2_000;
const quiet = createLogger('silent');
const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;

/** Answers `ANSWERS` questions' worth of store calls, one after another as a busy bot would. */
async function measure(store: Store): Promise<{ waitedMs: number; totalMs: number }> {
  let waited = 0;
  const started = performance.now();
  for (let i = 0; i < ANSWERS; i++) {
    const key = `bench:${i}`;
    const before = performance.now();
    await store.claimEvent(key, Date.now());
    await store.completeEvent(key, Date.now(), 600_000);
    waited += performance.now() - before;
    store.logQuestion({ question: `how do I scale deployment ${i % 50}`, lang: 'en', answered: i % 4 !== 0, channel: 'C1', at: Date.now() });
    store.recordFeedback({ answerId: `en/07-deployment.md#L${i % 90}`, vote: 1, channel: 'C1', at: Date.now() });
  }
  await store.flush();
  return { waitedMs: waited / ANSWERS, totalMs: (performance.now() - started) / ANSWERS };
}

const line = (name: string, { waitedMs, totalMs }: { waitedMs: number; totalMs: number }) =>
  `store per answered question, ${name}: ${us(totalMs)} in all (the answer waits ${us(waitedMs)} for the event claim and completion; the question and vote are written behind it), ${ANSWERS} answers`;

async function sqlite(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-notes-bot-bench-store-'));
  try {
    const opened = openSqliteStore(dir, quiet);
    if (!opened.ok) return `store, SQLite: could not open (${opened.error})`;
    const figures = await measure(opened.value);
    await opened.value.close();
    return line('SQLite', figures);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgres(): Promise<string> {
  const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (!url) return 'store, PostgreSQL: not measured (set BENCH_DATABASE_URL, TEST_DATABASE_URL or DATABASE_URL to a server)';
  const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
  } catch (error) {
    return `store, PostgreSQL: not measured (${redactUrl(url)} cannot be reached: ${(error as Error).message})`;
  }
  const schema = `k8s_notes_bot_bench_${process.pid}`;
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    const scoped = new URL(url);
    scoped.searchParams.set('options', `-c search_path=${schema}`);
    const opened = await openPostgresStore(scoped.toString(), quiet);
    if (!opened.ok) return `store, PostgreSQL: could not open (${opened.error})`;
    const figures = await measure(opened.value);
    await opened.value.close();
    const version = (await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
    return line(`PostgreSQL ${version} at ${new URL(url).host}`, figures);
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

console.log(await sqlite());
console.log(await postgres());
