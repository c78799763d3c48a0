import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createSlackAdapter, type SlackAdapter } from '../../../adapters/slack/index.js';
import type { SlackConfig, SlackTransport } from '../../../adapters/slack/config.js';
import { createBot, type Bot } from '../../../src/bot.js';
import { createLogger } from '../../../src/log.js';
import { openSqliteStore } from '../../../src/store/sqlite.js';
import type { Store } from '../../../src/store/store.js';
import { TipRotation } from '../../../src/tips/rotation.js';
import { shippedLibrary } from '../../helpers.js';
import { FakeSlack, GOOD_BOT_TOKEN } from './fake-slack.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';

/** Everything one test file needs: a fake Slack, a real store and bot, the adapter, and the log it wrote. */
export interface Harness {
  fake: FakeSlack;
  store: Store;
  dataDir: string;
  bot: Bot;
  adapter: SlackAdapter;
  /** Every log line so far, as written (JSON lines). */
  logText(): string;
  close(): Promise<void>;
}

export interface HarnessOptions {
  transport: (fake: FakeSlack) => SlackTransport;
  botToken?: string;
  /** Another Web API root than the fake's, e.g. one nothing listens on. */
  apiUrl?: string;
  tipChannels?: string[];
  /** Wraps the real bot, e.g. to slow one answer down or return a very long one. */
  wrapBot?: (bot: Bot) => Bot;
  /** Requests one person may make a minute; without it, no limit. */
  rateLimitPerMinute?: number;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const fake = await FakeSlack.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'k8s-notes-bot-slack-'));
  const opened = openSqliteStore(dataDir);
  if (!opened.ok) throw new Error(opened.error);
  const store = opened.value;
  const library = shippedLibrary();
  const rotation = new TipRotation(store, () => library.tips);
  const bot = (options.wrapBot ?? ((b) => b))(createBot(library, { store, rotation, tipLang: 'en', rateLimitPerMinute: options.rateLimitPerMinute ?? 0 }));
  const sink = new PassThrough();
  let logged = '';
  sink.on('data', (chunk) => (logged += String(chunk)));
  const config: SlackConfig = {
    botToken: options.botToken ?? GOOD_BOT_TOKEN,
    transport: options.transport(fake),
    apiUrl: options.apiUrl ?? fake.apiUrl,
    tipChannels: options.tipChannels ?? [],
    // One quick retry: enough to see a 429 retried, fast when a test makes a call fail.
    retry: { retries: 1, minTimeout: 10, maxTimeout: 10 },
  };
  const adapter = createSlackAdapter({ bot, store, config, log: createLogger('debug', sink) });
  return {
    fake,
    store,
    dataDir,
    bot,
    adapter,
    logText: () => logged,
    async close() {
      await adapter.stop();
      await fake.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
