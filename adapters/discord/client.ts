import {
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Partials,
  RESTEvents,
  Status,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
} from 'discord.js';
import { z } from 'zod';
import { EventDedupe, InFlight, type Adapter, type AdapterObserver } from '../../src/adapter.js';
import type { Bot } from '../../src/bot.js';
import type { Lang } from '../../src/lang.js';
import type { Logger } from '../../src/log.js';
import type { Reply } from '../../src/reply.js';
import type { Request } from '../../src/request.js';
import type { Store } from '../../src/store/store.js';
import { truncate } from '../../src/text-cut.js';
import type { TipPoster } from '../../src/tips/scheduler.js';
import { ButtonIdSchema } from './buttons.js';
import { CommandInputSchema, MAX_QUERY_LENGTH } from './commands.js';
import type { DiscordConfig } from './config.js';
import { describeDiscordError, explainLoginFailure } from './errors.js';
import { failureText, renderReply, type DiscordMessage } from './render.js';
import { within } from '../../src/within.js';

export interface DiscordAdapterOptions {
  bot: Bot;
  store: Store;
  config: DiscordConfig;
  log: Logger;
  /** Told of reconnects, rate-limit waits and replayed events answered before. */
  observer?: AdapterObserver;
}

/** Discord drops an interaction not acknowledged within 3 s; past this the answer is deferred first. */
const DEFER_AFTER_MS = 2_000;
/** Discord shows at most 25 autocomplete choices, each name and value at most 100 characters. */
const CHOICES = 25;
const CHOICE_TEXT_MAX = 100;

/** zh-CN, zh-TW -> zh; every other Discord locale -> en. */
const langOf = (locale: string): Lang => (locale.startsWith('zh') ? 'zh' : 'en');

/** The parts of a message event the adapter reads, checked before they reach the core. */
const MessageEventSchema = z.object({
  id: z.string().regex(/^\d+$/),
  channelId: z.string().regex(/^\d+$/),
  userId: z.string().regex(/^\d+$/),
  content: z.string().max(4000),
});

const AutocompleteSchema = z.object({
  command: z.enum(['kubectl', 'docker']),
  focused: z.string().max(MAX_QUERY_LENGTH),
});

/**
 * The Discord adapter: a gateway bot on non-privileged intents. Slash commands and their autocomplete,
 * messages that mention the bot and DMs (Discord includes the text of both without Message Content) go to
 * the core; replies come back as embeds with buttons. Implements `TipPoster` for the tips scheduler.
 */
export class DiscordAdapter implements Adapter, TipPoster {
  readonly name = 'discord';
  private readonly client: Client;
  private readonly inFlight = new InFlight();
  private readonly dedupe: EventDedupe;
  private stopping = false;

  constructor(private readonly options: DiscordAdapterOptions) {
    const { config, log } = options;
    // With several replicas on one token, each gets every event.
    this.dedupe = new EventDedupe(options.store, options.observer);
    this.client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages],
      // DM channels are not cached; without this partial their messages never arrive as events.
      partials: [Partials.Channel],
      // Nothing the bot sends may ping: not @everyone, roles, users, nor the person replied to.
      allowedMentions: { parse: [] },
      // A question deleted before its answer arrives still gets the answer, just not as a reply.
      failIfNotExists: false,
      ...(config.apiUrl ? { rest: { api: config.apiUrl } } : {}),
    });
    this.client.on(Events.InteractionCreate, (interaction) => void this.guard('interaction', () => this.onInteraction(interaction)));
    this.client.on(Events.MessageCreate, (message) => void this.guard('message', () => this.onMessage(message)));
    // Without an `error` listener an emitted error would end the process.
    this.client.on(Events.Error, (error) => log.error(describeDiscordError(error), 'Discord client error'));
    this.client.on(Events.Warn, (warning) => log.warn({ warning }, 'Discord client warning'));
    this.client.on(Events.ShardError, (error, shard) => log.error({ shard, ...describeDiscordError(error) }, 'Discord gateway error'));
    this.client.on(Events.ShardDisconnect, (event, shard) => log.error({ shard, code: event.code }, 'Discord gateway closed and will not reconnect'));
    this.client.on(Events.ShardReconnecting, (shard) => {
      // discord.js says this of the close that stop() makes, too; that one is no lost connection.
      if (this.stopping) return;
      log.warn({ shard }, 'Discord gateway reconnecting');
      options.observer?.reconnecting?.();
    });
    this.client.on(Events.ShardResume, (shard, replayed) => log.info({ shard, replayed }, 'Discord gateway resumed'));
    this.client.rest.on(RESTEvents.RateLimited, (info) => {
      log.warn({ route: info.route, retryAfterMs: info.retryAfter, global: info.global }, 'Discord rate limit hit');
      options.observer?.rateLimited?.();
    });
  }

  /** Logs in and resolves once the client is ready; rejects with what to fix (e.g. a bad token). */
  async start(): Promise<void> {
    const ready = new Promise<void>((resolve) => this.client.once(Events.ClientReady, () => resolve()));
    try {
      await this.client.login(this.options.config.token);
    } catch (error) {
      throw new Error(explainLoginFailure(error));
    }
    await ready;
    this.options.log.info({ user: this.client.user?.tag, guilds: this.client.guilds.cache.size }, 'connected to Discord');
  }

  /** Whether the gateway is ready on every shard, so events can arrive. */
  connected(): boolean {
    return !this.stopping && this.client.isReady() && this.client.ws.shards.every((shard) => shard.status === Status.Ready);
  }

  /**
   * Ignores new events, waits up to `graceMs` for the answers already being worked on (they need the
   * client's REST side), then closes the gateway.
   */
  async stop(graceMs?: number): Promise<void> {
    this.stopping = true;
    const unfinished = this.inFlight.size;
    if (!(await this.inFlight.drain(graceMs))) this.options.log.warn({ unfinished, graceMs }, 'stopped before every answer was posted');
    await this.client.destroy();
  }

  /**
   * Posts a reply (the tip of the day) to a channel; rejects when Discord refuses, so the scheduler retries.
   * A channel the gateway did not announce (not cached) is fetched with `GET /channels/:id`.
   */
  async post(channelId: string, reply: Reply): Promise<void> {
    const channel = await this.client.channels.fetch(channelId).catch((error: unknown) => {
      throw new Error(`Discord channel ${channelId} could not be fetched (${describeDiscordError(error).err}): check the id in DISCORD_TIP_CHANNELS or DIGEST_CHANNELS and that the bot can view that channel.`, { cause: error });
    });
    if (!channel?.isSendable()) throw new Error(`Discord channel ${channelId} cannot take messages from the bot: check the id in DISCORD_TIP_CHANNELS or DIGEST_CHANNELS and the bot's Send Messages permission there.`);
    for (const message of renderReply(reply)) await channel.send(message);
  }

  /** Runs an event handler so that no failure, from the core or from Discord, escapes to the process. */
  private async guard(kind: string, handle: () => Promise<void>): Promise<void> {
    // Once stopping, new events are left alone: only the answers already started are finished.
    if (this.stopping) return;
    try {
      await this.inFlight.track(handle());
    } catch (error) {
      this.options.log.error({ event: kind, ...describeDiscordError(error) }, 'handling a Discord event failed');
    }
  }

  private async onInteraction(interaction: Interaction): Promise<void> {
    // An interaction token is single-use: a second attempt could not answer it anyway.
    if (!(await this.dedupe.take(`discord:interaction:${interaction.id}`))) return;
    if (interaction.isAutocomplete()) return this.onAutocomplete(interaction);
    if (interaction.isChatInputCommand()) return this.onCommand(interaction);
    if (interaction.isButton()) return this.onButton(interaction);
  }

  /** Choices come from the command catalog in memory, well inside Discord's 3 s. */
  private async onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const input = AutocompleteSchema.safeParse({ command: interaction.commandName, focused: interaction.options.getFocused() });
    if (!input.success) {
      this.options.log.warn({ command: interaction.commandName }, 'dropped an autocomplete request the bot does not offer');
      return;
    }
    const choices = this.options.bot
      .completeCommand(input.data.command, input.data.focused, langOf(interaction.locale), CHOICES)
      .filter((c) => c.value.length <= CHOICE_TEXT_MAX)
      .map((c) => ({ name: truncate(c.label, CHOICE_TEXT_MAX), value: c.value }));
    await interaction.respond(choices);
  }

  private async onCommand(interaction: ChatInputCommandInteraction): Promise<void> {
    const parsed = CommandInputSchema.safeParse({
      name: interaction.commandName,
      ...Object.fromEntries(interaction.options.data.map((option) => [option.name, option.value])),
    });
    if (!parsed.success) {
      this.options.log.warn({ command: interaction.commandName, issues: parsed.error.issues.map((i) => i.message) }, 'dropped a slash command with unexpected options');
      return;
    }
    const command = parsed.data;
    const lang = langOf(interaction.locale);
    const request: Request =
      command.name === 'tip'
        ? { type: 'tip', lang }
        : command.name === 'k8s'
          ? // The question's own language decides the answer's, so a mixed zh/en team gets what it asked in.
            { type: 'ask', text: command.question }
          : // A command path reads the same in any language: the person's locale decides.
            { type: 'lookup', tool: command.name, query: command.query, lang };
    await this.respond(interaction, this.options.bot.request({ ...request, channel: interaction.channelId, user: interaction.user.id }), command.private, lang);
  }

  private async onButton(interaction: ButtonInteraction): Promise<void> {
    const parsed = ButtonIdSchema.safeParse(interaction.customId);
    if (!parsed.success) {
      this.options.log.warn({ customId: interaction.customId.slice(0, 100) }, 'dropped a press on a button the bot does not know');
      return;
    }
    const lang = parsed.data.lang ?? langOf(interaction.locale);
    const request = { ...parsed.data, lang, channel: interaction.channelId, user: interaction.user.id };
    // What a press on a private answer shows stays private too; a vote's thanks is private anyway.
    const ephemeral = interaction.message.flags.has(MessageFlags.Ephemeral);
    await this.respond(interaction, this.options.bot.request(request), ephemeral, lang);
  }

  /**
   * Answers an interaction: directly when the reply is ready in time, otherwise deferred first and edited
   * in later (the interaction token lasts 15 minutes); further messages go as follow-ups. A reply for the
   * person alone is ephemeral; one for nobody acknowledges the interaction and leaves nothing behind.
   */
  private async respond(interaction: ChatInputCommandInteraction | ButtonInteraction, pending: Promise<Reply>, ephemeral: boolean, lang: Lang): Promise<void> {
    // Should deferring fail first, a later rejection of the answer must not go unhandled and end the process.
    pending.catch(() => undefined);
    try {
      const early = await within(pending, DEFER_AFTER_MS);
      if (!early) await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
      const reply = await pending;
      if (reply.audience === 'nobody') {
        if (!interaction.deferred) await interaction.deferReply({ flags: MessageFlags.Ephemeral });
        await interaction.deleteReply();
        return;
      }
      const flags = ephemeral || reply.audience === 'asker' ? MessageFlags.Ephemeral : undefined;
      const [first, ...rest] = renderReply(reply);
      if (interaction.deferred && !ephemeral && flags) {
        // A public "thinking…" message cannot be made private: it goes, and the reply follows for the person alone.
        await interaction.deleteReply();
        for (const message of [first!, ...rest]) await interaction.followUp({ ...message, flags });
        return;
      }
      if (interaction.deferred) await interaction.editReply(first!);
      else await interaction.reply({ ...first!, ...(flags ? { flags } : {}) });
      for (const message of rest) await interaction.followUp({ ...message, ...(flags ? { flags } : {}) });
    } catch (error) {
      await this.tellFailure(interaction, lang);
      throw error;
    }
  }

  /** Says sorry in place of an answer that could not be given, when Discord still accepts a response. */
  private async tellFailure(interaction: ChatInputCommandInteraction | ButtonInteraction, lang: Lang): Promise<void> {
    const sorry = { content: failureText(lang), embeds: [], components: [] };
    try {
      if (interaction.deferred) await interaction.editReply(sorry);
      else if (!interaction.replied) await interaction.reply({ ...sorry, flags: MessageFlags.Ephemeral });
    } catch (error) {
      this.options.log.debug(describeDiscordError(error), 'could not tell the person that answering failed');
    }
  }

  /** A mention in a server channel is answered as a reply to it; a DM is answered in the DM. */
  private async onMessage(message: Message): Promise<void> {
    const botId = this.client.user?.id;
    if (!botId || message.author.bot || message.system) return;
    const direct = !message.inGuild();
    // `mentions.users` leaves out @everyone and role mentions: only a ping of the bot itself counts.
    if (!direct && !message.mentions.users.has(botId)) return;
    const event = MessageEventSchema.safeParse({ id: message.id, channelId: message.channelId, userId: message.author.id, content: message.content });
    if (!event.success) {
      this.options.log.warn({ message: message.id }, 'dropped a Discord message with unexpected fields');
      return;
    }
    const { id, channelId, userId, content } = event.data;
    // A failure forgets the message, so that a replay of it after a reconnect gets its answer.
    await this.dedupe.once(`discord:message:${id}`, async () => {
      const text = content.replace(new RegExp(`<@!?${botId}>`, 'g'), ' ').trim();
      // A DM is one conversation; in a server channel, each person's exchange with the bot is one.
      const conversation = direct ? `discord:${channelId}` : `discord:${channelId}:${userId}`;
      const reply = await this.options.bot.handle({ text, channel: channelId, user: userId, conversation });
      if (reply.audience === 'nobody') return;
      // A server channel has no message for one person's eyes: what is for them alone goes to their DMs.
      if (reply.audience === 'asker' && !direct) await this.sendPrivately(message, renderReply(reply));
      else await this.send(message, renderReply(reply), direct);
    });
  }

  private async send(to: Message, messages: DiscordMessage[], direct: boolean): Promise<void> {
    const [first, ...rest] = messages;
    if (!first || !to.channel.isSendable()) return;
    if (direct) await to.channel.send(first);
    else await to.reply(first);
    for (const message of rest) await to.channel.send(message);
  }

  /** Sends the messages to the author's DMs; a person who accepts no DMs from the server is left alone. */
  private async sendPrivately(to: Message, messages: DiscordMessage[]): Promise<void> {
    try {
      for (const message of messages) await to.author.send(message);
    } catch (error) {
      this.options.log.debug(describeDiscordError(error), 'could not send a private notice to a DM');
    }
  }
}
