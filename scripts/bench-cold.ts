/**
 * What a person waits for before the first answer: whole processes of the built command line, from spawn to
 * exit (or to the chat prompt), so Node's start, imports, settings, store and notes all count. Each figure
 * is the minimum and median of a few runs: on a shared machine the minimum is the closest to the code's cost.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../src/paths.js';

const cli = join(packageRoot, 'dist', 'app', 'cli.js');
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Settings a run starts from: nothing of the caller's environment but PATH, so no platform is configured. */
const cleanEnv = (dataDir: string): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, LOG_LEVEL: 'warn' });

function timed(args: string[], dataDir: string): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, [cli, ...args], { cwd: tmpdir(), env: cleanEnv(dataDir), encoding: 'utf8' });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return ms;
}

function summary(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  return `min ${seconds(sorted[0]!)} median ${seconds(sorted[Math.floor(sorted.length / 2)]!)} (${sorted.length} runs)`;
}

const temp = () => mkdtempSync(join(tmpdir(), 'k8s-notes-bot-bench-'));

/**
 * Cold `ask` on one notes folder: with a fresh DATA_DIR each run (it builds and saves the index), and with
 * the index saved by an earlier run. `knowledge` undefined means the shipped notes.
 */
export function benchColdAsk(label: string, knowledge: string | undefined, question: string, rounds: { cold: number; warm: number }): string[] {
  const args = ['ask', ...(knowledge ? ['--knowledge', knowledge] : []), question];
  const cold: number[] = [];
  for (let i = 0; i < rounds.cold; i++) {
    const dataDir = temp();
    try {
      cold.push(timed(args, dataDir));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const dataDir = temp();
  try {
    timed(args, dataDir);
    const warm = Array.from({ length: rounds.warm }, () => timed(args, dataDir));
    return [`cold ask, ${label}, no saved index (builds and saves it): ${summary(cold)}`, `cold ask, ${label}, saved index: ${summary(warm)}`];
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function benchHelp(rounds: number): string {
  const dataDir = temp();
  try {
    return `--help: ${summary(Array.from({ length: rounds }, () => timed(['--help'], dataDir)))}`;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** From `npm start` to the chat's prompt, in a pseudo-terminal (`script`), since the chat needs one. */
async function untilPrompt(dataDir: string): Promise<number> {
  const started = performance.now();
  // In a process group of its own: `script` does not pass SIGTERM on to the chat under its terminal, which
  // then outlived the bench, so the whole group is stopped.
  const child = spawn('script', ['-qfec', 'npm start --silent', '/dev/null'], { cwd: packageRoot, detached: true, env: { ...cleanEnv(dataDir), TERM: 'dumb', KNOWLEDGE_DIR: join(packageRoot, 'knowledge') } });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => finish(new Error(`no prompt within 60 s; it printed: ${output.slice(-500)}`)), 60_000);
    const finish = (result: number | Error) => {
      clearTimeout(timer);
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // The group has already gone.
      }
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (/(^|\n)> $/.test(output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, ''))) finish(performance.now() - started);
    });
    child.on('error', finish);
    child.on('exit', (code) => finish(new Error(`npm start exited ${code} before its prompt; it printed: ${output.slice(-500)}`)));
  });
}

export async function benchStartToPrompt(rounds: number): Promise<string> {
  if (spawnSync('script', ['--version']).error) return 'npm start to prompt: not measured (no `script` here to give it a terminal)';
  if (!existsSync(cli)) return 'npm start to prompt: not measured (not built)';
  const dataDir = temp();
  try {
    await untilPrompt(dataDir); // saves the index, as any earlier start would have
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) times.push(await untilPrompt(dataDir));
    return `npm start to the chat prompt (shipped notes, saved index, in a pseudo-terminal): ${summary(times)}`;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
