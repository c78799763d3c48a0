import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE, openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';
import { openTestStore, tempFolder } from '../helpers.js';

const open = (dir: string): Store => openTestStore(dir);

describe('the SQLite store', () => {
  it('creates its folder, migrates, and keeps what it was told across reopening', () => {
    const dir = join(tempFolder({}), 'nested', 'data');
    const store = open(dir);
    store.logQuestion({ question: 'How to mount NFS?', lang: 'en', answered: false, at: 1_000 });
    store.close();
    const again = open(dir);
    expect(again.gaps(0, 10)).toEqual([{ question: 'How to mount NFS?', count: 1, lastAskedAt: 1_000 }]);
    again.close();
  });

  it('groups unanswered questions that differ only in case and punctuation, most asked first', () => {
    const store = open(tempFolder({}));
    const ask = (question: string, answered: boolean, at: number) => store.logQuestion({ question, lang: 'en', answered, at });
    ask('How to mount NFS?', false, 10);
    ask('how to mount nfs', false, 20);
    ask('istio sidecar', false, 30);
    ask('apiserver port', true, 40);
    ask('old question', false, 1);
    expect(store.gaps(5, 10)).toEqual([
      { question: 'how to mount nfs', count: 2, lastAskedAt: 20 },
      { question: 'istio sidecar', count: 1, lastAskedAt: 30 },
    ]);
  });

  it('claims a day once until the lease runs out, and never after it was posted', () => {
    const store = open(tempFolder({}));
    store.chooseTip('ops', '2026-05-04', () => ({ tipId: 'a', cycle: 1 }), 0);
    expect(store.claimPost('ops', '2026-05-04', 100, 200)).toBe(true);
    expect(store.claimPost('ops', '2026-05-04', 150, 250)).toBe(false);
    expect(store.claimPost('ops', '2026-05-04', 200, 300)).toBe(true);
    store.markPosted('ops', '2026-05-04', 210);
    expect(store.claimPost('ops', '2026-05-04', 10_000, 10_100)).toBe(false);
    expect(store.tipDay('ops', '2026-05-04')).toMatchObject({ tipId: 'a', postedAt: 210, attempts: 2 });
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

  it.each([0o022, 0o000, 0o277])('creates DATA_DIR 0700 and the database and its WAL files 0600 under umask %o', (umask) => {
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
    const file = join(dir, DATABASE_FILE);
    expect([mode(join(parent, 'state')), mode(dir)]).toEqual([0o700, 0o700]);
    expect([mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual([0o600, 0o600, 0o600]);
    store.close();
  });

  it('leaves the mode of a DATA_DIR that already exists as it is', () => {
    const dir = join(tempFolder({}), 'shared');
    mkdirSync(dir, { mode: 0o750 });
    open(dir).close();
    expect(mode(dir)).toBe(0o750);
    expect(mode(join(dir, DATABASE_FILE))).toBe(0o600);
  });
});

describe('the SQLite store, for adapters', () => {
  it('claims an event once while it is answered, and remembers it for its TTL once handled', () => {
    const store = open(tempFolder({}));
    expect(store.claimEvent('Ev1', 1_000)).toBe(true);
    expect(store.claimEvent('Ev1', 2_000)).toBe(false);
    store.completeEvent('Ev1', 3_000, 600_000);
    expect(store.claimEvent('Ev1', 500_000)).toBe(false);
    expect(store.claimEvent('Ev1', 3_000 + 600_001)).toBe(true);
  });

  it('lets the retry of an event whose handler died or failed be answered', () => {
    const store = open(tempFolder({}));
    expect(store.claimEvent('crashed', 0)).toBe(true); // never completed: the process died
    expect(store.claimEvent('crashed', 30_000)).toBe(false); // still within the lease
    expect(store.claimEvent('crashed', 5 * 60_000)).toBe(true); // the platform's retry minutes later
    expect(store.claimEvent('failed', 0)).toBe(true);
    store.releaseEvent('failed');
    expect(store.claimEvent('failed', 1)).toBe(true);
  });

  it('keeps each event for its own TTL, whatever TTL later events use', () => {
    const store = open(tempFolder({}));
    store.claimEvent('discord:1', 0);
    store.completeEvent('discord:1', 0, 3_600_000);
    store.claimEvent('slack:1', 60_000);
    store.completeEvent('slack:1', 60_000, 60_000);
    expect(store.claimEvent('discord:1', 1_800_000)).toBe(false);
    expect(store.claimEvent('slack:1', 1_800_000)).toBe(true);
  });

  it('remembers the threads the bot answered in', () => {
    const dir = tempFolder({});
    const store = open(dir);
    store.rememberThread('C1', '171.1', 0);
    store.close();
    const again = open(dir);
    expect(again.isBotThread('C1', '171.1')).toBe(true);
    expect(again.isBotThread('C1', '171.2')).toBe(false);
  });
});
