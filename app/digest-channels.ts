import { z } from 'zod';
import { DISCORD_ID } from '../adapters/discord/config.js';
import { SLACK_CHANNEL_ID } from '../adapters/slack/config.js';
import { fail, ok, type Result } from '../src/result.js';
import { formatSettingProblems, looksSecret, settingProblems } from '../src/setting-problems.js';

/**
 * DIGEST_CHANNELS: where the maintainers' digest is posted. One setting for every platform, so it is read
 * here, where both platforms' channel ids are known, rather than by the core or by either adapter.
 */

/** Where the maintainers' digest is posted: channel ids by platform. */
export interface DigestChannels {
  slack: string[];
  discord: string[];
}

const PLATFORM_PREFIX = /^(slack|discord):(.*)$/i;

/** An entry's platform and id, or why it is neither platform's channel id. */
function digestChannel(entry: string): { platform: keyof DigestChannels; id: string } | { problem: string } {
  // A token pasted into the list is pointed out, never echoed.
  if (looksSecret(entry)) return { problem: 'an entry that looks like a token' };
  const prefixed = PLATFORM_PREFIX.exec(entry);
  if (prefixed) {
    const platform = prefixed[1]!.toLowerCase() as keyof DigestChannels;
    const id = prefixed[2]!.trim();
    if (platform === 'slack') return SLACK_CHANNEL_ID.test(id) ? { platform, id } : { problem: `"${entry}" is not a Slack channel id such as C0123456789` };
    return DISCORD_ID.test(id) ? { platform, id } : { problem: `"${entry}" is not a Discord channel id (17 to 20 digits)` };
  }
  if (SLACK_CHANNEL_ID.test(entry)) return { platform: 'slack', id: entry };
  if (DISCORD_ID.test(entry)) return { platform: 'discord', id: entry };
  return { problem: `"${entry}" is not a channel id` };
}

/**
 * Comma-separated channel ids, each told Slack's or Discord's by its shape (or by a `slack:` or `discord:` in
 * front); one complaint names every entry that is neither, so one edit fixes them all.
 */
const DigestChannelsSchema = z.string({ error: 'expected channel ids, comma-separated' }).transform((value, ctx): DigestChannels => {
  const channels: DigestChannels = { slack: [], discord: [] };
  const problems: string[] = [];
  for (const entry of value.split(',').map((e) => e.trim()).filter(Boolean)) {
    const read = digestChannel(entry);
    if ('problem' in read) problems.push(read.problem);
    // Listed twice (C0123 and slack:C0123) is still one channel that gets one digest.
    else if (!channels[read.platform].includes(read.id)) channels[read.platform].push(read.id);
  }
  if (problems.length === 0) return channels;
  ctx.addIssue(`${problems.join('; ')}: expected Slack ids such as C0123456789 or Discord ids of 17 to 20 digits, comma-separated, each optionally written slack:C0123456789 or discord:123456789012345678 (an id, not a #name)`);
  return z.NEVER;
});

const DigestEnvSchema = z.object({ DIGEST_CHANNELS: DigestChannelsSchema.optional() });

/** The settings read here, for telling a misspelt name in `.env` from another tool's variable. */
export const DIGEST_SETTINGS: readonly string[] = Object.keys(DigestEnvSchema.shape);

/** DIGEST_CHANNELS read from `env`: none when it is unset or empty, else every entry by platform. */
export function loadDigestChannels(env: NodeJS.ProcessEnv): Result<DigestChannels> {
  const parsed = DigestEnvSchema.safeParse(env);
  if (!parsed.success) return fail(formatSettingProblems('Invalid digest configuration:', settingProblems(parsed.error), env));
  return ok(parsed.data.DIGEST_CHANNELS ?? { slack: [], discord: [] });
}
