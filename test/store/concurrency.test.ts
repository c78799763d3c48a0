import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/store/sqlite.js';
import { packageRoot } from '../../src/paths.js';
import { compileForChild } from '../support/compile.js';
import { tempFolder } from '../helpers.js';

const PROCESSES = 8;
const TRIALS = 20;

/** A child process and the lines it has printed, one promise per line. */
interface Child {
  process: ChildProcessWithoutNullStreams;
  next(): Promise<string>;
}

function start(store: string): Child {
  const child = spawn(process.execPath, [join(packageRoot, 'test/store/open-store-child.mjs'), store]);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return {
    process: child,
    async next() {
      const line = await lines.next();
      if (line.done) throw new Error(`child ${child.pid} ended: ${stderr}`);
      return line.value;
    },
  };
}

describe('the SQLite store, opened by several processes at once', () => {
  let children: Child[] = [];
  let compiled: ReturnType<typeof compileForChild> | undefined;

  beforeAll(async () => {
    compiled = compileForChild(join(packageRoot, 'src/store/sqlite.ts'));
    const store = compiled.entry;
    children = Array.from({ length: PROCESSES }, () => start(store));
    expect(await Promise.all(children.map((c) => c.next()))).toEqual(Array(PROCESSES).fill('ready'));
  }, 60_000);

  afterAll(() => {
    for (const child of children) child.process.kill();
    compiled?.remove();
  });

  it(`creates, migrates and writes a fresh DATA_DIR without a failure, ${TRIALS} times over`, async () => {
    const failures: string[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const dir = join(tempFolder({}), 'nested', 'data');
      // Every process is told the folder in the same moment, so all of them create and migrate it together.
      for (const child of children) child.process.stdin.write(`${dir}\n`);
      const results = (await Promise.all(children.map((c) => c.next()))).map((line) => JSON.parse(line) as { ok: boolean; error?: string });
      failures.push(...results.flatMap((r) => (r.ok ? [] : [`trial ${trial}: ${r.error}`])));
      const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
      expect(db.prepare('SELECT COUNT(*) AS n FROM questions').get()).toEqual({ n: PROCESSES - results.filter((r) => !r.ok).length });
      db.close();
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
