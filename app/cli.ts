#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CORE_SETTINGS, parseConfig, readEnv } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { runAsk } from './commands/ask.js';
import { runChat } from './commands/chat.js';
import { runDigest } from './commands/digest.js';
import { runGaps } from './commands/gaps.js';
import { lookupCommand } from './commands/lookup.js';
import { runReload } from './commands/reload.js';
import { runStart } from './commands/start.js';
import { runTip } from './commands/tip.js';
import type { Io } from './io.js';
import { configuredPlatforms, PLATFORM_COMMANDS, PLATFORM_SETTINGS, runPlatformCommand } from './platforms.js';
import type { CommandRunner, Options } from './run.js';
import { USAGE, usageError } from './usage.js';

export type { Io } from './io.js';

const COMMANDS: Readonly<Record<string, CommandRunner>> = {
  start: runStart,
  chat: runChat,
  ask: runAsk,
  kubectl: lookupCommand('kubectl'),
  docker: lookupCommand('docker'),
  tip: runTip,
  gaps: runGaps,
  digest: runDigest,
  reload: runReload,
};

/** Every variable a run reads, so a misspelt name in `.env` is reported rather than ignored. */
const KNOWN_SETTINGS = [...CORE_SETTINGS, ...PLATFORM_SETTINGS, 'NO_COLOR'];

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

  const env = readEnv(io.env, io.cwd, KNOWN_SETTINGS);
  // The .env file, core and platform settings are checked together, so one message names every bad line and variable.
  const config = parseConfig(env.env, io.cwd);
  const platforms = configuredPlatforms(env.env);
  if (env.error !== undefined || !config.ok || !platforms.ok) {
    const errors = [env.error, config.ok ? undefined : config.error, platforms.ok ? undefined : platforms.error];
    io.stderr.write(`${errors.filter((e) => e !== undefined).join('\n')}\n`);
    return 2;
  }
  const log = createLogger(config.value.logLevel, io.stderr);
  if (!command) {
    const result = await runPlatformCommand(name, args, platforms.value, log);
    if (result.ok) io.stdout.write(`${result.value}\n`);
    else io.stderr.write(`${result.error.message}\n`);
    return result.ok ? 0 : result.error.code;
  }
  return command({ io, args, options, config: config.value, platforms: platforms.value, log });
}

const invokedDirectly = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  process.exitCode = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
}
