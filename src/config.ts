import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Cron } from 'croner';
import { z } from 'zod';
import { parseEnvFile, type EnvLineProblem } from './env-file.js';
import type { Lang } from './lang.js';
import { shippedKnowledgeDir } from './paths.js';
import { fail, ok, type Result } from './result.js';
import { damerauLevenshtein } from './search/spelling.js';
import { DatabaseUrlSchema } from './store/database-url.js';
import { formatSettingProblems, settingProblems } from './setting-problems.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

// An empty value (`LOG_LEVEL=` copied from .env.example) means "use the default", as most tools treat it.
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema);

/** A setting that names one of a few words: read whatever its case or padding, so `LOG_LEVEL=INFO` is info. */
const choice = <const T extends readonly [string, ...string[]]>(values: T, expected: string) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(values, { error: expected }));

const isCron = (pattern: string) => {
  try {
    new Cron(pattern, { paused: true });
    return true;
  } catch {
    return false;
  }
};

/** The zone's canonical name (`asia/shanghai` is Asia/Shanghai), or undefined when there is no such zone. */
const canonicalZone = (zone: string) => {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
};

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "6h", "90m", "0": how long after a missed schedule the bot still catches up. */
const DurationSchema = z
  .string({ error: 'expected a duration such as 30m, 6h or 0' })
  .trim()
  .toLowerCase()
  .regex(/^(0|\d+(\.\d+)?\s*[smhd])$/, 'expected a duration such as 30m, 6h or 0')
  .transform((v) => (v === '0' ? 0 : Number.parseFloat(v) * UNIT_MS[v.at(-1) as keyof typeof UNIT_MS]));

const BooleanSchema = choice(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], 'expected true or false').transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const FolderSchema = z.string({ error: 'expected a folder path' });

/** Every setting the bot reads from the environment; `.env.example` documents each one. */
export const EnvSchema = z.object({
  KNOWLEDGE_DIR: optional(FolderSchema.default(shippedKnowledgeDir)),
  DATA_DIR: optional(FolderSchema.default('./data')),
  LOG_LEVEL: optional(choice(LOG_LEVELS, `expected one of ${LOG_LEVELS.join(', ')}`).default('info')),
  DAILY_TIP_CRON: optional(
    z
      .string({ error: 'expected a cron pattern such as "0 10 * * 1-5"' })
      .trim()
      .refine(isCron, 'expected a cron pattern such as "0 10 * * 1-5" (minute hour day-of-month month day-of-week)')
      .default('0 10 * * 1-5'),
  ),
  DAILY_TIP_TZ: optional(
    z
      .string({ error: 'expected an IANA time zone such as Asia/Shanghai or Europe/Berlin' })
      .transform((zone, ctx) => canonicalZone(zone.trim()) ?? (ctx.addIssue('expected an IANA time zone such as Asia/Shanghai or Europe/Berlin'), z.NEVER))
      .optional(),
  ),
  DAILY_TIP_CATCHUP: optional(DurationSchema.default(6 * UNIT_MS.h)),
  DIGEST_CRON: optional(
    z
      .string({ error: 'expected a cron pattern such as "0 9 * * 1"' })
      .trim()
      .refine(isCron, 'expected a cron pattern such as "0 9 * * 1" (minute hour day-of-month month day-of-week)')
      .default('0 9 * * 1'),
  ),
  DAILY_TIP_LANG: optional(choice(['zh', 'en'], 'expected zh (Chinese) or en (English)').default('zh')),
  QUESTION_LOG_USERS: optional(BooleanSchema.default(false)),
  RATE_LIMIT_PER_MINUTE: optional(
    z.coerce
      .number({ error: 'expected a whole number of requests per minute, or 0 for no limit' })
      .int('expected a whole number of requests per minute, or 0 for no limit')
      .min(0, 'expected a whole number of requests per minute, or 0 for no limit')
      .max(10_000, 'expected at most 10000 requests per minute, or 0 for no limit')
      .default(20),
  ),
  OPS_PORT: optional(
    z.coerce
      .number({ error: 'expected a port number from 1 to 65535, or 0 to turn the ops server off' })
      .int('expected a port number from 1 to 65535, or 0 to turn the ops server off')
      .min(0, 'expected a port number from 1 to 65535, or 0 to turn the ops server off')
      .max(65535, 'expected a port number from 1 to 65535, or 0 to turn the ops server off')
      .default(9464),
  ),
  OPS_HOST: optional(z.string({ error: 'expected an address to listen on, such as 127.0.0.1 or 0.0.0.0' }).trim().min(1).optional()),
  SHUTDOWN_GRACE: optional(DurationSchema.default(10 * UNIT_MS.s)),
  DATABASE_URL: optional(DatabaseUrlSchema.optional()),
});

/** In a container the probes and the scraper come from outside it; on a laptop only the machine itself asks. */
const inContainer = (env: NodeJS.ProcessEnv) => env.KUBERNETES_SERVICE_HOST !== undefined || existsSync('/.dockerenv') || env.container !== undefined;

export interface TipSchedule {
  cron: string;
  /** An IANA zone; absent: the machine's own. */
  timezone?: string;
  /** How long after a missed run the bot still posts it on start. */
  catchupMs: number;
  lang: Lang;
}

/** When the maintainers' digest is posted: its own cron, in the tip of the day's zone, window and language. */
export type DigestSchedule = TipSchedule;

export interface Config {
  knowledgeDir: string;
  dataDir: string;
  logLevel: (typeof LOG_LEVELS)[number];
  tips: TipSchedule;
  digest: DigestSchedule;
  /** Keep user ids in the question log; off unless the admin turns it on. */
  logUsers: boolean;
  /** Requests one person may make per minute across platforms; 0 means no limit. */
  rateLimitPerMinute: number;
  /** Health, readiness and metrics over HTTP; port 0 means no ops server. */
  ops: { port: number; host: string };
  /** How long a stop waits for answers already being worked on. */
  shutdownGraceMs: number;
  /** PostgreSQL shared by every replica; without it, SQLite in `dataDir`. */
  databaseUrl?: string;
}

/** The names of the core's settings, for telling a misspelt name in `.env` from another tool's variable. */
export const CORE_SETTINGS: readonly string[] = Object.keys(EnvSchema.shape);

/** The environment with `.env` filling in what it leaves unset, and, when `.env` has lines that cannot be
 * read, one message listing each with its line number. */
export interface EnvRead {
  env: NodeJS.ProcessEnv;
  error?: string;
}

/** A settings file is a few hundred bytes; anything near this is something else under that name. */
const MAX_ENV_FILE_BYTES = 1 << 20;
/** Enough lines to show what is wrong; a file with more bad lines than this is not a settings file. */
const MAX_REPORTED_LINES = 20;

/** A name in `.env` that is not a setting but is one letter or two, or only case, away from one. */
function misspelt(name: string, known: readonly string[]): string | undefined {
  if (known.includes(name)) return undefined;
  const sameLetters = known.find((k) => k === name.toUpperCase());
  if (sameLetters) return `${name} is not a setting (names are upper case): write ${sameLetters}`;
  if (name.length < 4) return undefined;
  const near = known.find((k) => damerauLevenshtein(name.toUpperCase(), k, 2) <= 2);
  return near && `${name} is not a setting; did you mean ${near}?`;
}

const isLink = (path: string) => {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
};

/** The text of `.env`, undefined when there is none, or why it is not a settings file at all. */
function readEnvFile(envFile: string): Result<string | undefined> {
  let bytes: Buffer;
  let fd: number | undefined;
  try {
    // A FIFO or a device named .env would block or never end: opened without blocking, only a regular file is read.
    fd = openSync(envFile, constants.O_RDONLY | constants.O_NONBLOCK);
    const stat = fstatSync(fd);
    if (!stat.isFile()) return fail(`${envFile} is not a regular file; .env must be a text file of NAME=value lines.`);
    if (stat.size > MAX_ENV_FILE_BYTES) return fail(`${envFile} is ${stat.size} bytes, far too large for a settings file (at most ${MAX_ENV_FILE_BYTES}); is it the right file?`);
    bytes = readFileSync(fd);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return fail(`Cannot read ${envFile}: ${(error as Error).message}`);
    return isLink(envFile) ? fail(`${envFile} is a symbolic link to a file that does not exist.`) : ok(undefined);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (bytes.includes(0)) return fail(`${envFile} is not a text file (it holds NUL bytes); .env must be a text file of NAME=value lines.`);
  try {
    return ok(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return fail(`${envFile} is not UTF-8 text; save it as UTF-8.`);
  }
}

/**
 * The environment with `.env` in `cwd` filling in what it leaves unset: what every settings schema reads.
 * `known` is every setting name the caller reads, so a misspelt one in `.env` is reported, not ignored.
 */
export function readEnv(env: NodeJS.ProcessEnv, cwd: string, known: readonly string[] = CORE_SETTINGS): EnvRead {
  const envFile = resolve(cwd, '.env');
  const text = readEnvFile(envFile);
  if (!text.ok) return { env: { ...env }, error: text.error };
  if (text.value === undefined) return { env: { ...env } };
  const file = parseEnvFile(text.value);
  const names: EnvLineProblem[] = [...file.lines].flatMap(([name, line]) => {
    const message = misspelt(name, known);
    return message ? [{ line, message }] : [];
  });
  const problems = [...file.problems, ...names].sort((a, b) => a.line - b.line);
  const merged = { ...file.values, ...env };
  if (problems.length === 0) return { env: merged };
  const listed = problems.slice(0, MAX_REPORTED_LINES).map((p) => `  - line ${p.line}: ${p.message}`);
  if (problems.length > MAX_REPORTED_LINES) listed.push(`  - and ${problems.length - MAX_REPORTED_LINES} more lines`);
  return { env: merged, error: `${envFile} has lines the bot cannot use:\n${listed.join('\n')}` };
}

/**
 * Reads the configuration from `env`, with `.env` in `cwd` filling in what the environment leaves unset. Every
 * bad line and variable is reported at once, with what it expects, so one restart fixes them all.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Result<Config> {
  const read = readEnv(env, cwd);
  const config = parseConfig(read.env, cwd);
  const errors = [read.error, config.ok ? undefined : config.error].filter((e) => e !== undefined);
  return errors.length ? fail(errors.join('\n')) : config;
}

/** The core's settings from an environment already merged with `.env` (see `readEnv`). */
export function parseConfig(merged: NodeJS.ProcessEnv, cwd: string): Result<Config> {
  const parsed = EnvSchema.safeParse(merged);
  if (!parsed.success) return fail(formatSettingProblems('Invalid configuration:', settingProblems(parsed.error), merged));
  const e = parsed.data;
  // Left unset, the machine's zone is used where a date is worked out: finding it sets up ICU's time zone
  // data (about 10 ms), which commands that never reach a date (ask, lookup) should not pay at every start.
  const zone = e.DAILY_TIP_TZ === undefined ? {} : { timezone: e.DAILY_TIP_TZ };
  return ok({
    knowledgeDir: resolve(cwd, e.KNOWLEDGE_DIR),
    dataDir: resolve(cwd, e.DATA_DIR),
    logLevel: e.LOG_LEVEL,
    tips: {
      cron: e.DAILY_TIP_CRON,
      ...zone,
      catchupMs: e.DAILY_TIP_CATCHUP,
      lang: e.DAILY_TIP_LANG,
    },
    digest: { cron: e.DIGEST_CRON, ...zone, catchupMs: e.DAILY_TIP_CATCHUP, lang: e.DAILY_TIP_LANG },
    logUsers: e.QUESTION_LOG_USERS,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    ops: { port: e.OPS_PORT, host: e.OPS_HOST ?? (inContainer(merged) ? '0.0.0.0' : '127.0.0.1') },
    shutdownGraceMs: e.SHUTDOWN_GRACE,
    ...(e.DATABASE_URL !== undefined ? { databaseUrl: e.DATABASE_URL } : {}),
  });
}
