import type { Adapter } from '../../src/adapter.js';
import type { TipPoster } from '../../src/tips/scheduler.js';
import { DiscordAdapter, type DiscordAdapterOptions } from './client.js';

export { registerDiscordCommands } from './commands.js';
export { DISCORD_SETTINGS, loadDiscordConfig, type DiscordConfig } from './config.js';
export type { DiscordAdapterOptions };

/**
 * The Discord adapter: slash commands with autocomplete, mentions and DMs answered as embeds with buttons.
 * `start()` logs in and resolves once the client is ready, or rejects with what to fix (a refused token, an
 * unreachable API); `stop()` destroys the client. It is also the `poster` of a `TipScheduler` whose channels
 * are `config.tipChannels`; start the scheduler after `start()` resolves.
 */
export function createDiscordAdapter(options: DiscordAdapterOptions): Adapter & TipPoster {
  return new DiscordAdapter(options);
}
