import { constants } from 'node:os';
import type { Adapter } from '../../src/adapter.js';
import { fail, ok } from '../../src/result.js';
import type { Store } from '../../src/store/store.js';
import { tipReply } from '../../src/tips/reply.js';
import { TipRotation } from '../../src/tips/rotation.js';
import type { Io } from '../io.js';
import { startOpsServer, type OpsServer } from '../ops-server.js';
import { anyPlatform, checkDigestChannels, HOW_TO_CONFIGURE, servePlatforms, type Serving } from '../platforms.js';
import { Readiness, type ReadinessCheck } from '../readiness.js';
import { liveBot, LiveLibrary, serveReloads } from '../reload.js';
import { logLoad, makeBot, withStore, type Run } from '../run.js';
import { runChat } from './chat.js';

const NOTHING_TO_START = `No chat platform is configured and there is no terminal to chat in.
  ${HOW_TO_CONFIGURE}
  Or run it in a terminal for the terminal chat. To answer questions from a pipe: k8s-notes-bot ask < questions.txt
`;

/** Past the grace, closing sockets and the database gets this long before the process gives up waiting. */
const CLOSE_MS = 5_000;

/**
 * Resolves on the first Ctrl-C or termination signal, so the bot can stop cleanly. A second one exits at
 * once, with 128 + the signal's number (130 for SIGINT, 143 for SIGTERM), as a shell reports a killed process.
 */
function untilSignal(io: Io): { stopped: Promise<void>; dispose(): void } {
  let resolve!: () => void;
  const stopped = new Promise<void>((r) => (resolve = r));
  let signalled = false;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    if (signalled) {
      io.stderr.write(`${signal} again: exiting without waiting for answers in flight.\n`);
      process.exit(128 + constants.signals[signal]);
    }
    signalled = true;
    resolve();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    stopped,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/**
 * The store answers a query: a cheap one, by primary key, that finds nothing. A tip lookup, because it
 * rejects when the database cannot be asked, where the event and thread lookups fall back to an answer.
 */
const storeAnswers =
  (store: Store): ReadinessCheck =>
  async () => {
    await store.tipDay('readiness-probe', '1970-01-01');
    return ok(undefined);
  };

/** A platform is ready while it says it is connected; one that cannot tell counts as connected once started. */
const connected =
  (adapter: Adapter): ReadinessCheck =>
  () =>
    adapter.connected?.() === false ? fail('not connected') : ok(undefined);

/**
 * `start` (the default): every configured platform with the tip of the day and the maintainers' digest; with
 * none, the terminal chat.
 */
export const runStart = (run: Run): Promise<number> => {
  const { io, platforms } = run;
  if (!anyPlatform(platforms)) {
    if (io.stdin.isTTY) return runChat(run);
    io.stderr.write(NOTHING_TO_START);
    return Promise.resolve(2);
  }
  // Before the store opens and the notes load: a setting to fix is said at once, as the other settings are.
  const digestChannels = checkDigestChannels(platforms);
  if (!digestChannels.ok) {
    io.stderr.write(`${digestChannels.error}\n`);
    return Promise.resolve(2);
  }
  const signals = io.untilStopped ? { stopped: io.untilStopped(), dispose() {} } : untilSignal(io);
  return withStore(run, (store) => serve(run, store, signals.stopped)).finally(() => signals.dispose());
};

/**
 * The ops server first, so the probes have an answer while the notes load and the platforms connect; then
 * the notes (reloaded when they change), the platforms, and, on the stop signal, everything in reverse.
 */
async function serve(run: Run, store: Store, stopped: Promise<void>): Promise<number> {
  const { io, config, platforms, log } = run;
  // prom-client costs start-up time; only a run that serves platforms loads it.
  const { BotMetrics } = await import('../metrics.js');
  const metrics = new BotMetrics();
  const readiness = new Readiness();
  readiness.pending('notes', 'loading');
  readiness.add('store', storeAnswers(store));
  metrics.storeLoad(store);
  for (const name of ['slack', 'discord'] as const) if (platforms[name]) readiness.pending(name, 'connecting');

  let ops: OpsServer | undefined;
  if (config.ops.port !== 0) {
    const started = await startOpsServer({ ...config.ops, readiness, metrics: () => metrics.exposition(), log });
    if (!started.ok) {
      io.stderr.write(`Could not start: ${started.error}\n`);
      return 1;
    }
    ops = started.value;
    log.info({ host: config.ops.host, port: ops.address.port }, 'ops server listening on /healthz, /readyz and /metrics');
  }
  const loading = performance.now();
  const live = LiveLibrary.open({
    dir: run.options.knowledge ?? config.knowledgeDir,
    dataDir: config.dataDir,
    log,
    onLoaded: (library) => metrics.libraryLoaded(library),
    onReload: (outcome) => metrics.reloaded(outcome),
  });
  if (!live.ok) {
    io.stderr.write(`${live.error}\n`);
    await ops?.close();
    return 1;
  }
  const library = live.value;
  logLoad(log, library.current, performance.now() - loading, 'info');
  // A reload that fails keeps the notes in service, so once loaded they stay loaded.
  readiness.add('notes', () => ok(undefined));

  const rotation = new TipRotation(store, () => library.current.tips);
  const bot = liveBot(library, (current) => makeBot(run, current, store, rotation).bot);
  const stopReloads = await serveReloads(library, config.dataDir, log);
  let serving: Serving;
  try {
    serving = await servePlatforms({
      bot,
      store,
      platforms,
      schedule: config.tips,
      digest: config.digest,
      rotation,
      render: (tip) => tipReply(tip, config.tips.lang, library.current.resolve),
      log,
      watch: metrics,
    });
  } catch (error) {
    // Adapters reject with a sentence naming the setting to fix; the stack would only bury it.
    io.stderr.write(`Could not start: ${(error as Error).message}\n`);
    await stopReloads();
    await ops?.close();
    return 1;
  }
  for (const adapter of serving.adapters) readiness.add(adapter.name, connected(adapter));
  log.info({ platforms: serving.adapters.map((a) => a.name) }, 'ready');

  await stopped;
  readiness.shutDown();
  const graceMs = config.shutdownGraceMs;
  log.info({ graceMs }, 'stopping: no new events; finishing the answers in flight');
  const stuck = setTimeout(() => {
    log.error({ graceMs, closeMs: CLOSE_MS }, 'stopping took too long; exiting without closing everything');
    process.exit(1);
  }, graceMs + CLOSE_MS);
  stuck.unref();
  await serving.stop(graceMs);
  await stopReloads();
  await ops?.close();
  clearTimeout(stuck);
  log.info('stopped');
  return 0;
}
