import type { Adapter } from '../src/adapter.js';
import type { Bot } from '../src/bot.js';
import type { TipSchedule } from '../src/config.js';
import type { Logger } from '../src/log.js';
import { fail, ok, type Result } from '../src/result.js';
import type { Store } from '../src/store/store.js';
import { TipRotation } from '../src/tips/rotation.js';
import { TipScheduler, type TipPoster } from '../src/tips/scheduler.js';
import type { Tip } from '../src/tips/tip.js';
import { createDiscordAdapter, loadDiscordConfig, type DiscordConfig } from './discord/index.js';
import { createSlackAdapter, loadSlackConfig, type SlackConfig } from './slack/index.js';

/** The chat platforms the environment sets up; each is absent when its token is unset. */
export interface Platforms {
  slack?: SlackConfig;
  discord?: DiscordConfig;
}

/** Reads every platform's settings at once, so one message names every bad variable of every platform. */
export function configuredPlatforms(env: NodeJS.ProcessEnv): Result<Platforms> {
  const slack = loadSlackConfig(env);
  const discord = loadDiscordConfig(env);
  const errors = [slack, discord].flatMap((r) => (r.ok ? [] : [r.error]));
  if (errors.length) return fail(errors.join('\n'));
  return ok({
    ...(slack.ok && slack.value ? { slack: slack.value } : {}),
    ...(discord.ok && discord.value ? { discord: discord.value } : {}),
  });
}

export interface ServeOptions {
  bot: Bot;
  store: Store;
  platforms: Platforms;
  schedule: TipSchedule;
  tips: () => readonly Tip[];
  render: (tip: Tip) => ReturnType<Bot['tip']>;
  log: Logger;
}

/**
 * Starts every configured platform and, for those with tip channels, the tip of the day. Resolves to a
 * function that stops them all, schedulers first so no post starts while its platform shuts down.
 */
export async function servePlatforms(options: ServeOptions): Promise<() => Promise<void>> {
  const { bot, store, platforms, log } = options;
  const running: { adapter: Adapter & TipPoster; tipChannels: string[] }[] = [];
  if (platforms.slack) running.push({ adapter: createSlackAdapter({ bot, store, config: platforms.slack, log: log.child({ platform: 'slack' }) }), tipChannels: platforms.slack.tipChannels });
  if (platforms.discord) running.push({ adapter: createDiscordAdapter({ bot, store, config: platforms.discord, log: log.child({ platform: 'discord' }) }), tipChannels: platforms.discord.tipChannels });

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

  const rotation = new TipRotation(store, options.tips);
  const schedulers = running
    .filter(({ tipChannels }) => tipChannels.length > 0)
    .map(({ adapter, tipChannels }) => {
      const scheduler = new TipScheduler({
        rotation,
        store,
        poster: adapter,
        channels: tipChannels,
        schedule: options.schedule,
        render: options.render,
        log: log.child({ platform: adapter.name, job: 'tip-of-the-day' }),
      });
      scheduler.start();
      log.info({ platform: adapter.name, channels: tipChannels.length, next: scheduler.next?.toISOString() }, 'tip of the day scheduled');
      return scheduler;
    });

  return async () => {
    await Promise.all(schedulers.map((s) => s.stop()));
    await Promise.allSettled(started.map((a) => a.stop()));
  };
}
