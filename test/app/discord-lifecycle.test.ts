import { describe, expect, it, vi } from 'vitest';
import { createDiscordAdapter } from '../../adapters/discord/index.js';
import { createBot, type Bot } from '../../src/bot.js';
import { createLogger } from '../../src/log.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { FakeDiscord, IDS, TOKEN } from '../adapters/discord/fake-discord.js';
import { messageCreate } from '../adapters/discord/payloads.js';
import { shippedLibrary, tempFolder } from '../helpers.js';

/**
 * What readiness and a clean stop need from the Discord adapter, through the real discord.js against the
 * fake Discord: whether the gateway is ready, what it reports, and a stop that lets an answer finish.
 */
describe('Discord adapter lifecycle', () => {
  it('is connected once ready, answers an event two replicas both get once, and on stop finishes the answer in flight but takes no new one', async () => {
    const fake = await FakeDiscord.start();
    const opened = openSqliteStore(tempFolder({}));
    if (!opened.ok) throw new Error(opened.error);
    const store = opened.value;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let slowStarted = false;
    const real = createBot(shippedLibrary(), { store });
    const bot: Bot = {
      ...real,
      async handle(message) {
        if (message.text.includes('slowly')) {
          slowStarted = true;
          await held;
        }
        return real.handle(message);
      },
    };
    const seen: string[] = [];
    const replica = (answering: Bot) =>
      createDiscordAdapter({
        bot: answering,
        store,
        config: { token: TOKEN, applicationId: IDS.application, apiUrl: fake.apiUrl, tipChannels: [] },
        log: createLogger('silent'),
        observer: { reconnecting: () => seen.push('reconnecting'), rateLimited: () => seen.push('rate limited'), deduplicated: () => seen.push('deduplicated') },
      });
    const adapter = replica(bot);
    // A second replica on the same token and store gets every event too; only one of them may answer.
    const other = replica(real);
    const dmReplies = () => fake.find('POST', new RegExp(`^/channels/${IDS.dmChannel}/messages$`));
    try {
      expect(adapter.connected?.()).toBe(false);
      await adapter.start();
      expect(adapter.connected?.()).toBe(true);

      await other.start();
      fake.dispatch('MESSAGE_CREATE', messageCreate('what is a PVC', { dm: true }));
      await vi.waitFor(() => expect(dmReplies()).toHaveLength(1));
      await vi.waitFor(() => expect(seen).toEqual(['deduplicated']));
      await other.stop();

      fake.dispatch('MESSAGE_CREATE', messageCreate('what is a PVC, slowly', { dm: true }));
      await vi.waitFor(() => expect(slowStarted).toBe(true));
      const stopped = adapter.stop(5_000);
      expect(adapter.connected?.()).toBe(false);
      fake.dispatch('MESSAGE_CREATE', messageCreate('what is a Service', { dm: true }));
      await new Promise((resolve) => setTimeout(resolve, 200));
      release();
      await stopped;
      const bodies = dmReplies().map((r) => JSON.stringify(r.body));
      expect(bodies).toHaveLength(2);
      expect(bodies[1]).toMatch(/PersistentVolumeClaim|PVC/);
      // Closing on stop is not a lost connection.
      expect(seen).toEqual(['deduplicated']);
    } finally {
      release();
      await adapter.stop();
      await other.stop();
      await fake.close();
      await store.close();
    }
  }, 20_000);
});
