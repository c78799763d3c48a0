import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { LIMITS } from '../../../adapters/slack/render.js';
import { WORKING_REACTION_AFTER_MS } from '../../../adapters/slack/app.js';
import type { Bot } from '../../../src/bot.js';
import { createLogger } from '../../../src/log.js';
import type { Reply } from '../../../src/reply.js';
import { tipReply } from '../../../src/tips/reply.js';
import { TipRotation } from '../../../src/tips/rotation.js';
import { TipScheduler } from '../../../src/tips/scheduler.js';
import { shippedLibrary } from '../../helpers.js';
import { BOT_USER_ID, eventCallback, GOOD_APP_TOKEN, signedPost } from './fake-slack.js';
import { blockTexts, everything } from './blocks.js';
import { SIGNING_SECRET, startHarness } from './harness.js';

const http = () => ({ mode: 'http' as const, signingSecret: SIGNING_SECRET, port: 0, host: '127.0.0.1' });

describe('Slack adapter start-up', () => {
  it('fails with a message naming SLACK_BOT_TOKEN when Slack refuses the bot token', async () => {
    const h = await startHarness({ transport: http, botToken: 'xoxb-0000-revoked' });
    try {
      await expect(h.adapter.start()).rejects.toThrow(/SLACK_BOT_TOKEN.*invalid_auth/);
      expect(h.logText()).not.toContain('xoxb-0000-revoked');
    } finally {
      await h.close();
    }
  });

  it('fails saying Slack cannot be reached when nothing answers at the API URL', async () => {
    const nowhere = createServer();
    await new Promise<void>((resolve) => nowhere.listen(0, '127.0.0.1', resolve));
    const apiUrl = `http://127.0.0.1:${(nowhere.address() as AddressInfo).port}/api/`;
    await new Promise<void>((resolve) => nowhere.close(() => resolve()));
    const h = await startHarness({ transport: http, apiUrl });
    try {
      await expect(h.adapter.start()).rejects.toThrow(`Cannot reach Slack's Web API at ${apiUrl} (SLACK_API_URL)`);
    } finally {
      await h.close();
    }
  });

  it('fails naming PORT when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const h = await startHarness({ transport: () => ({ mode: 'http', signingSecret: SIGNING_SECRET, port, host: '127.0.0.1' }) });
    try {
      await expect(h.adapter.start()).rejects.toThrow(`Port ${port} is in use: set PORT to a free port.`);
    } finally {
      await h.close();
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it('fails with a message naming SLACK_APP_TOKEN when Slack refuses the app token', async () => {
    const h = await startHarness({ transport: () => ({ mode: 'socket', appToken: 'xapp-1-A111-0000-revoked' }) });
    try {
      await expect(h.adapter.start()).rejects.toThrow(/SLACK_APP_TOKEN.*invalid_auth/);
      expect(h.logText()).not.toContain('xapp-1-A111-0000-revoked');
    } finally {
      await h.close();
    }
  });

  it('connects in Socket Mode with a good app token even when the HTTP settings are absent', async () => {
    const h = await startHarness({ transport: () => ({ mode: 'socket', appToken: GOOD_APP_TOKEN }) });
    try {
      await h.adapter.start();
      expect(h.adapter.address).toBeUndefined();
      expect(h.fake.connectedSockets).toBe(1);
    } finally {
      await h.close();
    }
  });
});

describe('Slack adapter: daily tips', () => {
  it('posts the tip of the day to each channel once, however often the scheduler starts', async () => {
    const h = await startHarness({ transport: http, tipChannels: ['C0TIPS0001', 'C0TIPS0002'] });
    try {
      await h.adapter.start();
      const library = shippedLibrary();
      const schedule = () =>
        new TipScheduler({
          rotation: new TipRotation(h.store, () => library.tips),
          store: h.store,
          poster: h.adapter,
          channels: ['C0TIPS0001', 'C0TIPS0002'],
          // Every minute, with an hour's catch-up: starting posts the run just missed.
          schedule: { cron: '* * * * *', timezone: 'UTC', catchupMs: 3_600_000, lang: 'en' },
          render: (tip) => tipReply(tip, 'en', library.resolve),
          log: createLogger('silent'),
          retryBaseMs: 10,
        });
      for (let run = 0; run < 2; run++) {
        const scheduler = schedule();
        scheduler.start();
        await vi.waitFor(() => expect(h.fake.callsOf('chat.postMessage')).toHaveLength(2));
        await scheduler.stop();
      }
      const posts = h.fake.callsOf('chat.postMessage').map((c) => c.args);
      expect(posts.map((p) => p.channel).sort()).toEqual(['C0TIPS0001', 'C0TIPS0002']);
      for (const post of posts) {
        expect(post.text).toContain('Tip of the day');
        expect(post.thread_ts).toBeUndefined();
        // Tips show placeholders such as <name>: they must arrive escaped, not as Slack links.
        expect(everything(post.blocks)).not.toMatch(/<name>/);
      }
    } finally {
      await h.close();
    }
  });

  it('rejects a refused post with the reason and what to do about it', async () => {
    const h = await startHarness({ transport: http });
    try {
      await h.adapter.start();
      h.fake.failNext('chat.postMessage', { status: 200, body: { ok: false, error: 'not_in_channel' } });
      const reply = await h.bot.handle({ text: '/tip', channel: 'C0TIPS0003' });
      await expect(h.adapter.post('C0TIPS0003', reply)).rejects.toThrow(/not_in_channel: invite the bot/);
    } finally {
      await h.close();
    }
  });
});

describe('Slack adapter: slow and long answers', () => {
  const slowBy = (ms: number) => (bot: Bot): Bot => ({
    ...bot,
    async handle(message) {
      if (message.text.includes('slowly')) await new Promise((resolve) => setTimeout(resolve, ms));
      return bot.handle(message);
    },
  });

  it('shows 👀 only while a slow answer is being worked on', async () => {
    const h = await startHarness({ transport: http, wrapBot: slowBy(WORKING_REACTION_AFTER_MS + 300) });
    try {
      await h.adapter.start();
      const url = `http://127.0.0.1:${h.adapter.address!.port}/slack/events`;
      const send = (text: string, ts: string) =>
        signedPost(url, JSON.stringify(eventCallback({ type: 'app_mention', user: 'UASKER001', text: `<@${BOT_USER_ID}> ${text}`, ts, channel: 'C0TEAM001' })), {
          secret: SIGNING_SECRET,
          contentType: 'application/json',
        });
      await send('what is a PVC', '1700003000.000001');
      await vi.waitFor(() => expect(h.fake.callsOf('chat.postMessage')).toHaveLength(1));
      expect(h.fake.callsOf('reactions.add')).toHaveLength(0);

      await send('what is a PVC, slowly', '1700003000.000002');
      await vi.waitFor(() => expect(h.fake.callsOf('reactions.remove')).toHaveLength(1), { timeout: 4000 });
      const methods = h.fake.calls.map((c) => c.method).filter((m) => m !== 'auth.test');
      expect(methods.slice(-3)).toEqual(['reactions.add', 'chat.postMessage', 'reactions.remove']);
      expect(h.fake.callsOf('reactions.add')[0]!.args).toMatchObject({ channel: 'C0TEAM001', timestamp: '1700003000.000002', name: 'eyes' });
    } finally {
      await h.close();
    }
  });

  it('splits a very long answer into blocks Slack accepts, code fences intact', async () => {
    const longReply: Reply = {
      kind: 'answer',
      lang: 'en',
      blocks: [
        { type: 'text', text: Array.from({ length: 120 }, (_, i) => `Line ${i}: ${'words '.repeat(12)}`).join('\n') },
        { type: 'code', lang: 'yaml', code: Array.from({ length: 400 }, (_, i) => `key${i}: value-${i} # ${'x'.repeat(20)}`).join('\n') },
      ],
      sources: [{ note: 'en/long.md', noteTitle: 'Long', section: ['Very long'], line: 1, score: 1, url: 'https://example.com/long' }],
      suggestions: [],
      actions: [{ type: 'feedback', answerId: 'en/long.md#L1' }],
    };
    const h = await startHarness({ transport: () => ({ mode: 'socket', appToken: GOOD_APP_TOKEN }), wrapBot: (bot) => ({ ...bot, handle: async () => longReply }) });
    try {
      await h.adapter.start();
      h.fake.sendEnvelope('events_api', eventCallback({ type: 'message', channel_type: 'im', user: 'UASKER001', text: 'tell me everything', ts: '1700004000.000001', channel: 'D0LONG0001' }));
      const post = await vi.waitFor(() => {
        const found = h.fake.callsOf('chat.postMessage')[0];
        expect(found).toBeDefined();
        return found!.args;
      });
      const blocks = post.blocks as unknown[];
      const texts = blockTexts(blocks);
      expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
      expect(texts.every((t) => t.length <= LIMITS.sectionText)).toBe(true);
      expect(texts.reduce((n, t) => n + t.length, 0)).toBeLessThanOrEqual(LIMITS.totalText);
      const code = texts.filter((t) => t.includes('key0:') || /^```key\d+/.test(t));
      expect(code.length).toBeGreaterThan(0);
      for (const fenced of texts.filter((t) => t.startsWith('```'))) expect(fenced).toMatch(/^```[^`][\s\S]*```$/);
      expect(texts).toContain('_Shortened to fit in Slack: the source has the rest._');
      expect(texts.some((t) => t.includes('<https://example.com/long|Long › Very long>'))).toBe(true);
      expect((post.text as string).length).toBeLessThanOrEqual(LIMITS.fallbackText);
    } finally {
      await h.close();
    }
  });
});
