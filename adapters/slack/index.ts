/**
 * The Slack adapter. `loadSlackConfig` reads its settings from the environment (undefined when Slack is not
 * configured); `createSlackAdapter` builds an `Adapter` that is also the `TipPoster` for the daily tips:
 *
 * ```ts
 * const slack = loadSlackConfig(env);                    // Result<SlackConfig | undefined>
 * if (slack.ok && slack.value) {
 *   const adapter = createSlackAdapter({ bot, store, config: slack.value, log });
 *   await adapter.start();                               // rejects with a message naming the variable to fix
 *   new TipScheduler({ poster: adapter, channels: slack.value.tipChannels, ...rest }).start();
 * }
 * ```
 *
 * See README.md here for installing the app from manifest.yaml.
 */
export { createSlackAdapter, SlackAdapter, type SlackAdapterOptions } from './app.js';
export { loadSlackConfig, SLACK_SETTINGS, type SlackConfig, type SlackTransport } from './config.js';
