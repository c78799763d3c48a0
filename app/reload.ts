import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { watch, type FSWatcher } from 'chokidar';
import type { Bot } from '../src/bot.js';
import type { Library } from '../src/library.js';
import { currentLibraryKey, openLibraryCached } from '../src/library-cache.js';
import type { Logger } from '../src/log.js';
import { fail, ok, type Result } from '../src/result.js';
import type { BuildOutcome, BuildRequest } from './library-worker.js';
import { removePidFile, writePidFile } from './pid-file.js';

/** What a reload did: swapped in a new library, found nothing changed, or failed and kept the old one. */
export type ReloadOutcome = 'ok' | 'unchanged' | 'failed';

export interface LiveLibraryOptions {
  dir: string;
  dataDir: string;
  log: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;
  /** Told of every library put in service (the first one included) and of every reload's outcome. */
  onLoaded?: (library: Library) => void;
  onReload?: (outcome: ReloadOutcome) => void;
  /** How the new library is indexed before it is loaded; by default in a worker thread when the code is built. */
  build?: (request: BuildRequest) => Promise<BuildOutcome>;
}

const WORKER = fileURLToPath(new URL('./library-worker.js', import.meta.url));

/** Indexes with the worker script at `script`, so questions are answered meanwhile. */
export function buildInWorker(script: string): (request: BuildRequest) => Promise<BuildOutcome> {
  return (request) =>
    new Promise((resolve) => {
      const worker = new Worker(script, { workerData: request });
      worker.once('message', (outcome: BuildOutcome) => resolve(outcome));
      worker.once('error', (error) => resolve({ ok: false, error: `the indexing worker failed: ${error.message}` }));
      worker.once('exit', (code) => resolve({ ok: false, error: `the indexing worker exited with code ${code}` }));
    });
}

/** Under the tests the code is TypeScript, which a worker cannot run: there the build runs on this thread. */
function buildHere(request: BuildRequest): Promise<BuildOutcome> {
  const built = openLibraryCached(request.dir, request.dataDir);
  return Promise.resolve(built.ok ? { ok: true } : { ok: false, error: built.error });
}

const defaultBuild = existsSync(WORKER) ? buildInWorker(WORKER) : buildHere;


/**
 * The library the bot answers from, replaced whole when the notes change: the new one is built beside the
 * old, which keeps answering until the swap. A reload that cannot build a library keeps the old one. One
 * reload runs at a time; requests made meanwhile are folded into one more.
 */
export class LiveLibrary {
  private library: Library;
  private key: string | undefined;
  private running: Promise<ReloadOutcome> | undefined;
  private again = false;
  private watcher: FSWatcher | undefined;
  private debounce: NodeJS.Timeout | undefined;

  private constructor(
    private readonly options: LiveLibraryOptions,
    first: Library,
    key: string | undefined,
  ) {
    this.library = first;
    this.key = key;
    options.onLoaded?.(first);
  }

  /** Opens the folder's library (from the cache when it matches); fails as a start would, with the reason. */
  static open(options: LiveLibraryOptions): Result<LiveLibrary> {
    const key = currentLibraryKey(options.dir, options.dataDir);
    const first = openLibraryCached(options.dir, options.dataDir, options.log);
    return first.ok ? ok(new LiveLibrary(options, first.value, key)) : fail(first.error);
  }

  /** The library in service now. Read it per question: a reload may have replaced it since the last. */
  get current(): Library {
    return this.library;
  }

  /** Rebuilds from the folder and swaps the new library in; `why` is logged. */
  reload(why: string): Promise<ReloadOutcome> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.rebuild(why).finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.reload('more changes arrived during the last reload');
      }
    });
    return this.running;
  }

  private async rebuild(why: string): Promise<ReloadOutcome> {
    const { dir, log } = this.options;
    const outcome = await this.attempt(why);
    this.options.onReload?.(outcome);
    if (outcome === 'ok') {
      const { notes, index, problems } = this.library;
      log.info({ dir, why, notes: notes.length, passages: index.passages.length, problems: problems.length }, 'notes reloaded');
    } else if (outcome === 'unchanged') log.debug({ dir, why }, 'notes unchanged; nothing to reload');
    return outcome;
  }

  private async attempt(why: string): Promise<ReloadOutcome> {
    const { dir, dataDir, log } = this.options;
    const key = currentLibraryKey(dir, dataDir);
    if (key !== undefined && key === this.key) return 'unchanged';
    const built = await (this.options.build ?? defaultBuild)({ dir, dataDir });
    // The worker saved what it built; loading it here is the cheap half. Notes edited meanwhile are built again.
    const loaded = built.ok ? openLibraryCached(dir, dataDir, log) : fail(built.error);
    if (!loaded.ok) {
      log.error({ dir, why }, `reload failed, still answering from the notes loaded before: ${loaded.error}`);
      return 'failed';
    }
    for (const problem of loaded.value.problems) log.warn({ file: problem.file, line: problem.line }, `${problem.file}:${problem.line}: ${problem.message}`);
    this.library = loaded.value;
    this.key = key;
    this.options.onLoaded?.(loaded.value);
    return 'ok';
  }

  /**
   * Reloads when anything under the folder changes, `debounceMs` after the last change: an editor's save or
   * a `git pull` is many events. A ConfigMap mount changes by swapping its `..data` symlink, which is an
   * event here too.
   */
  watch(debounceMs = 500): Promise<void> {
    const watcher = watch(this.options.dir, { ignoreInitial: true, followSymlinks: true, ignored: (path) => /(^|[\\/])node_modules([\\/]|$)/.test(path) });
    this.watcher = watcher;
    watcher.on('all', (event, path) => {
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => void this.reload(`${event} ${path}`), debounceMs);
    });
    watcher.on('error', (error) => this.options.log.warn({ dir: this.options.dir }, `watching the notes failed: ${(error as Error).message}; reload with SIGHUP or k8s-notes-bot reload`));
    return new Promise((resolve) => watcher.once('ready', () => resolve()));
  }

  /** Stops watching and waits for a reload under way, so nothing is swapped in after shutdown. */
  async close(): Promise<void> {
    clearTimeout(this.debounce);
    await this.watcher?.close();
    this.again = false;
    await this.running;
  }
}

/**
 * A bot that answers each call from the library in service at that moment: `make` builds the bot for a
 * library, once per library. A question already being answered finishes with the library it started on.
 */
export function liveBot(live: LiveLibrary, make: (library: Library) => Bot): Bot {
  let library = live.current;
  let bot = make(library);
  const now = () => {
    if (live.current !== library) {
      library = live.current;
      bot = make(library);
    }
    return bot;
  };
  return new Proxy({} as Bot, {
    get(_, name) {
      const target = now();
      const value = target[name as keyof Bot];
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * Reloads on changes under the notes folder, on SIGHUP, and on `k8s-notes-bot reload` (which finds this
 * process by the pid file in `dataDir`). Resolves, once the folder is watched, to what stops all three.
 */
export async function serveReloads(live: LiveLibrary, dataDir: string, log: Pick<Logger, 'warn'>): Promise<() => Promise<void>> {
  const onHangup = () => void live.reload('SIGHUP');
  process.on('SIGHUP', onHangup);
  const pid = writePidFile(dataDir);
  if (!pid.ok) log.warn({ dataDir }, `${pid.error}; k8s-notes-bot reload will not find this bot, but SIGHUP and file changes still reload`);
  await live.watch();
  return async () => {
    process.off('SIGHUP', onHangup);
    if (pid.ok) removePidFile(dataDir);
    await live.close();
  };
}
