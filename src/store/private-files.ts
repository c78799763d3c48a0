import { chmodSync, closeSync, constants, fchmodSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * The bot's state (who asked what) is for the bot's user alone. Modes are set with chmod after creating,
 * because the mode given at creation is narrowed by whatever umask the bot was started with.
 */
const FOLDER_MODE = 0o700;
const FILE_MODE = 0o600;

const exists = (path: string) => {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
};

const isCode = (error: unknown, code: string) => (error as NodeJS.ErrnoException).code === code;

/**
 * Creates `dir` and its missing parents one folder at a time, each 0700; folders that exist are left as they
 * are. Node's own `mkdirSync(dir, { recursive: true })` loops forever, at full CPU, when a folder exists but
 * refuses children with ENOENT (anything under /proc): it creates the parent again, is told it exists, and
 * retries the child. Here each folder is created once, so every failure is thrown with its code.
 */
export function makePrivateFolder(dir: string): void {
  const missing: string[] = [];
  for (let at = resolve(dir); !exists(at); at = dirname(at)) {
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder, FOLDER_MODE);
      chmodSync(folder, FOLDER_MODE);
    } catch (error) {
      // Another process starting at the same time may have made it first.
      if (!isCode(error, 'EEXIST')) throw error;
    }
  }
  if (!statSync(dir).isDirectory()) throw Object.assign(new Error(`${dir} is not a folder`), { code: 'ENOTDIR' });
}

/** Creates `file` empty and 0600 unless it exists (perhaps made a moment ago by another process). */
export function createPrivateFile(file: string): void {
  let fd: number;
  try {
    fd = openSync(file, constants.O_CREAT | constants.O_EXCL | constants.O_RDWR, FILE_MODE);
  } catch (error) {
    if (isCode(error, 'EEXIST')) return;
    throw error;
  }
  try {
    fchmodSync(fd, FILE_MODE);
  } finally {
    closeSync(fd);
  }
}

/** Makes `file` 0600 when it exists: for files another library created. */
export function restrictFile(file: string): void {
  try {
    chmodSync(file, FILE_MODE);
  } catch (error) {
    // Gone already, or another user's: its mode is not ours to change, and SQLite gave it the database's.
    if (!isCode(error, 'ENOENT') && !isCode(error, 'EPERM')) throw error;
  }
}
