import { Writable } from 'node:stream';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDiscordAdapter, type DiscordConfig } from '../../../adapters/discord/index.js';
import { DISCORD_LIMITS, renderReply } from '../../../adapters/discord/render.js';
import type { Adapter } from '../../../src/adapter.js';
import { createBot, type Bot, type BotOptions } from '../../../src/bot.js';
import { createLogger, type Logger } from '../../../src/log.js';
import type { Reply } from '../../../src/reply.js';
import { DATABASE_FILE, openSqliteStore } from '../../../src/store/sqlite.js';
import type { Store } from '../../../src/store/store.js';
import { tipReply } from '../../../src/tips/reply.js';
import { TipRotation } from '../../../src/tips/rotation.js';
import { TipScheduler, type TipPoster } from '../../../src/tips/scheduler.js';
import { shippedLibrary, tempFolder } from '../../helpers.js';
import { FakeDiscord, IDS, TOKEN, type RecordedRequest } from './fake-discord.js';
import { autocomplete, buttonPress, messageCreate, slashCommand } from './payloads.js';

/** Log lines written so far, as one string, for assertions about what a log may and may not contain. */
function captureLog(): { log: Logger; text: () => string } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger('debug', sink), text: () => lines.join('') };
}

const callbackOf = (fake: FakeDiscord, interaction: { id: string }) => async (): Promise<RecordedRequest> => {
  const found = fake.find('POST', new RegExp(`^/interactions/${interaction.id}/[^/]+/callback$`));
  expect(found).toHaveLength(1);
  return found[0]!;
};

const repliesIn = (fake: FakeDiscord, channel: string) => fake.find('POST', new RegExp(`^/channels/${channel}/messages$`));

const descriptions = (body: any): string => (body.embeds as { description?: string }[]).map((e) => e.description ?? '').join('\n');

/** The custom ids of every button in a message. */
const customIds = (body: any): string[] => (body.components as { components: { custom_id?: string }[] }[]).flatMap((row) => row.components.map((c) => c.custom_id ?? ''));

/**
 * What an interaction was answered with: the callback's message, or, when a loaded machine made the adapter
 * defer, the message edited in afterwards.
 */
const shown = (fake: FakeDiscord, interaction: { id: string; token: string }) => async (): Promise<any> => {
  const { body } = await callbackOf(fake, interaction)();
  if (body.type === 4) return body.data;
  const [edit] = fake.find('PATCH', new RegExp(`^/webhooks/${IDS.application}/${interaction.token}/messages/@original$`));
  expect(edit).toBeDefined();
  return edit!.body;
};

describe('Discord adapter against a fake Discord', () => {
  let fake: FakeDiscord;
  let store: Store;
  let dataDir: string;
  let bot: Bot;
  let adapter: Adapter & TipPoster;
  let config: DiscordConfig;
  const logs = captureLog();

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    dataDir = tempFolder({});
    const opened = openSqliteStore(dataDir);
    if (!opened.ok) throw new Error(opened.error);
    store = opened.value;
    bot = createBot(shippedLibrary(), { store, rotation: new TipRotation(store, () => shippedLibrary().tips), timezone: 'UTC' });
    config = { token: TOKEN, applicationId: IDS.application, apiUrl: fake.apiUrl, tipChannels: [IDS.tipChannel, IDS.otherTipChannel] };
    adapter = createDiscordAdapter({ bot, store, config, log: logs.log });
    await adapter.start();
  });

  afterAll(async () => {
    await adapter?.stop();
    await fake?.close();
    store?.close();
  });

  it('logs in over the fake gateway with the token from the config', () => {
    expect(fake.identifyTokens).toEqual([TOKEN]);
    expect(fake.find('GET', /^\/gateway\/bot$/)[0]!.authorization).toBe(`Bot ${TOKEN}`);
  });

  it('answers /k8s with an embed, numbered sources, suggestion and vote buttons', async () => {
    const interaction = slashCommand('k8s', { question: 'how do I roll back to a revision' });
    fake.dispatch('INTERACTION_CREATE', interaction);
    const { body, authorization } = await vi.waitFor(callbackOf(fake, interaction));
    expect(authorization).toBeUndefined();
    expect(body.type).toBe(4);
    expect(body.data.flags ?? 0).toBe(0);
    const [embed] = body.data.embeds;
    expect(embed.description).toContain('--to-revision');
    expect(embed.fields[0].name).toMatch(/^1\. Deployments and rollouts › /);
    expect(embed.fields[0].value).toContain('en/07-deployment.md:');
    const [suggestions, votes] = body.data.components;
    // A suggestion button asks for its section again, by the heading it shows.
    const [suggestion] = suggestions.components;
    expect(suggestion.type).toBe(2);
    const section = suggestion.label.match(/^Deployments and rollouts › (.+)$/)?.[1];
    expect(suggestion.custom_id).toBe(`ask:en:${section}`);
    // The answer is part of its section, so "show the whole section" sits beside the votes.
    expect(votes.components.map((b: any) => b.custom_id)).toEqual([
      expect.stringMatching(/^vote:up:en\/07-deployment\.md#L\d+$/),
      expect.stringMatching(/^vote:down:/),
      expect.stringMatching(/^more:en\/07-deployment\.md#L\d+$/),
    ]);
    expect(body.data.allowed_mentions).toEqual({ parse: [] });
  });

  it('answers /kubectl in the locale of the person, privately when asked', async () => {
    const interaction = slashCommand('kubectl', { query: 'rollout undo', private: true }, { locale: 'zh-CN' });
    fake.dispatch('INTERACTION_CREATE', interaction);
    const { body } = await vi.waitFor(callbackOf(fake, interaction));
    expect(body.type).toBe(4);
    expect(body.data.flags).toBe(64);
    const text = descriptions(body.data);
    expect(text).toContain('**kubectl rollout undo**');
    expect(text).toMatch(/版本/);
    expect(text).toContain('```sh\n');
  });

  it('offers autocomplete choices from the command catalog for a partial and for a typo', async () => {
    const partial = autocomplete('kubectl', 'roll');
    const typo = autocomplete('kubectl', 'rolout', { locale: 'zh-CN' });
    fake.dispatch('INTERACTION_CREATE', partial);
    fake.dispatch('INTERACTION_CREATE', typo);
    const forPartial = (await vi.waitFor(callbackOf(fake, partial))).body;
    const forTypo = (await vi.waitFor(callbackOf(fake, typo))).body;
    expect(forPartial.type).toBe(8);
    expect(forPartial.data.choices.map((c: any) => c.value)).toContain('rollout undo');
    expect(forTypo.data.choices.map((c: any) => c.value)).toContain('rollout undo');
    for (const choice of [...forPartial.data.choices, ...forTypo.data.choices]) {
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(choice.name.startsWith(`${choice.value}: `)).toBe(true);
    }
    expect(forPartial.data.choices.length).toBeLessThanOrEqual(25);
    expect(forTypo.data.choices.find((c: any) => c.value === 'rollout undo').name).toMatch(/[\u4e00-\u9fff]/);
  });

  it('answers /tip with the tip of the day for the channel, in the locale', async () => {
    const interaction = slashCommand('tip', {}, { locale: 'zh-CN' });
    fake.dispatch('INTERACTION_CREATE', interaction);
    const { body } = await vi.waitFor(callbackOf(fake, interaction));
    // The rotation remembers the channel's tip of the day, so asking again gives the same one.
    expect(body.data.embeds).toEqual(renderReply(await bot.request({ type: 'tip', channel: IDS.channel, lang: 'zh' }))[0]!.embeds);
    expect(descriptions(body.data)).toContain('💡');
  });

  it('answers a mention in a channel as a reply to that message', async () => {
    const before = repliesIn(fake, IDS.channel).length;
    const ignored = messageCreate('how do I roll back to a revision', { mention: false });
    const asked = messageCreate(`<@${IDS.bot}> how do I roll back to a revision`);
    fake.dispatch('MESSAGE_CREATE', ignored);
    fake.dispatch('MESSAGE_CREATE', asked);
    await vi.waitFor(() => expect(repliesIn(fake, IDS.channel).length).toBeGreaterThan(before));
    const sent = repliesIn(fake, IDS.channel).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body.message_reference).toMatchObject({ message_id: asked.id });
    expect(descriptions(sent[0]!.body)).toContain('--to-revision');
    expect(sent[0]!.body.allowed_mentions).toEqual({ parse: [] });
  });

  it('answers a DM in the DM', async () => {
    const asked = messageCreate('what is a PVC', { dm: true });
    fake.dispatch('MESSAGE_CREATE', asked);
    await vi.waitFor(() => expect(repliesIn(fake, IDS.dmChannel)).toHaveLength(1));
    const [sent] = repliesIn(fake, IDS.dmChannel);
    expect(sent!.body.message_reference).toBeUndefined();
    expect(descriptions(sent!.body)).toMatch(/PersistentVolumeClaim|PVC/);
  });

  it('answers a slash command used in a DM with the bot', async () => {
    const interaction = slashCommand('docker', { query: 'ps' }, { dm: true });
    fake.dispatch('INTERACTION_CREATE', interaction);
    const { body } = await vi.waitFor(callbackOf(fake, interaction));
    expect(body.type).toBe(4);
    expect(descriptions(body.data)).toContain('**docker ps**');
  });

  it('asks a suggestion when its button is pressed, and records a vote from 👍', async () => {
    const ask = buttonPress('ask:en:Rolling update');
    fake.dispatch('INTERACTION_CREATE', ask);
    const asked = (await vi.waitFor(callbackOf(fake, ask))).body;
    expect(asked.type).toBe(4);
    expect(descriptions(asked.data)).toMatch(/rolling update/i);

    const vote = buttonPress('vote:up:en/07-deployment.md#L65');
    fake.dispatch('INTERACTION_CREATE', vote);
    const thanked = (await vi.waitFor(callbackOf(fake, vote))).body;
    expect(thanked.data).toMatchObject({ embeds: [{ description: 'Thanks, your feedback is recorded.' }], flags: 64 });
    await store.flush();
    const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
    try {
      expect(db.prepare('SELECT answer_id, vote, channel FROM feedback').all()).toEqual([{ answer_id: 'en/07-deployment.md#L65', vote: 1, channel: IDS.channel }]);
    } finally {
      db.close();
    }
  });

  it('shows the whole section an answer was cut from when its "more" button is pressed', async () => {
    const asked = slashCommand('k8s', { question: 'how do I roll back to a revision' });
    fake.dispatch('INTERACTION_CREATE', asked);
    const answer = await vi.waitFor(shown(fake, asked), { timeout: 10_000 });
    const moreId = customIds(answer).find((id) => id.startsWith('more:'));
    expect(moreId).toMatch(/^more:en\/07-deployment\.md#L\d+$/);
    // The answer stopped before the end of its section: these lines come later in it.
    expect(descriptions(answer)).not.toContain('rollout resume');
    expect(descriptions(answer)).not.toContain('kubernetes.io/change-cause');

    const press = buttonPress(moreId!);
    fake.dispatch('INTERACTION_CREATE', press);
    const section = await vi.waitFor(shown(fake, press), { timeout: 10_000 });
    expect(section.flags ?? 0).toBe(0);
    const text = descriptions(section);
    expect(text).toContain('--to-revision');
    expect(text).toContain('rollout resume');
    expect(text).toContain('kubernetes.io/change-cause');
    // The whole section has nothing more to show, and its votes are on the same answer.
    expect(customIds(section)).toEqual([`vote:up:${moreId!.slice(5)}`, `vote:down:${moreId!.slice(5)}`]);
  }, 30_000);

  it('neutralises @everyone echoed from a question and sends allowed_mentions with nothing to parse', async () => {
    const interaction = slashCommand('kubectl', { query: '@everyone <@&123456789012345678> frobnicate' });
    fake.dispatch('INTERACTION_CREATE', interaction);
    const { body } = await vi.waitFor(callbackOf(fake, interaction));
    expect(body.data.allowed_mentions).toEqual({ parse: [] });
    const text = descriptions(body.data);
    expect(text).toContain('@\u200beveryone');
    expect(JSON.stringify(body)).not.toMatch(/@everyone|<@&/);
  });

  it('posts a long reply as several messages, each within the embed limits', async () => {
    const long = 'Kubernetes keeps the desired state of every object and reconciles it. '.repeat(150);
    const reply: Reply = {
      kind: 'answer',
      lang: 'en',
      blocks: [
        { type: 'text', text: long },
        { type: 'code', lang: 'yaml', code: Array.from({ length: 400 }, (_, i) => `  key${i}: value${i}`).join('\n') },
      ],
      sources: [{ note: 'en/a.md', noteTitle: 'A', section: ['B'], line: 3, score: 1, url: 'https://example.com/a' }],
      suggestions: [],
      actions: [{ type: 'feedback', answerId: 'en/a.md#L3' }],
    };
    const before = repliesIn(fake, IDS.channel).length;
    await adapter.post(IDS.channel, reply);
    const sent = repliesIn(fake, IDS.channel).slice(before).map((r) => r.body);
    expect(sent.length).toBeGreaterThan(1);
    for (const message of sent) {
      const size = message.embeds.reduce((sum: number, e: any) => sum + (e.description?.length ?? 0) + (e.fields ?? []).reduce((s: number, f: any) => s + f.name.length + f.value.length, 0), 0);
      expect(size).toBeLessThanOrEqual(DISCORD_LIMITS.charactersPerMessage);
      for (const embed of message.embeds) expect(embed.description?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    }
    const all = sent.map(descriptions).join('\n');
    expect(all.replace(/\s+/g, ' ')).toContain(long.trim());
    expect(all).toContain('key0: value0');
    expect(all).toContain('key399: value399');
    expect(sent.at(-1).components).toHaveLength(1);
    expect(sent.slice(0, -1).every((m: any) => m.components.length === 0)).toBe(true);
  });

  it('fetches a tip channel the gateway did not announce, once, and names the setting for one Discord does not know', async () => {
    const tip = await bot.request({ type: 'tip', channel: IDS.uncachedChannel, lang: 'en' });
    await adapter.post(IDS.uncachedChannel, tip);
    await adapter.post(IDS.uncachedChannel, tip);
    // The first post fetched the channel; discord.js keeps what it fetched, so the second needs no lookup.
    expect(fake.find('GET', new RegExp(`^/channels/${IDS.uncachedChannel}$`))).toHaveLength(1);
    const sent = repliesIn(fake, IDS.uncachedChannel);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.body.embeds).toEqual(renderReply(tip)[0]!.embeds);
    expect(fake.find('GET', new RegExp(`^/channels/${IDS.tipChannel}$`))).toHaveLength(0);

    const unknown = '900000000000000099';
    await expect(adapter.post(unknown, tip)).rejects.toThrow(`Discord channel ${unknown} could not be fetched (Unknown Channel): check the id in DISCORD_TIP_CHANNELS`);
  });

  it('survives a REST 500 while answering and answers again once Discord recovers', async () => {
    fake.failWith('POST', new RegExp(`^/channels/${IDS.channel}/messages$`), 500);
    const failed = messageCreate(`<@${IDS.bot}> what is a pod`);
    fake.dispatch('MESSAGE_CREATE', failed);
    await vi.waitFor(() => expect(logs.text()).toContain('handling a Discord event failed'));
    fake.clearFailures();
    const before = repliesIn(fake, IDS.channel).length;
    fake.dispatch('MESSAGE_CREATE', messageCreate(`<@${IDS.bot}> what is a pod`));
    await vi.waitFor(() => expect(repliesIn(fake, IDS.channel).length).toBe(before + 1));
    // The failed message was forgotten, so a replay of it would be answered.
    expect(await store.claimEvent(`discord:message:${failed.id}`, Date.now())).toBe(true);
  });

  it('survives a failing interaction callback, and logs no token', async () => {
    fake.failWith('POST', /^\/interactions\//, 500);
    const interaction = slashCommand('k8s', { question: 'what is a pod' });
    fake.dispatch('INTERACTION_CREATE', interaction);
    await vi.waitFor(() => expect(logs.text()).toMatch(/"request":"POST \/api\/v10\/interactions\/\d+\/\[redacted\]\/callback"/));
    fake.clearFailures();
    const next = slashCommand('k8s', { question: 'what is a pod' });
    fake.dispatch('INTERACTION_CREATE', next);
    expect((await vi.waitFor(callbackOf(fake, next))).body.type).toBe(4);
    expect(logs.text()).not.toContain(TOKEN);
    expect(logs.text()).not.toContain(interaction.token);
  });

  it('posts the tip of the day to each tip channel once, also across a restart of the scheduler', async () => {
    const library = shippedLibrary();
    const schedulerFor = () =>
      new TipScheduler({
        rotation: new TipRotation(store, () => library.tips),
        store,
        poster: adapter,
        channels: config.tipChannels,
        schedule: { cron: '* * * * *', timezone: 'UTC', catchupMs: 3_600_000, lang: 'zh' },
        render: (tip) => tipReply(tip, 'zh', library.resolve),
        log: logs.log,
        retryBaseMs: 10,
      });
    const first = schedulerFor();
    first.start();
    await vi.waitFor(() => expect(config.tipChannels.map((c) => repliesIn(fake, c).length)).toEqual([1, 1]));
    await first.stop();
    const second = schedulerFor();
    second.start();
    await second.stop();
    expect(config.tipChannels.map((c) => repliesIn(fake, c).length)).toEqual([1, 1]);
    expect(descriptions(repliesIn(fake, IDS.tipChannel)[0]!.body)).toContain('```');
  });
});

describe('Discord adapter start-up', () => {
  it('rejects a bad token with a clear message that does not echo it', async () => {
    const fake = await FakeDiscord.start();
    const dir = tempFolder({});
    const opened = openSqliteStore(dir);
    if (!opened.ok) throw new Error(opened.error);
    const logs = captureLog();
    const wrong = 'd3Jvbmc.wrong-bot.token-value';
    const adapter = createDiscordAdapter({
      bot: createBot(shippedLibrary()),
      store: opened.value,
      config: { token: wrong, applicationId: IDS.application, apiUrl: fake.apiUrl, tipChannels: [] },
      log: logs.log,
    });
    try {
      const failure = await adapter.start().then(
        () => undefined,
        (error: Error) => error.message,
      );
      expect(failure).toMatch(/Discord rejected DISCORD_TOKEN/);
      expect(failure).not.toContain(wrong);
      expect(logs.text()).not.toContain(wrong);
    } finally {
      await adapter.stop();
      await fake.close();
      opened.value.close();
    }
  });
});

/** A fresh fake, store and bot for one test; `bot` may be wrapped to change its timing, and built with `options`. */
async function world(wrap: (bot: Bot) => Bot = (bot) => bot, options: Omit<BotOptions, 'store'> = {}) {
  const fake = await FakeDiscord.start();
  const opened = openSqliteStore(tempFolder({}));
  if (!opened.ok) throw new Error(opened.error);
  const store = opened.value;
  const bot = wrap(createBot(shippedLibrary(), { store, ...options }));
  const config: DiscordConfig = { token: TOKEN, applicationId: IDS.application, apiUrl: fake.apiUrl, tipChannels: [] };
  const adapters: (Adapter & TipPoster)[] = [];
  return {
    fake,
    async connect(): Promise<void> {
      const adapter = createDiscordAdapter({ bot, store, config, log: captureLog().log });
      adapters.push(adapter);
      await adapter.start();
    },
    async close(): Promise<void> {
      await Promise.all(adapters.map((a) => a.stop()));
      await fake.close();
      await store.close();
    },
  };
}

describe('Discord adapter timing and replicas', () => {
  it('defers an answer that takes longer than Discord allows, then edits it in', async () => {
    const slow = await world((bot) => ({
      ...bot,
      request: async (request) => {
        await new Promise((resolve) => setTimeout(resolve, 2_300));
        return bot.request(request);
      },
    }));
    try {
      await slow.connect();
      const interaction = slashCommand('k8s', { question: 'how do I roll back to a revision', private: true });
      slow.fake.dispatch('INTERACTION_CREATE', interaction);
      const deferred = (await vi.waitFor(callbackOf(slow.fake, interaction), { timeout: 3_000 })).body;
      expect(deferred).toMatchObject({ type: 5, data: { flags: 64 } });
      const edit = await vi.waitFor(
        () => {
          const [found] = slow.fake.find('PATCH', new RegExp(`^/webhooks/${IDS.application}/${interaction.token}/messages/@original$`));
          expect(found).toBeDefined();
          return found!;
        },
        { timeout: 3_000 },
      );
      expect(descriptions(edit.body)).toContain('--to-revision');
    } finally {
      await slow.close();
    }
  });

  it('answers a mention once when two replicas share the store', async () => {
    const shared = await world();
    try {
      await shared.connect();
      await shared.connect();
      const asked = messageCreate(`<@${IDS.bot}> what is a pod`);
      shared.fake.dispatch('MESSAGE_CREATE', asked);
      await vi.waitFor(() => expect(repliesIn(shared.fake, IDS.channel)).toHaveLength(1));
      // Give the other replica time to answer too, were it going to.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(repliesIn(shared.fake, IDS.channel)).toHaveLength(1);
    } finally {
      await shared.close();
    }
  });
});

/** A world whose bot lets one person make `limit` requests a minute, and the replies it gave, in order. */
async function limitedWorld(limit: number) {
  const replies: Reply[] = [];
  const keep = async (pending: Promise<Reply>) => {
    const reply = await pending;
    replies.push(reply);
    return reply;
  };
  const limited = await world((bot) => ({ ...bot, handle: (message) => keep(bot.handle(message)), request: (request) => keep(bot.request(request)) }), { rateLimitPerMinute: limit });
  await limited.connect();
  return { ...limited, replies };
}

describe('Discord adapter and the rate limit', () => {
  const NOTICE = "You've sent more than 2 requests in a minute";
  const dmsTo = (fake: FakeDiscord) => repliesIn(fake, IDS.dmChannel);

  it('answers mentions in a channel up to the limit, then sends one notice to the DMs, then nothing', async () => {
    const limited = await limitedWorld(2);
    try {
      for (const count of [1, 2]) {
        limited.fake.dispatch('MESSAGE_CREATE', messageCreate(`<@${IDS.bot}> how do I roll back to a revision`));
        await vi.waitFor(() => expect(repliesIn(limited.fake, IDS.channel)).toHaveLength(count), { timeout: 10_000 });
      }
      limited.fake.dispatch('MESSAGE_CREATE', messageCreate(`<@${IDS.bot}> what is a PVC`));
      await vi.waitFor(() => expect(dmsTo(limited.fake)).toHaveLength(1), { timeout: 10_000 });
      limited.fake.dispatch('MESSAGE_CREATE', messageCreate(`<@${IDS.bot}> what is a PVC`));
      await vi.waitFor(() => expect(limited.replies).toHaveLength(4), { timeout: 10_000 });
      // Time for the fourth to be posted, were it going to be.
      await new Promise((resolve) => setTimeout(resolve, 300));

      expect(limited.replies.map((r) => [r.kind, r.audience])).toEqual([
        ['answer', undefined],
        ['answer', undefined],
        ['limited', 'asker'],
        ['limited', 'nobody'],
      ]);
      expect(repliesIn(limited.fake, IDS.channel).map((r) => descriptions(r.body))).toEqual([expect.stringContaining('--to-revision'), expect.stringContaining('--to-revision')]);
      // The DM channel was opened for the person who asked, and the notice went there, not as a reply in #general.
      expect(limited.fake.find('POST', /^\/users\/@me\/channels$/).map((r) => r.body)).toEqual([{ recipient_id: IDS.user }]);
      const [notice] = dmsTo(limited.fake);
      expect(descriptions(notice!.body)).toContain(NOTICE);
      expect(notice!.body.message_reference).toBeUndefined();
      expect(dmsTo(limited.fake)).toHaveLength(1);
    } finally {
      await limited.close();
    }
  }, 30_000);

  it('answers slash commands up to the limit, then one ephemeral notice, then acknowledges and deletes', async () => {
    const limited = await limitedWorld(2);
    try {
      const commands = [1, 2, 3, 4].map(() => slashCommand('kubectl', { query: 'rollout undo' }));
      const bodies = [];
      for (const command of commands) {
        limited.fake.dispatch('INTERACTION_CREATE', command);
        bodies.push((await vi.waitFor(callbackOf(limited.fake, command), { timeout: 10_000 })).body);
      }
      const [first, second, notice, quiet] = bodies;
      for (const answered of [first, second]) {
        expect(answered.type).toBe(4);
        expect(answered.data.flags ?? 0).toBe(0);
        expect(descriptions(answered.data)).toContain('**kubectl rollout undo**');
      }
      expect(notice).toMatchObject({ type: 4, data: { flags: 64 } });
      expect(descriptions(notice.data)).toContain(NOTICE);
      // Nothing to say: the interaction is acknowledged privately, and the "thinking" message removed.
      expect(quiet).toEqual({ type: 5, data: { flags: 64 } });
      const token = commands[3]!.token;
      await vi.waitFor(() => expect(limited.fake.find('DELETE', new RegExp(`^/webhooks/${IDS.application}/${token}/messages/@original$`))).toHaveLength(1), { timeout: 10_000 });
      expect(limited.fake.find('PATCH', new RegExp(`^/webhooks/${IDS.application}/${token}/`))).toEqual([]);
      expect(limited.fake.find('POST', new RegExp(`^/webhooks/${IDS.application}/${token}$`))).toEqual([]);
      for (const earlier of commands.slice(0, 3)) expect(limited.fake.find('DELETE', new RegExp(`^/webhooks/${IDS.application}/${earlier.token}/`))).toEqual([]);
    } finally {
      await limited.close();
    }
  }, 30_000);

  it('keeps the notice private when a slow answer had to be deferred in public first', async () => {
    const slow = await world(
      (bot) => ({
        ...bot,
        request: async (request) => {
          await new Promise((resolve) => setTimeout(resolve, 2_300));
          return bot.request(request);
        },
      }),
      { rateLimitPerMinute: 1 },
    );
    try {
      await slow.connect();
      const answered = slashCommand('kubectl', { query: 'rollout undo' });
      slow.fake.dispatch('INTERACTION_CREATE', answered);
      await vi.waitFor(() => expect(slow.fake.find('PATCH', new RegExp(`^/webhooks/${IDS.application}/${answered.token}/messages/@original$`))).toHaveLength(1), { timeout: 10_000 });
      const over = slashCommand('kubectl', { query: 'rollout undo' });
      slow.fake.dispatch('INTERACTION_CREATE', over);
      expect((await vi.waitFor(callbackOf(slow.fake, over), { timeout: 10_000 })).body).toEqual({ type: 5, data: { flags: 0 } });
      const followUp = await vi.waitFor(
        () => {
          const [found] = slow.fake.find('POST', new RegExp(`^/webhooks/${IDS.application}/${over.token}$`));
          expect(found).toBeDefined();
          return found!;
        },
        { timeout: 10_000 },
      );
      // The public "thinking" message is gone, and the notice came as a message only the person sees.
      expect(slow.fake.find('DELETE', new RegExp(`^/webhooks/${IDS.application}/${over.token}/messages/@original$`))).toHaveLength(1);
      expect(slow.fake.find('PATCH', new RegExp(`^/webhooks/${IDS.application}/${over.token}/`))).toEqual([]);
      expect(followUp.body.flags).toBe(64);
      expect(descriptions(followUp.body)).toContain("You've sent more than 1 requests in a minute");
    } finally {
      await slow.close();
    }
  }, 30_000);
});
