import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { shippedKnowledgeDir } from './paths.js';
import { fail, ok, type Result } from './result.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

// An empty value (`LOG_LEVEL=` copied from .env.example) means "use the default", as most tools treat it.
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema);

/** Every setting the bot reads from the environment; `.env.example` documents each one. */
export const EnvSchema = z.object({
  KNOWLEDGE_DIR: optional(z.string().default(shippedKnowledgeDir)),
  DATA_DIR: optional(z.string().default('./data')),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS).default('info')),
});

export interface Config {
  knowledgeDir: string;
  dataDir: string;
  logLevel: (typeof LOG_LEVELS)[number];
}

/** Settings whose values must never be echoed back, even in an error message. */
const SECRET = /TOKEN|SECRET|PASSWORD|KEY/i;

/**
 * Reads the configuration from `env`, with `.env` in `cwd` filling in what the environment leaves unset. Every
 * bad variable is reported at once, with what it expects, so one restart fixes them all.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Result<Config> {
  const envFile = resolve(cwd, '.env');
  let fromFile: NodeJS.Dict<string> = {};
  if (existsSync(envFile)) {
    try {
      fromFile = parseEnv(readFileSync(envFile, 'utf8'));
    } catch (error) {
      return fail(`Cannot read ${envFile}: ${(error as Error).message}`);
    }
  }
  const merged = { ...fromFile, ...env };
  const parsed = EnvSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      const value = merged[name];
      const shown = value === undefined ? '' : SECRET.test(name) ? ' (value hidden)' : ` (got "${value}")`;
      return `  - ${name}: ${issue.message}${shown}`;
    });
    return fail(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return ok({ knowledgeDir: resolve(cwd, e.KNOWLEDGE_DIR), dataDir: resolve(cwd, e.DATA_DIR), logLevel: e.LOG_LEVEL });
}
