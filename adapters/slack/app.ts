import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver, webApi, type RespondFn } from '@slack/bolt';
import type { z } from 'zod';
import { EventDedupe, InFlight, type Adapter, type AdapterObserver } from '../../src/adapter.js';
import type { Bot } from '../../src/bot.js';
import type { Logger } from '../../src/log.js';
import { sectionLabel, type Reply } from '../../src/reply.js';
import { typedForm, type Request } from '../../src/request.js';
import type { Store } from '../../src/store/store.js';
import type { TipPoster } from '../../src/tips/scheduler.js';
import { boltLevel, boltLogger } from './bolt-logger.js';
import type { SlackConfig } from './config.js';
import { describeSlackError, slackErrorCode } from './errors.js';
import { questionFromSlack } from './mrkdwn.js';
import { AnswerValueSchema, BlockActionSchema, issueSummary, JsonOf, MessageEventSchema, SlashCommandSchema, SuggestionValueSchema, type BlockAction, type MessageEvent } from './payloads.js';
import { ACTION, renderReply, type RenderOptions, type SlackMessage } from './render.js';
import { readShareValue, shareValue } from './share.js';
import { intentFromCommand, isDirectChannel, SLASH_COMMANDS, threadForAction, whereToAnswer } from './routing.js';

export interface SlackAdapterOptions {
  bot: Bot;
  store: Store;
  config: SlackConfig;
  log: Logger;
  /** Told of reconnects, rate-limit waits and redeliveries answered before. */
  observer?: AdapterObserver;
}

/** Answers usually take milliseconds; only one slower than this gets a 👀 while the person waits. */
export const WORKING_REACTION_AFTER_MS = 1500;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The Bolt receiver for the configured transport, with what starting it needs. */
type Receiving = { mode: 'socket'; receiver: SocketModeReceiver } | { mode: 'http'; receiver: HTTPReceiver; port: number; host?: string };

/**
 * The Slack adapter: Bolt receives mentions, direct messages, thread follow-ups, slash commands and button
 * clicks, over Socket Mode or signed HTTP requests; each becomes a `Bot.handle` call whose reply is rendered as
 * Block Kit. Work starts after Slack has its ack, redeliveries are answered once (the store remembers what was
 * claimed), and a failure is logged without stopping the bot. It also posts the tip of the day.
 */
export class SlackAdapter implements Adapter, TipPoster {
  readonly name = 'slack';
  private readonly app: App;
  private readonly receiving: Receiving;
  private readonly inFlight = new InFlight();
  private readonly dedupe: EventDedupe;
  private listening: AddressInfo | undefined;
  private socketOpen = false;
  private started = false;

  constructor(private readonly options: SlackAdapterOptions) {
    const { config, log } = options;
    this.dedupe = new EventDedupe(options.store, options.observer);
    const logger = boltLogger(log);
    const logLevel = boltLevel(log);
    const clientOptions = { retryConfig: config.retry, ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}) };
    const { transport } = config;
    this.receiving =
      transport.mode === 'socket'
        ? { mode: 'socket', receiver: new SocketModeReceiver({ appToken: transport.appToken, logger, logLevel, installerOptions: { clientOptions } }) }
        : {
            mode: 'http',
            receiver: new HTTPReceiver({ signingSecret: transport.signingSecret, endpoints: '/slack/events', logger, logLevel }),
            port: transport.port,
            ...(transport.host ? { host: transport.host } : {}),
          };
    this.app = new App({
      token: config.botToken,
      receiver: this.receiving.receiver,
      logger,
      logLevel,
      clientOptions,
      // Bolt's conversation store keeps state in memory; the bot keeps its state in the Store.
      convoStore: false,
      // auth.test runs in start(), so a bad token is a start-up error instead of an unhandled rejection.
      deferInitialization: true,
    });
    this.listen();
    this.watchConnection();
  }

  /** Follows the Socket Mode connection, which the client reopens by itself when Slack or the network drops it. */
  private watchConnection(): void {
    const { observer } = this.options;
    this.app.client.on(webApi.WebClientEvent.RATE_LIMITED, () => observer?.rateLimited?.());
    if (this.receiving.mode !== 'socket') return;
    const client = this.receiving.receiver.client;
    client.on('connected', () => (this.socketOpen = true));
    client.on('close', () => (this.socketOpen = false));
    client.on('disconnected', () => (this.socketOpen = false));
    client.on('reconnecting', () => {
      this.options.log.warn('Slack connection lost; reconnecting');
      observer?.reconnecting?.();
    });
  }

  /** Whether events can arrive: the socket is open (Socket Mode) or the server listens (HTTP). */
  connected(): boolean {
    return this.started && (this.receiving.mode === 'socket' ? this.socketOpen : this.listening !== undefined);
  }

  /** The address the HTTP server listens on once started (HTTP mode only); useful when PORT is 0. */
  get address(): AddressInfo | undefined {
    return this.listening;
  }

  /** Checks the bot token, then connects (Socket Mode) or listens (HTTP); resolves once events can arrive. */
  async start(): Promise<void> {
    const { config, log } = this.options;
    try {
      await this.app.init();
    } catch (error) {
      // An error code means Slack answered and refused the token; anything else means it could not be reached.
      const problem = slackErrorCode(error)
        ? `Slack did not accept SLACK_BOT_TOKEN: ${describeSlackError(error)}`
        : `Cannot reach Slack's Web API${config.apiUrl ? ` at ${config.apiUrl} (SLACK_API_URL)` : ''}: ${describeSlackError(error)}`;
      throw new Error(problem, { cause: error });
    }
    const receiving = this.receiving;
    if (receiving.mode === 'socket') {
      try {
        await receiving.receiver.start();
      } catch (error) {
        throw new Error(`Cannot open a Socket Mode connection with SLACK_APP_TOKEN: ${describeSlackError(error)}`, { cause: error });
      }
      log.info({ mode: 'socket' }, 'Slack connected');
    } else {
      const { port, host } = receiving;
      try {
        const server = await receiving.receiver.start({ port, ...(host ? { host } : {}) });
        this.listening = server.address() as AddressInfo;
      } catch (error) {
        const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
        throw new Error(inUse ? `Port ${port} is in use: set PORT to a free port.` : `Cannot listen on port ${port}: ${(error as Error).message}`, { cause: error });
      }
      log.info({ mode: 'http', port: this.listening.port, path: '/slack/events' }, 'Slack listening for events');
    }
    this.started = true;
  }

  /**
   * Disconnects or closes the server, so no new event arrives, then waits up to `graceMs` for the answers
   * already being worked on: they post over the Web API and response URLs, which need no socket.
   */
  async stop(graceMs?: number): Promise<void> {
    if (!this.started) return;
    this.started = false;
    // Bolt's own stop() does not wait for the WebSocket close handshake; the client's disconnect() does.
    if (this.receiving.mode === 'socket') await this.receiving.receiver.client.disconnect();
    else await this.receiving.receiver.stop();
    this.listening = undefined;
    const unfinished = this.inFlight.size;
    if (!(await this.inFlight.drain(graceMs))) this.options.log.warn({ unfinished, graceMs }, 'stopped before every answer was posted');
  }

  /** Posts the tip of the day; rejects with Slack's reason (and the fix) so the scheduler can log and retry. */
  async post(channel: string, reply: Reply): Promise<void> {
    try {
      await this.postMessage(channel, undefined, renderReply(reply));
    } catch (error) {
      throw new Error(describeSlackError(error), { cause: error });
    }
  }

  private listen(): void {
    const { app } = this;
    app.event('app_mention', ({ event, context }) => this.run('answering a mention', () => this.onMessage(event, context.botUserId)));
    app.event('message', ({ event, context }) => this.run('answering a message', () => this.onMessage(event, context.botUserId)));
    app.command(new RegExp(`^(${SLASH_COMMANDS.map(escapeRegExp).join('|')})$`), async ({ ack, command, respond }) => {
      await ack();
      await this.run('answering a slash command', () => this.onCommand(command, respond));
    });
    app.action(new RegExp(`^${ACTION.suggestPrefix}\\d+$`), async ({ ack, body, respond }) => {
      await ack();
      await this.run('answering a suggestion', () => this.onSuggestion(body, respond));
    });
    app.action(new RegExp(`^(${ACTION.voteUp}|${ACTION.voteDown})$`), async ({ ack, body, respond }) => {
      await ack();
      await this.run('recording feedback', () => this.onVote(body, respond));
    });
    app.action(ACTION.more, async ({ ack, body, respond }) => {
      await ack();
      await this.run('showing a whole section', () => this.onMore(body, respond));
    });
    app.action(ACTION.share, async ({ ack, body, respond }) => {
      await ack();
      await this.run('sharing an answer', () => this.onShare(body, respond));
    });
    app.error(async (error) => {
      this.options.log.error({ err: describeSlackError(error) }, 'Bolt could not process a request from Slack');
    });
  }

  /** Runs one request's work so that stop() can wait for it and no failure escapes into Bolt. */
  private async run(what: string, work: () => Promise<void>): Promise<void> {
    await this.inFlight.track(
      work().catch((error: unknown) => {
        this.options.log.error({ err: describeSlackError(error), slackError: slackErrorCode(error) }, `${what} failed`);
      }),
    );
  }

  private async onMessage(payload: unknown, botUserId: string | undefined): Promise<void> {
    const { bot, store, log } = this.options;
    const parsed = MessageEventSchema.safeParse(payload);
    if (!parsed.success) {
      log.warn({ problem: issueSummary(parsed.error) }, 'dropped a Slack message event it could not read');
      return;
    }
    const event = parsed.data;
    const inBotThread = event.thread_ts !== undefined && (await store.isBotThread(event.channel, event.thread_ts));
    const place = whereToAnswer(event, botUserId, () => inBotThread);
    if (!place) return;
    // One key per message: a redelivery, and the `message` twin of an `app_mention`, are answered once.
    const answered = await this.dedupe.once(`slack:${event.channel}:${event.ts}`, async () => {
      const done = this.showWorking(event);
      try {
        // The thread it answers in is the conversation; a DM answered at its top level is one conversation.
        const conversation = `slack:${event.channel}${place.thread === undefined ? '' : `:${place.thread}`}`;
        const reply = await bot.handle({ text: questionFromSlack(event.text, botUserId), channel: event.channel, user: event.user, thread: place.thread, conversation });
        if (reply.audience === 'nobody') return;
        if (reply.audience === 'asker') {
          await this.postPrivately(event.channel, event.user!, place.thread, renderReply(reply));
          return;
        }
        await this.postMessage(event.channel, place.thread, renderReply(reply));
        if (place.thread !== undefined && !isDirectChannel(event.channel)) await store.rememberThread(event.channel, place.thread, Date.now());
        log.debug({ channel: event.channel, kind: reply.kind }, 'answered a Slack message');
      } finally {
        await done();
      }
    });
    if (!answered) log.debug({ channel: event.channel, ts: event.ts }, 'Slack message already answered');
  }

  /** Adds 👀 if the answer is slow to come; the returned function takes it away again. */
  private showWorking(event: MessageEvent): () => Promise<void> {
    const client = this.app.client;
    const target = { channel: event.channel, timestamp: event.ts, name: 'eyes' };
    let added: Promise<boolean> | undefined;
    const timer = setTimeout(() => {
      added = client.reactions.add(target).then(
        () => true,
        (error: unknown) => {
          this.options.log.debug({ err: describeSlackError(error) }, 'could not add the working reaction');
          return false;
        },
      );
    }, WORKING_REACTION_AFTER_MS);
    return async () => {
      clearTimeout(timer);
      if (!(await added)) return;
      await client.reactions.remove(target).catch((error: unknown) => {
        this.options.log.debug({ err: describeSlackError(error) }, 'could not remove the working reaction');
      });
    };
  }

  private async onCommand(payload: unknown, respond: RespondFn): Promise<void> {
    const { bot, log } = this.options;
    const parsed = SlashCommandSchema.safeParse(payload);
    if (!parsed.success) {
      log.warn({ problem: issueSummary(parsed.error) }, 'dropped a Slack slash command it could not read');
      return;
    }
    const command = parsed.data;
    const intent = intentFromCommand(command.command, questionFromSlack(command.text, undefined));
    const reply = await bot.request({ ...intent, channel: command.channel_id, user: command.user_id });
    if (reply.audience !== 'nobody') await this.respondPrivately(respond, reply, typedForm(intent));
  }

  /** An ephemeral answer, with a button to share it when it is worth sharing. */
  private async respondPrivately(respond: RespondFn, reply: Reply, asked: string): Promise<void> {
    const share = reply.audience === 'asker' ? undefined : shareValue(reply, asked);
    const options: RenderOptions = share !== undefined ? { share } : {};
    await respond({ response_type: 'ephemeral', replace_original: false, ...renderReply(reply, options) });
  }

  /** A clicked button's payload, its channel and its value; undefined (logged) when it cannot be read. */
  private readAction(payload: unknown): { action: BlockAction; channel: string; value: string } | undefined {
    const parsed = BlockActionSchema.safeParse(payload);
    const channel = parsed.data && (parsed.data.channel?.id ?? parsed.data.container.channel_id);
    if (!parsed.success || !channel) {
      this.options.log.warn({ problem: parsed.success ? 'no channel' : issueSummary(parsed.error) }, 'dropped a Slack button click it could not read');
      return undefined;
    }
    return { action: parsed.data, channel, value: parsed.data.actions[0]!.value };
  }

  /** A button's value read with `schema`; undefined (logged) when it does not fit. */
  private readValue<T>(value: string, schema: z.ZodType<T>, what: string): T | undefined {
    const read = JsonOf(schema).safeParse(value);
    if (!read.success) this.options.log.warn({ problem: issueSummary(read.error) }, `dropped a ${what} click it could not read`);
    return read.success ? (read.data as T) : undefined;
  }

  /** A suggestion asks what it carries, in the language of the reply it was under. */
  private async onSuggestion(payload: unknown, respond: RespondFn | undefined): Promise<void> {
    const read = this.readAction(payload);
    const intent = read && this.readValue(read.value, SuggestionValueSchema, 'suggestion');
    if (read && intent) await this.answerClick(read, intent, typedForm(intent), respond);
  }

  /** "Show the whole section" under an answer. */
  private async onMore(payload: unknown, respond: RespondFn | undefined): Promise<void> {
    const read = this.readAction(payload);
    const answer = read && this.readValue(read.value, AnswerValueSchema, 'show-all');
    if (read && answer) await this.answerClick(read, { type: 'more', ...answer }, undefined, respond);
  }

  /**
   * Answers a button's request where the button was: privately under a private answer (or when the reply is
   * for the person alone), else in the message's thread. A shared copy names `asked`, else the section shown.
   */
  private async answerClick(read: { action: BlockAction; channel: string }, request: Request, asked: string | undefined, respond: RespondFn | undefined): Promise<void> {
    const { action, channel } = read;
    const reply = await this.options.bot.request({ ...request, channel, user: action.user.id });
    if (reply.audience === 'nobody') return;
    if (action.container.is_ephemeral || !action.message || reply.audience === 'asker') {
      const shown = reply.sources[0];
      if (respond) await this.respondPrivately(respond, reply, asked ?? (shown ? sectionLabel(shown) : ''));
      return;
    }
    const thread = threadForAction(action, channel);
    await this.postMessage(channel, thread, renderReply(reply));
    if (thread !== undefined && !isDirectChannel(channel)) await this.options.store.rememberThread(channel, thread, Date.now());
  }

  private async onVote(payload: unknown, respond: RespondFn | undefined): Promise<void> {
    const read = this.readAction(payload);
    const answer = read && this.readValue(read.value, AnswerValueSchema, 'feedback');
    if (!read || !answer) return;
    const vote = read.action.actions[0]!.action_id === ACTION.voteUp ? 1 : -1;
    const reply = await this.options.bot.request({ type: 'feedback', vote, ...answer, channel: read.channel, user: read.action.user.id });
    if (reply.audience !== 'nobody') await respond?.({ response_type: 'ephemeral', replace_original: false, ...renderReply(reply) });
  }

  /**
   * Posts the private answer for everyone through the command's response URL, then removes the private copy.
   * The answer comes from the button (see share.ts), so the core is not asked again.
   */
  private async onShare(payload: unknown, respond: RespondFn | undefined): Promise<void> {
    const read = this.readAction(payload);
    if (!read || !respond) return;
    const shared = readShareValue(read.value);
    if (!shared.ok) {
      this.options.log.warn({ problem: shared.error }, 'dropped a share click it could not read');
      return;
    }
    const { asked, reply, shortened } = shared.value;
    await respond({ response_type: 'in_channel', replace_original: false, ...renderReply(reply, { sharedBy: { user: read.action.user.id, asked }, shortened }) });
    await respond({ delete_original: true }).catch((error: unknown) => {
      this.options.log.debug({ err: describeSlackError(error) }, 'could not remove the private copy of a shared answer');
    });
  }

  /** A message only `user` sees, where they wrote (Slack keeps it until they reload, which suits a notice). */
  private async postPrivately(channel: string, user: string, thread: string | undefined, message: SlackMessage): Promise<void> {
    await this.app.client.chat.postEphemeral({ channel, user, ...(thread !== undefined ? { thread_ts: thread } : {}), ...message });
  }

  private async postMessage(channel: string, thread: string | undefined, message: SlackMessage): Promise<void> {
    await this.app.client.chat.postMessage({
      channel,
      ...(thread !== undefined ? { thread_ts: thread } : {}),
      ...message,
      // Notes link to docs; a preview card under every answer would drown the answer.
      unfurl_links: false,
      unfurl_media: false,
    });
  }
}

/** Creates the Slack adapter; nothing connects until `start()`. */
export const createSlackAdapter = (options: SlackAdapterOptions): SlackAdapter => new SlackAdapter(options);
