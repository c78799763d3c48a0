import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE, openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';
import { openTestStore, tempFolder } from '../helpers.js';

const open = (dir: string): Store => openTestStore(dir);

describe('the SQLite store', () => {
  it('creates its folder and migrates a database from before thread pruning, keeping its threads', async () => {
    const dir = join(tempFolder({}), 'nested', 'data');
    mkdirSync(dir, { recursive: true });
    const old = new Database(join(dir, DATABASE_FILE));
    // The tables as the three earlier migrations left them.
    old.exec(`CREATE TABLE tip_days (channel TEXT, day TEXT, tip_id TEXT, cycle INTEGER, chosen_at INTEGER, lease_until INTEGER, posted_at INTEGER,
                attempts INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (channel, day));
              CREATE TABLE questions (id INTEGER PRIMARY KEY, question TEXT, normalized TEXT, lang TEXT, answered INTEGER, top_source TEXT,
                channel TEXT, user TEXT, asked_at INTEGER);
              CREATE TABLE feedback (id INTEGER PRIMARY KEY, answer_id TEXT, vote INTEGER, channel TEXT, user TEXT, given_at INTEGER);
              CREATE TABLE bot_threads (channel TEXT NOT NULL, thread TEXT NOT NULL, since INTEGER NOT NULL, PRIMARY KEY (channel, thread));
              CREATE TABLE seen_events (key TEXT PRIMARY KEY, seen_at INTEGER NOT NULL, expires_at INTEGER);`);
    old.prepare('INSERT INTO bot_threads VALUES (?, ?, ?)').run('C1', '171.1', 5);
    old.pragma('user_version = 3');
    old.close();
    const store = open(dir);
    expect(await store.isBotThread('C1', '171.1')).toBe(true);
    expect(await store.prune(10, 1)).toEqual({ events: 0, threads: 1, conversations: 0, rateLimits: 0 });
    await store.close();
    const after = new Database(join(dir, DATABASE_FILE), { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(6);
    after.close();
  });

  it('answers conversations without the database (no earlier turn, counted) and lets digest claims reject', async () => {
    const store = open(tempFolder({}));
    await store.rememberTurn('dm:U1', 'turn', 1);
    await store.close(); // every call now fails: the database is closed
    expect(await store.lastTurn('dm:U1', 0)).toBeUndefined();
    await expect(store.rememberTurn('dm:U1', 'turn', 2)).resolves.toBeUndefined();
    expect(store.stats().failedLookups).toBe(2);
    await expect(store.claimDigest('ops', '2026-W19', 0, 1)).rejects.toThrow();
    await expect(store.digestPostedAt('ops', '2026-W19')).rejects.toThrow();
    await expect(store.activity(0, 1)).rejects.toThrow();
    await expect(store.downVoted(0, 1, 1)).rejects.toThrow();
  });

  it('allows every request when the rate limit cannot be asked (an outage must not silence the bot), counted', async () => {
    const store = open(tempFolder({}));
    expect([await store.countRequest('p1', 0, 1_000, 1), await store.countRequest('p1', 1, 1_000, 1)]).toEqual(['allowed', 'notice']);
    await store.close(); // every call now fails: the database is closed
    expect([await store.countRequest('p1', 2, 1_000, 1), await store.countRequest('p1', 3, 1_000, 1)]).toEqual(['allowed', 'allowed']);
    expect(store.stats().failedLookups).toBe(2);
  });

  it('says clearly when the data folder holds something that is not a database', () => {
    const dir = tempFolder({ [DATABASE_FILE]: 'this is not sqlite at all, just text that happens to be long enough' });
    const store = openSqliteStore(dir);
    expect(store.ok).toBe(false);
    expect(!store.ok && store.error).toMatch(new RegExp(`^DATA_DIR ${dir}: ${DATABASE_FILE} is not a usable SQLite database`));
  });

  it('says clearly when the data folder is a file or cannot be written', () => {
    const parent = tempFolder({ 'file.txt': 'x' });
    const asFile = openSqliteStore(join(parent, 'file.txt'));
    expect(!asFile.ok && asFile.error).toMatch(/^DATA_DIR .*file\.txt (is not a folder|is not writable)/);

    // sysfs refuses new folders to every user, root included.
    const unwritable = openSqliteStore('/sys/k8s-notes-bot-data');
    expect(!unwritable.ok && unwritable.error).toMatch(/^DATA_DIR \/sys\/k8s-notes-bot-data is not writable \(/);
  });

  it('fails at once, in one sentence, on a DATA_DIR under a folder that refuses children (Node loops forever there)', () => {
    // procfs answers mkdir with ENOENT although /proc exists: Node's recursive mkdir retries that without end.
    const result = openSqliteStore('/proc/k8s-notes-bot/data');
    expect(!result.ok && result.error).toBe(
      "DATA_DIR /proc/k8s-notes-bot/data cannot be created (ENOENT: no such file or directory, mkdir '/proc/k8s-notes-bot'). Point DATA_DIR at a folder the bot may create or write to.",
    );
  });
});

describe('the SQLite store on disk', () => {
  const mode = (path: string) => statSync(path).mode & 0o777;

  it.each([0o022, 0o000, 0o277])('creates DATA_DIR 0700 and the database and its WAL files 0600 under umask %o', async (umask) => {
    const parent = tempFolder({});
    const dir = join(parent, 'state', 'data');
    const before = process.umask(umask);
    let store: Store;
    try {
      store = open(dir);
    } finally {
      process.umask(before);
    }
    store.logQuestion({ question: 'who can read this?', lang: 'en', answered: false, at: 1 });
    await store.flush();
    const file = join(dir, DATABASE_FILE);
    expect([mode(join(parent, 'state')), mode(dir)]).toEqual([0o700, 0o700]);
    expect([mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual([0o600, 0o600, 0o600]);
    await store.close();
  });

  it('leaves the mode of a DATA_DIR that already exists as it is', async () => {
    const dir = join(tempFolder({}), 'shared');
    mkdirSync(dir, { mode: 0o750 });
    await open(dir).close();
    expect(mode(dir)).toBe(0o750);
    expect(mode(join(dir, DATABASE_FILE))).toBe(0o600);
  });
});
