import type { Adapter, AdapterObserver } from '../src/adapter.js';
import type { Bot } from '../src/bot.js';
import type { DigestSchedule, TipSchedule } from '../src/config.js';
import { DigestScheduler } from '../src/digest/schedule.js';
import type { Logger } from '../src/log.js';
import type { Reply } from '../src/reply.js';
import { fail, ok, type Result } from '../src/result.js';
import { startHousekeeping } from '../src/store/housekeeping.js';
import type { Store } from '../src/store/store.js';
import type { TipRotation } from '../src/tips/rotation.js';
import { TipScheduler, type TipPoster } from '../src/tips/scheduler.js';
import type { Tip } from '../src/tips/tip.js';
// Only the settings here: each platform's SDK is imported when that platform runs, so a command that
// serves no platform (ask, kubectl, tip, the terminal chat) never pays seconds to load Bolt or discord.js.
import { DISCORD_SETTINGS, loadDiscordConfig, type DiscordConfig } from '../adapters/discord/config.js';
import { loadSlackConfig, SLACK_SETTINGS, type SlackConfig } from '../adapters/slack/config.js';
import { DIGEST_SETTINGS, loadDigestChannels, type DigestChannels } from './digest-channels.js';

/** The chat platforms the environment sets up; each is absent when its token is unset. */
export interface Platforms {
  slack?: SlackConfig;
  discord?: DiscordConfig;
  /** Where the maintainers' digest goes on each platform (DIGEST_CHANNELS). */
  digestChannels: DigestChannels;
}

/** Whether any chat platform is set up. */
export const anyPlatform = (platforms: Platforms): boolean => platforms.slack !== undefined || platforms.discord !== undefined;

/** What to set when nothing is: the command line shows it when there is no terminal to chat in either. */
export const HOW_TO_CONFIGURE = `Set SLACK_BOT_TOKEN (with SLACK_APP_TOKEN for Socket Mode, or SLACK_SIGNING_SECRET for HTTP)
  for Slack, or DISCORD_TOKEN and DISCORD_APPLICATION_ID for Discord (see .env.example).`;

/** Runs a platform subcommand (one of `PLATFORM_COMMANDS`); resolves to a message for stdout, or an error for stderr and its exit code. */
export async function runPlatformCommand(name: string, args: string[], platforms: Platforms, log: Logger): Promise<Result<string, { message: string; code: number }>> {
  if (name !== 'discord' || args[0] !== 'register') return fail({ message: 'Usage: k8s-notes-bot discord register', code: 2 });
  if (!platforms.discord) {
    return fail({ message: 'Discord is not configured: set DISCORD_TOKEN and DISCORD_APPLICATION_ID (and DISCORD_GUILD_ID to register to one server).', code: 2 });
  }
  const { registerDiscordCommands } = await import('../adapters/discord/commands.js');
  const result = await registerDiscordCommands(platforms.discord, log);
  if (!result.ok) return fail({ message: result.error, code: 1 });
  return ok(`Registered ${result.value.count} commands (${result.value.scope === 'guild' ? `guild ${platforms.discord.guildId}` : 'global'}).`);
}

/** Every setting a platform reads from the environment. */
export const PLATFORM_SETTINGS: readonly string[] = [...SLACK_SETTINGS, ...DISCORD_SETTINGS, ...DIGEST_SETTINGS];

/** Reads every platform's settings at once, so one message names every bad variable of every platform. */
export function configuredPlatforms(env: NodeJS.ProcessEnv): Result<Platforms> {
  const slack = loadSlackConfig(env);
  const discord = loadDiscordConfig(env);
  const digestChannels = loadDigestChannels(env);
  const errors = [slack, discord, digestChannels].flatMap((r) => (r.ok ? [] : [r.error]));
  if (errors.length || !digestChannels.ok) return fail(errors.join('\n'));
  return ok({
    ...(slack.ok && slack.value ? { slack: slack.value } : {}),
    ...(discord.ok && discord.value ? { discord: discord.value } : {}),
    digestChannels: digestChannels.value,
  });
}

const PLATFORM_NAMES: Readonly<Record<keyof DigestChannels, string>> = { slack: 'Slack', discord: 'Discord' };
const HOW_TO_SET_UP: Readonly<Record<keyof DigestChannels, string>> = {
  slack: 'set SLACK_BOT_TOKEN (with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET)',
  discord: 'set DISCORD_TOKEN and DISCORD_APPLICATION_ID',
};

/**
 * Whether every digest channel is on a platform that is set up: a digest nobody can post must stop start-up,
 * not vanish. Only `start` asks, so a one-shot command is not refused over a setting it does not use.
 */
export function checkDigestChannels(platforms: Platforms): Result<undefined> {
  const channels = platforms.digestChannels;
  const problems = (Object.keys(PLATFORM_NAMES) as (keyof DigestChannels)[])
    .filter((platform) => channels[platform].length > 0 && platforms[platform] === undefined)
    .map((platform) => {
      const entries = channels[platform].map((id) => `${platform}:${id}`).join(', ');
      return `DIGEST_CHANNELS lists ${entries}, but ${PLATFORM_NAMES[platform]} is not configured: ${HOW_TO_SET_UP[platform]}, or take ${channels[platform].length > 1 ? 'them' : 'it'} out of DIGEST_CHANNELS.`;
    });
  return problems.length ? fail(problems.join('\n')) : ok(undefined);
}

/** Watches each platform (the metrics do): its bot and tip poster wrapped, its adapter's reports heard. */
export interface PlatformWatch {
  bot(platform: string, bot: Bot): Bot;
  poster(platform: string, poster: TipPoster): TipPoster;
  observer(platform: string): AdapterObserver;
}

/** A bot and poster passed through unchanged, an adapter heard by no one. */
const UNWATCHED: PlatformWatch = { bot: (_, bot) => bot, poster: (_, poster) => poster, observer: () => ({}) };

export interface ServeOptions {
  bot: Bot;
  store: Store;
  platforms: Platforms;
  schedule: TipSchedule;
  /** When the maintainers' digest is posted, to each platform's `digestChannels`. */
  digest: DigestSchedule;
  rotation: TipRotation;
  render: (tip: Tip) => Reply;
  log: Logger;
  watch?: PlatformWatch;
}

/** The platforms being served. */
export interface Serving {
  /** Every adapter, connected. */
  adapters: readonly Adapter[];
  /**
   * Stops the tip and digest schedulers, so no post starts while its platform shuts down, then every platform: new
   * events are no longer taken, and answers in flight get up to `graceMs` to be posted.
   */
  stop(graceMs: number): Promise<void>;
}

/** Starts every configured platform and, for those with tip or digest channels, the tip of the day and the digest. */
export async function servePlatforms(options: ServeOptions): Promise<Serving> {
  const { store, platforms, log, watch = UNWATCHED } = options;
  const seen = (platform: string) => ({ bot: watch.bot(platform, options.bot), store, log: log.child({ platform }), observer: watch.observer(platform) });
  const running: { adapter: Adapter & TipPoster; tipChannels: string[]; digestChannels: string[] }[] = [];
  if (platforms.slack) {
    const { createSlackAdapter } = await import('../adapters/slack/index.js');
    running.push({ adapter: createSlackAdapter({ ...seen('slack'), config: platforms.slack }), tipChannels: platforms.slack.tipChannels, digestChannels: platforms.digestChannels.slack });
  }
  if (platforms.discord) {
    const { createDiscordAdapter } = await import('../adapters/discord/index.js');
    running.push({ adapter: createDiscordAdapter({ ...seen('discord'), config: platforms.discord }), tipChannels: platforms.discord.tipChannels, digestChannels: platforms.digestChannels.discord });
  }

  const started: Adapter[] = [];
  try {
    for (const { adapter } of running) {
      await adapter.start();
      started.push(adapter);
      log.info({ platform: adapter.name }, 'connected');
    }
  } catch (error) {
    await Promise.allSettled(started.map((a) => a.stop()));
    throw error;
  }

  const tipSchedulers = running
    .filter(({ tipChannels }) => tipChannels.length > 0)
    .map(({ adapter, tipChannels }) => {
      const scheduler = new TipScheduler({
        rotation: options.rotation,
        store,
        poster: watch.poster(adapter.name, adapter),
        channels: tipChannels,
        schedule: options.schedule,
        render: options.render,
        log: log.child({ platform: adapter.name, job: 'tip-of-the-day' }),
      });
      scheduler.start();
      log.info({ platform: adapter.name, channels: tipChannels.length, next: scheduler.next?.toISOString() }, 'tip of the day scheduled');
      return scheduler;
    });
  const digestSchedulers = running
    .filter(({ digestChannels }) => digestChannels.length > 0)
    .map(({ adapter, digestChannels }) => {
      const scheduler = new DigestScheduler({
        store,
        // Not through `watch.poster`: the metrics count tips of the day, and a weekly digest shows in the log.
        poster: adapter,
        channels: digestChannels,
        schedule: options.digest,
        log: log.child({ platform: adapter.name, job: 'digest' }),
      });
      scheduler.start();
      log.info({ platform: adapter.name, channels: digestChannels.length, next: scheduler.next?.toISOString() }, "maintainers' digest scheduled");
      return scheduler;
    });

  const housekeeping = startHousekeeping(store, log.child({ job: 'housekeeping' }));
  return {
    adapters: started,
    async stop(graceMs) {
      await Promise.all([...tipSchedulers.map((s) => s.stop()), ...digestSchedulers.map((s) => s.stop()), housekeeping.stop()]);
      await Promise.allSettled(started.map((a) => a.stop(graceMs)));
    },
  };
}
