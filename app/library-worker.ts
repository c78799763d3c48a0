/**
 * Builds a knowledge folder's library off the main thread and saves it to the library cache, so the bot
 * keeps answering from the old library while the new one is indexed; the main thread then only loads the
 * saved library. Run as a worker by app/reload.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openLibraryCached } from '../src/library-cache.js';

export interface BuildRequest {
  dir: string;
  dataDir: string;
}

/** What the worker posts back: whether a library could be built, and if not, why. */
export type BuildOutcome = { ok: true } | { ok: false; error: string };

const { dir, dataDir } = workerData as BuildRequest;
const built = openLibraryCached(dir, dataDir);
parentPort?.postMessage((built.ok ? { ok: true } : { ok: false, error: built.error }) satisfies BuildOutcome);
