import { createBot, type Bot } from '../src/bot.js';
import type { Config } from '../src/config.js';
import type { Library } from '../src/library.js';
import { openLibraryCached } from '../src/library-cache.js';
import type { Logger } from '../src/log.js';
import { formatProblem } from '../src/problem.js';
import { openStore as openStateStore } from '../src/store/open.js';
import type { Store } from '../src/store/store.js';
import { TipRotation } from '../src/tips/rotation.js';
import type { Io } from './io.js';
import type { Platforms } from './platforms.js';

/** The command line's options, as `parseArgs` reads them. */
export interface Options {
  knowledge?: string;
  json?: boolean;
  explain?: boolean;
  channel?: string;
  date?: string;
  lang?: string;
  days?: string;
  help?: boolean;
}

/** What every command is run with: its arguments, the checked settings, and where to write. */
export interface Run {
  io: Io;
  /** The words after the command's name. */
  args: string[];
  options: Options;
  config: Config;
  platforms: Platforms;
  log: Logger;
}

/** A command: resolves to the process exit code. */
export type CommandRunner = (run: Run) => Promise<number>;

/** A library's problems are logged as warnings; the load itself at `loadedLevel`. */
export function logLoad(log: Logger, library: Library, ms: number, loadedLevel: 'info' | 'debug'): void {
  const { dir, notes, index, catalog, tips, problems } = library;
  for (const problem of problems) log.warn({ file: problem.file, line: problem.line }, formatProblem(problem));
  log[loadedLevel]({ dir, notes: notes.length, passages: index.passages.length, commands: catalog.commands.length, tips: tips.length, ms: Math.round(ms) }, 'knowledge loaded');
}

/**
 * The notes the run asks for (`--knowledge`, else KNOWLEDGE_DIR), from the index saved under DATA_DIR when it
 * was built from exactly these notes, or undefined once the reason is written.
 * A one-shot command logs the load at debug so its answer stays uncluttered.
 */
export function loadLibrary(run: Run, loadedLevel: 'info' | 'debug' = 'debug'): Library | undefined {
  const started = performance.now();
  const library = openLibraryCached(run.options.knowledge ?? run.config.knowledgeDir, run.config.dataDir, run.log);
  if (!library.ok) {
    run.io.stderr.write(`${library.error}\n`);
    return undefined;
  }
  logLoad(run.log, library.value, performance.now() - started, loadedLevel);
  return library.value;
}

/** The state store, or undefined once the reason is written. Opened before the notes, so a bad DATA_DIR fails at once. */
export async function openStore(run: Run): Promise<Store | undefined> {
  const opened = await openStateStore(run.config, run.log);
  if (opened.ok) return opened.value;
  run.io.stderr.write(`${opened.error}\n`);
  return undefined;
}

/**
 * The bot over one library and store, and the one tip rotation that the chat's /tip, `tip` and the posts
 * share; a bot whose library is reloaded passes the rotation that all its libraries share.
 */
export function makeBot(run: Run, library: Library, store: Store, rotation = new TipRotation(store, () => library.tips)): { bot: Bot; rotation: TipRotation } {
  const { logUsers, tips, rateLimitPerMinute } = run.config;
  return { bot: createBot(library, { store, rotation, logUsers, timezone: tips.timezone, tipLang: tips.lang, rateLimitPerMinute }), rotation };
}

/** Runs `body` with the store open, and closes it however `body` ends. */
export async function withStore(run: Run, body: (store: Store) => Promise<number> | number): Promise<number> {
  const store = await openStore(run);
  if (!store) return 1;
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}
