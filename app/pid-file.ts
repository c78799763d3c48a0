import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fail, ok, type Result } from '../src/result.js';
import { writePrivateFileAtomically } from '../src/snapshot-file.js';

/** Where a running bot says which process it is, so `k8s-notes-bot reload` can find it (also by `kubectl exec`). */
export const pidFileOf = (dataDir: string): string => join(dataDir, 'bot.pid');

export function writePidFile(dataDir: string): Result<void> {
  return writePrivateFileAtomically(pidFileOf(dataDir), Buffer.from(`${process.pid}\n`));
}

/** Removes the pid file if it is still this process's: a bot started after this one may have replaced it. */
export function removePidFile(dataDir: string): void {
  if (readRunningPid(dataDir) === process.pid) rmSync(pidFileOf(dataDir), { force: true });
}

function readRunningPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidFileOf(dataDir), 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The process id of the bot running on `dataDir`, or why there is none. */
export function runningBot(dataDir: string): Result<number> {
  const file = pidFileOf(dataDir);
  const pid = readRunningPid(dataDir);
  if (pid === undefined) return fail(`No running bot found: ${file} is missing or unreadable. Start one with k8s-notes-bot start (a bot serving Slack or Discord writes it).`);
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but is another user's; signalling it will say so.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return fail(`No running bot found: ${file} names process ${pid}, which is not running.`);
  }
  return ok(pid);
}
