import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import { fail, ok, type Result } from '../../src/result.js';
import { formatSettingProblems, settingProblems, type SettingProblem } from '../../src/setting-problems.js';

/** How the bot hears from Slack: an outbound WebSocket (no public URL), or signed HTTP requests to `/slack/events`. */
export type SlackTransport =
  | { mode: 'socket'; appToken: string }
  | { mode: 'http'; signingSecret: string; port: number; /** All interfaces unless set. */ host?: string };

/** Everything the Slack adapter needs, validated; `loadSlackConfig` builds it from the environment. */
export interface SlackConfig {
  botToken: string;
  transport: SlackTransport;
  /** Another Web API root (GovSlack, a test fake); Slack's own otherwise. */
  apiUrl?: string;
  /** Channel ids that get the tip of the day. */
  tipChannels: string[];
  /**
   * How often a failed Web API call is tried again. A 429 waits its Retry-After first, so this also bounds how
   * long a rate-limited answer can be late.
   */
  retry: webApi.RetryOptions;
}

/** A few quick retries: an answer minutes late is worth less than a logged failure. */
export const DEFAULT_RETRY: webApi.RetryOptions = { retries: 3, factor: 2, minTimeout: 1000, maxTimeout: 10_000, randomize: true };

// An empty value (`SLACK_APP_TOKEN=` copied from .env.example) means "not set", as in the core's settings.
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const PORT = 'expected a port number from 0 to 65535';

/** A channel id: C for a public channel, G for a private one, D for a DM. */
export const SLACK_CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;

const SlackEnvSchema = z.object({
  SLACK_BOT_TOKEN: optional(z.string().trim().regex(/^xoxb-[\w-]+$/, 'expected the Bot User OAuth Token, starting with xoxb- (OAuth & Permissions page)')),
  SLACK_APP_TOKEN: optional(
    z.string().trim().regex(/^xapp-[\w-]+$/, 'expected an app-level token with the connections:write scope, starting with xapp- (Basic Information page)'),
  ),
  SLACK_SIGNING_SECRET: optional(z.string().trim().regex(/^\S{16,}$/, 'expected the Signing Secret from the Basic Information page')),
  PORT: optional(
    z
      .string({ error: PORT })
      .trim()
      .regex(/^\d{1,5}$/, PORT)
      .transform(Number)
      .refine((port) => port <= 65_535, PORT),
  ),
  SLACK_API_URL: optional(z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as https://slack-gov.com/api/' })),
  SLACK_TIP_CHANNELS: optional(
    z
      .string()
      .transform((v) => v.split(',').map((c) => c.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(SLACK_CHANNEL_ID, 'expected channel ids such as C0123456789, comma-separated (an id, not a #name)'))),
  ),
});

/** Settings that are fine alone but not together; checked on the raw values so they join the other problems. */
function missingCompanions(env: NodeJS.ProcessEnv): SettingProblem[] {
  const set = (name: string) => Boolean(env[name]?.trim());
  if (!set('SLACK_BOT_TOKEN')) {
    return set('SLACK_APP_TOKEN') ? [{ name: 'SLACK_BOT_TOKEN', message: 'required as well when SLACK_APP_TOKEN is set: the Bot User OAuth Token, starting with xoxb- (OAuth & Permissions page)' }] : [];
  }
  if (set('SLACK_APP_TOKEN') || set('SLACK_SIGNING_SECRET')) return [];
  return [{ name: 'SLACK_SIGNING_SECRET', message: 'required in HTTP mode; or set SLACK_APP_TOKEN to use Socket Mode, which needs no public URL (both are on the Basic Information page)' }];
}

/** The names of the Slack settings, for telling a misspelt name in `.env` from another tool's variable. */
export const SLACK_SETTINGS: readonly string[] = Object.keys(SlackEnvSchema.shape);

/**
 * Reads the Slack settings from `env`. Undefined when `SLACK_BOT_TOKEN` is unset (Slack is not configured);
 * otherwise Socket Mode when `SLACK_APP_TOKEN` is set, else HTTP mode on `PORT` (default 3000). Every bad
 * variable is reported in one message, by name, without echoing a secret.
 */
export function loadSlackConfig(env: NodeJS.ProcessEnv): Result<SlackConfig | undefined> {
  const parsed = SlackEnvSchema.safeParse(env);
  const problems = [...(parsed.success ? [] : settingProblems(parsed.error)), ...missingCompanions(env)];
  if (!parsed.success || problems.length > 0) return fail(formatSettingProblems('Invalid Slack configuration:', problems, env));
  const e = parsed.data;
  if (!e.SLACK_BOT_TOKEN) return ok(undefined);
  const transport: SlackTransport = e.SLACK_APP_TOKEN
    ? { mode: 'socket', appToken: e.SLACK_APP_TOKEN }
    : { mode: 'http', signingSecret: e.SLACK_SIGNING_SECRET!, port: e.PORT ?? 3000 };
  return ok({
    botToken: e.SLACK_BOT_TOKEN,
    transport,
    ...(e.SLACK_API_URL ? { apiUrl: e.SLACK_API_URL } : {}),
    tipChannels: e.SLACK_TIP_CHANNELS ?? [],
    retry: DEFAULT_RETRY,
  });
}
