#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Io } from './io.js';
import type { CommandRunner, Options } from './run.js';
import { PLATFORM_COMMANDS, USAGE, usageError } from './usage.js';

export type { Io } from './io.js';

/**
 * Each command's module is imported when it runs, so `--help` loads no command and each command only what it
 * uses (`reload` neither the notes' search nor the store, `ask` no chat).
 */
const COMMANDS: Readonly<Record<string, () => Promise<CommandRunner>>> = {
  start: async () => (await import('./commands/start.js')).runStart,
  chat: async () => (await import('./commands/chat.js')).runChat,
  ask: async () => (await import('./commands/ask.js')).runAsk,
  kubectl: async () => (await import('./commands/lookup.js')).lookupCommand('kubectl'),
  docker: async () => (await import('./commands/lookup.js')).lookupCommand('docker'),
  tip: async () => (await import('./commands/tip.js')).runTip,
  gaps: async () => (await import('./commands/gaps.js')).runGaps,
  digest: async () => (await import('./commands/digest.js')).runDigest,
  reload: async () => (await import('./commands/reload.js')).runReload,
};

const parseCommandLine = (argv: string[]) =>
  parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      knowledge: { type: 'string' },
      json: { type: 'boolean' },
      explain: { type: 'boolean' },
      channel: { type: 'string' },
      date: { type: 'string' },
      lang: { type: 'string' },
      days: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });

/** Runs the command line; resolves to the process exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    return usageError(io, (error as Error).message);
  }
  const options: Options = parsed.values;
  const [name = 'start', ...args] = parsed.positionals;
  if (options.help || name === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command && !Object.hasOwn(PLATFORM_COMMANDS, name)) return usageError(io, `Unknown command "${name}".`);

  // Loaded while the command's own modules are, not before the help, which needs none of them.
  const [{ CORE_SETTINGS, parseConfig, readEnv }, { createLogger }, { configuredPlatforms, PLATFORM_SETTINGS, runPlatformCommand }, runner] = await Promise.all([
    import('../src/config.js'),
    import('../src/log.js'),
    import('./platforms.js'),
    command?.(),
  ]);
  // Every variable a run reads, so a misspelt name in `.env` is reported rather than ignored.
  const env = readEnv(io.env, io.cwd, [...CORE_SETTINGS, ...PLATFORM_SETTINGS, 'NO_COLOR']);
  // The .env file, core and platform settings are checked together, so one message names every bad line and variable.
  const config = parseConfig(env.env, io.cwd);
  const platforms = configuredPlatforms(env.env);
  if (env.error !== undefined || !config.ok || !platforms.ok) {
    const errors = [env.error, config.ok ? undefined : config.error, platforms.ok ? undefined : platforms.error];
    io.stderr.write(`${errors.filter((e) => e !== undefined).join('\n')}\n`);
    return 2;
  }
  const log = createLogger(config.value.logLevel, io.stderr);
  if (!runner) {
    const result = await runPlatformCommand(name, args, platforms.value, log);
    if (result.ok) io.stdout.write(`${result.value}\n`);
    else io.stderr.write(`${result.error.message}\n`);
    return result.ok ? 0 : result.error.code;
  }
  return runner({ io, args, options, config: config.value, platforms: platforms.value, log });
}

const invokedDirectly = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  process.exitCode = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
}
