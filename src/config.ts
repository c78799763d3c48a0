import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { Cron } from 'croner';
import { z } from 'zod';
import { LangSchema, type Lang } from './lang.js';
import { shippedKnowledgeDir } from './paths.js';
import { fail, ok, type Result } from './result.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

// An empty value (`LOG_LEVEL=` copied from .env.example) means "use the default", as most tools treat it.
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema);

const isCron = (pattern: string) => {
  try {
    new Cron(pattern, { paused: true });
    return true;
  } catch {
    return false;
  }
};

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "6h", "90m", "0": how long after a missed schedule the bot still catches up. */
const DurationSchema = z
  .string()
  .trim()
  .regex(/^(0|\d+(\.\d+)?\s*[smhd])$/, 'expected a duration such as 30m, 6h or 0')
  .transform((v) => (v === '0' ? 0 : Number.parseFloat(v) * UNIT_MS[v.at(-1) as keyof typeof UNIT_MS]));

const BooleanSchema = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));

/** Every setting the bot reads from the environment; `.env.example` documents each one. */
export const EnvSchema = z.object({
  KNOWLEDGE_DIR: optional(z.string().default(shippedKnowledgeDir)),
  DATA_DIR: optional(z.string().default('./data')),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS).default('info')),
  DAILY_TIP_CRON: optional(z.string().trim().refine(isCron, 'expected a cron pattern such as "0 10 * * 1-5"').default('0 10 * * 1-5')),
  DAILY_TIP_TZ: optional(z.string().trim().refine(isTimeZone, 'expected an IANA time zone such as Asia/Shanghai or Europe/Berlin').optional()),
  DAILY_TIP_CATCHUP: optional(DurationSchema.default(6 * UNIT_MS.h)),
  DAILY_TIP_LANG: optional(LangSchema.default('zh')),
  QUESTION_LOG_USERS: optional(BooleanSchema.default(false)),
});

export interface TipSchedule {
  cron: string;
  timezone: string;
  /** How long after a missed run the bot still posts it on start. */
  catchupMs: number;
  lang: Lang;
}

export interface Config {
  knowledgeDir: string;
  dataDir: string;
  logLevel: (typeof LOG_LEVELS)[number];
  tips: TipSchedule;
  /** Keep user ids in the question log; off unless the admin turns it on. */
  logUsers: boolean;
}

/** Settings whose values must never be echoed back, even in an error message. */
const SECRET = /TOKEN|SECRET|PASSWORD|KEY/i;

/** The environment with `.env` in `cwd` filling in what it leaves unset: what every settings schema reads. */
export function readEnv(env: NodeJS.ProcessEnv, cwd: string): Result<NodeJS.ProcessEnv> {
  const envFile = resolve(cwd, '.env');
  if (!existsSync(envFile)) return ok({ ...env });
  try {
    return ok({ ...parseEnv(readFileSync(envFile, 'utf8')), ...env });
  } catch (error) {
    return fail(`Cannot read ${envFile}: ${(error as Error).message}`);
  }
}

/**
 * Reads the configuration from `env`, with `.env` in `cwd` filling in what the environment leaves unset. Every
 * bad variable is reported at once, with what it expects, so one restart fixes them all.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Result<Config> {
  const read = readEnv(env, cwd);
  return read.ok ? parseConfig(read.value, cwd) : read;
}

/** The core's settings from an environment already merged with `.env` (see `readEnv`). */
export function parseConfig(merged: NodeJS.ProcessEnv, cwd: string): Result<Config> {
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
  return ok({
    knowledgeDir: resolve(cwd, e.KNOWLEDGE_DIR),
    dataDir: resolve(cwd, e.DATA_DIR),
    logLevel: e.LOG_LEVEL,
    tips: {
      cron: e.DAILY_TIP_CRON,
      timezone: e.DAILY_TIP_TZ ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
      catchupMs: e.DAILY_TIP_CATCHUP,
      lang: e.DAILY_TIP_LANG,
    },
    logUsers: e.QUESTION_LOG_USERS,
  });
}
