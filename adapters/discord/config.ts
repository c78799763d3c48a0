import { z } from 'zod';
import { fail, ok, type Result } from '../../src/result.js';
import { formatSettingProblems, settingProblems } from '../../src/setting-problems.js';

const SNOWFLAKE = 'expected a Discord id (17 to 20 digits; Developer Mode > Copy ID)';
/** Discord ids are snowflakes: 64-bit integers written in decimal. */
/** Discord ids (of channels, guilds, applications) are snowflakes: 64-bit integers written in decimal. */
export const DISCORD_ID = /^\d{17,20}$/;
const SnowflakeSchema = z.string({ error: SNOWFLAKE }).trim().regex(DISCORD_ID, SNOWFLAKE);

// An empty value (`DISCORD_GUILD_ID=` copied from .env.example) means "not set", as in the core's settings.
const unsetWhenEmpty = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unsetWhenEmpty, schema.optional());

/** The settings the Discord adapter reads from the environment. */
const DiscordEnvSchema = z.object({
  DISCORD_TOKEN: z
    .string()
    .trim()
    // Bot tokens are three dot-separated base64url parts; "Bot " belongs in the header, not the setting.
    .regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, 'expected the bot token from Developer Portal > Bot > Reset Token, without a "Bot " prefix'),
  DISCORD_APPLICATION_ID: z.preprocess(
    unsetWhenEmpty,
    z
      .string({ error: 'needed with DISCORD_TOKEN: the Application ID from Developer Portal > your application > General Information' })
      .trim()
      .regex(/^\d{17,20}$/, 'expected the Application ID (17 to 20 digits) from Developer Portal > your application > General Information'),
  ),
  DISCORD_GUILD_ID: optional(SnowflakeSchema),
  DISCORD_API_URL: optional(z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as https://discord.com/api' })),
  DISCORD_TIP_CHANNELS: optional(
    z
      .string()
      .transform((v) => v.split(',').map((id) => id.trim()).filter(Boolean))
      .pipe(z.array(SnowflakeSchema).refine((ids) => new Set(ids).size === ids.length, 'a channel is listed twice')),
  ),
});

/** The names of the Discord settings, for telling a misspelt name in `.env` from another tool's variable. */
export const DISCORD_SETTINGS: readonly string[] = Object.keys(DiscordEnvSchema.shape);

/** A validated Discord set-up. */
export interface DiscordConfig {
  token: string;
  applicationId: string;
  /** Commands register to this guild only (instant updates while testing); otherwise globally. */
  guildId?: string;
  /** The REST base URL for discord.js's `rest.api`; unset means Discord itself. */
  apiUrl?: string;
  /** Channels that get the tip of the day. */
  tipChannels: string[];
}

/**
 * Reads the Discord settings: undefined when `DISCORD_TOKEN` is unset (Discord is not configured), otherwise
 * the validated settings, or one message naming every bad variable, never echoing the token.
 */
export function loadDiscordConfig(env: NodeJS.ProcessEnv): Result<DiscordConfig | undefined> {
  if (env.DISCORD_TOKEN === undefined || env.DISCORD_TOKEN.trim() === '') return ok(undefined);
  const parsed = DiscordEnvSchema.safeParse(env);
  if (!parsed.success) return fail(formatSettingProblems('Invalid Discord configuration:', settingProblems(parsed.error), env));
  const e = parsed.data;
  return ok({
    token: e.DISCORD_TOKEN,
    applicationId: e.DISCORD_APPLICATION_ID,
    ...(e.DISCORD_GUILD_ID ? { guildId: e.DISCORD_GUILD_ID } : {}),
    ...(e.DISCORD_API_URL ? { apiUrl: e.DISCORD_API_URL } : {}),
    tipChannels: e.DISCORD_TIP_CHANNELS ?? [],
  });
}
