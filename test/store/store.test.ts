import { afterAll, beforeAll, describe } from 'vitest';
import { storeContract } from './contract.js';
import { pgliteEngine, serverEngine, sqliteEngine, TEST_DATABASE_URL, type Engine } from './engines.js';
import { serverRaces } from './races.js';

/** Runs the contract on an engine started before the suite and stopped after it. */
function onEngine(title: string, start: () => Promise<Engine>): void {
  describe(title, () => {
    let engine: Engine | undefined;
    beforeAll(async () => {
      engine = await start();
      console.info(`Store contract: running on ${engine.name}`);
    }, 60_000);
    afterAll(() => engine?.dispose());
    storeContract(() => engine!);
  });
}

onEngine('the Store contract on SQLite', async () => sqliteEngine());
onEngine('the Store contract on PostgreSQL, in-process (PGlite)', pgliteEngine);

if (TEST_DATABASE_URL) {
  onEngine('the Store contract on the PostgreSQL server at TEST_DATABASE_URL', () => serverEngine(TEST_DATABASE_URL!));
  serverRaces(TEST_DATABASE_URL);
} else {
  console.warn(
    'TEST_DATABASE_URL is not set: the Store contract ran on SQLite and on PGlite (in-process PostgreSQL) only. ' +
      'The races between stores with separate pools, the killed process and the cut connections did NOT run; they need a ' +
      'PostgreSQL server (.ci/run provides one).',
  );
}
