import { createHash } from 'node:crypto';
import { sectionReply } from './answer/answer.js';
import { answerInConversation, TurnSchema, type Turn } from './answer/conversation.js';
import { EXAMPLE_QUESTIONS, say } from './answer/messages.js';
import type { Tool } from './commands/catalog.js';
import { lookupReply } from './commands/reply.js';
import { cleanInput, MAX_QUESTION_LENGTH } from './input.js';
import { detectLang, type Lang } from './lang.js';
import type { Library } from './library.js';
import { textReply, type Reply } from './reply.js';
import { asksForHelp, IntentSchema, MessageSchema, readTyped, WhereSchema, type Intent, type Message, type Request, type Where } from './request.js';
import type { Store } from './store/store.js';
import { tipReply } from './tips/reply.js';
import type { TipRotation } from './tips/rotation.js';
import { localDay } from './tips/scheduler.js';

/** The core's entry points: every adapter calls one and renders the reply it gets back. */
export interface Bot {
  /** Text a person typed (a question, or a command such as `/kubectl x`), read as the request it makes. */
  handle(message: Message): Promise<Reply>;
  /** A request whose shape the adapter already knows: a slash command's options, a button's value. */
  request(request: Request): Promise<Reply>;
  /** Choices for a command-name autocomplete: the command path to send back, and a label in `lang`. */
  completeCommand(tool: Tool, partial: string, lang: Lang, limit: number): { value: string; label: string }[];
}

export interface BotOptions {
  /** Where questions and feedback are remembered; without it nothing is. */
  store?: Store;
  /** Which tip a channel gets each day; without it the day's number picks one and nothing is remembered. */
  rotation?: TipRotation;
  /** Keep who asked in the question log. */
  logUsers?: boolean;
  /** The zone whose calendar day decides the tip of the day; absent: the machine's. */
  timezone?: string;
  /** The language of `/tip` when the person did not pick one. */
  tipLang?: Lang;
  /** Requests one person may make in a minute, on any platform; past it they are told once, then ignored. 0: no limit. */
  rateLimitPerMinute?: number;
}

/** The window the rate limit counts requests in. */
export const RATE_WINDOW_MS = 60_000;

/** A message this long after the last turn starts a new conversation, whatever the thread. */
export const CONVERSATION_MS = 30 * 60_000;

/** The channel name used when an adapter has none, e.g. the terminal chat. */
export const DEFAULT_CHANNEL = 'console';

const helpReply = (lang: Lang, unknownCommand?: string): Reply =>
  textReply(
    'help',
    lang,
    `${unknownCommand === undefined ? '' : `${say('unknownCommand', lang)} /${unknownCommand}\n\n`}${say('help', lang)}`,
    EXAMPLE_QUESTIONS[lang].map((text) => ({ label: text, intent: { type: 'ask', text } })),
  );

const tooLong = (text: string, lang: Lang): Reply => textReply('error', lang, say('tooLong', lang, { length: text.length, limit: MAX_QUESTION_LENGTH }));

/** A person as the store knows them: a hash of the platform's id, so counting and votes need not keep the id. */
const personKey = (user: string) => createHash('sha256').update(user).digest('hex').slice(0, 24);

/** Nothing is posted: the person was told they are over the limit, and the window has not freed yet. */
const QUIET: Reply = { kind: 'limited', lang: 'en', blocks: [], sources: [], suggestions: [], actions: [], audience: 'nobody' };

export function createBot(library: Library, options: BotOptions = {}): Bot {
  const { store, rotation, logUsers = false, timezone, tipLang = 'zh', rateLimitPerMinute = 0 } = options;

  async function tip(channel: string, lang: Lang, day = localDay(Date.now(), timezone)): Promise<Reply> {
    // Without a rotation there is no memory of past days: the day's number picks the tip.
    const chosen = rotation ? (await rotation.tipFor(channel, day))?.tip : library.tips[Math.floor(Date.parse(day) / 86_400_000) % library.tips.length];
    return chosen ? tipReply(chosen, lang, library.resolve) : textReply('not-found', lang, say('noTips', lang));
  }

  function record(where: Where, question: string, reply: Reply): Reply {
    const top = reply.sources[0];
    store?.logQuestion({
      question,
      lang: reply.lang,
      answered: reply.kind === 'answer',
      ...(reply.kind === 'answer' ? { topSource: reply.actions.find((a) => a.type === 'feedback')?.answerId ?? (top && `${top.note}#L${top.line}`) } : {}),
      ...(where.channel ? { channel: where.channel } : {}),
      ...(logUsers && where.user ? { user: where.user } : {}),
      at: Date.now(),
    });
    return reply;
  }

  /** The conversation's last turn, if it is recent and reads back as one; anything else starts afresh. */
  async function lastTurn(conversation: string | undefined, now: number): Promise<Turn | undefined> {
    if (!store || conversation === undefined) return undefined;
    const saved = await store.lastTurn(conversation, now - CONVERSATION_MS);
    if (saved === undefined) return undefined;
    try {
      const turn = TurnSchema.safeParse(JSON.parse(saved));
      return turn.success ? turn.data : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * A question that names a command gets the command's card, followed by the notes' answer when they have
   * one. In a conversation, the question is read with its last turn, and the reply says how it was read.
   */
  async function answer(text: string, lang: Lang, conversation?: string): Promise<Reply> {
    const now = Date.now();
    const { reply: notes, query, turn, about } = answerInConversation(library.index, text, lang, await lastTurn(conversation, now));
    if (store && conversation !== undefined) await store.rememberTurn(conversation, JSON.stringify(turn), now);
    const read = about && notes.kind === 'answer' ? { ...notes, blocks: [{ type: 'text' as const, text: say('readAsAbout', lang, { topic: about }) }, ...notes.blocks] } : notes;
    if (!query.command) return read;
    const found = library.commands.lookup(query.command.tool, query.command.line);
    if (!found.named) return read;
    const card = lookupReply(found, lang, library.resolve);
    if (read.kind !== 'answer') return card;
    return {
      ...card,
      blocks: [...card.blocks, { type: 'text', text: say('fromTheNotes', lang) }, ...read.blocks],
      sources: [...read.sources, ...card.sources.filter((s) => !read.sources.some((n) => n.note === s.note && n.line === s.line))],
      actions: read.actions,
    };
  }

  /**
   * Whether the person may make another request now: undefined when they may (or nobody is counted), else
   * the one notice of the window or, after it, nothing to post.
   */
  async function overLimit(where: Where, lang: Lang): Promise<Reply | undefined> {
    if (!store || rateLimitPerMinute <= 0 || where.user === undefined) return undefined;
    const decision = await store.countRequest(personKey(where.user), Date.now(), RATE_WINDOW_MS, rateLimitPerMinute);
    if (decision === 'allowed') return undefined;
    if (decision === 'quiet') return { ...QUIET, lang };
    return { ...textReply('limited', lang, say('rateLimited', lang, { limit: rateLimitPerMinute })), audience: 'asker' };
  }

  /** Serves one request; `detected` is the language of what was typed, when the request came as text. */
  async function serve(intent: Intent, where: Where, detected?: Lang): Promise<Reply> {
    const lang = where.lang ?? detected ?? (intent.type === 'ask' ? detectLang(intent.text) : intent.type === 'lookup' ? detectLang(intent.query) : tipLang);
    const limited = await overLimit(where, lang);
    if (limited) return limited;
    switch (intent.type) {
      case 'ask': {
        const text = cleanInput(intent.text);
        if (text.length > MAX_QUESTION_LENGTH) return tooLong(text, lang);
        return asksForHelp(text) ? helpReply(lang) : record(where, text, await answer(text, lang, where.conversation));
      }
      case 'lookup': {
        const query = cleanInput(intent.query);
        if (!query) return helpReply(lang);
        return record(where, `/${intent.tool} ${query}`, lookupReply(library.commands.lookup(intent.tool, query), lang, library.resolve));
      }
      case 'tip':
        return tip(where.channel ?? DEFAULT_CHANNEL, intent.lang ?? where.lang ?? tipLang);
      case 'more':
        return intent.answerId === undefined ? textReply('help', lang, say('nothingMore', lang)) : sectionReply(library.index, intent.answerId, lang);
      case 'feedback': {
        // Who voted is kept only as a hash, so one person's second vote replaces the first without the id being stored.
        const voter = where.user === undefined ? {} : { voter: personKey(where.user) };
        store?.recordFeedback({
          answerId: intent.answerId,
          vote: intent.vote,
          ...voter,
          ...(where.channel ? { channel: where.channel } : {}),
          ...(logUsers && where.user ? { user: where.user } : {}),
          at: Date.now(),
        });
        return { ...textReply('thanks', lang, say('thanks', lang)), audience: 'asker' };
      }
      case 'help':
        return helpReply(lang, intent.unknownCommand);
    }
  }

  const malformed = (error: { issues: { path: PropertyKey[]; message: string }[] }) =>
    textReply('error', 'en', `Malformed request: ${error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);

  return {
    completeCommand(tool, partial, lang, limit) {
      return library.commands.complete(tool, partial, limit).map((c) => ({ value: c.path, label: `${c.path}: ${c.summary[lang]}` }));
    },
    async handle(input) {
      const parsed = MessageSchema.safeParse(input);
      if (!parsed.success) return malformed(parsed.error);
      const { text: typed, ...where } = parsed.data;
      const text = cleanInput(typed);
      // Refused before it is read: a pasted blob is not parsed for the command it might start with.
      if (text.length > MAX_QUESTION_LENGTH) return tooLong(text, where.lang ?? detectLang(text));
      const { intent, lang } = readTyped(text);
      return serve(intent, where, lang);
    },
    async request(input) {
      // Each schema keeps its own fields of the one object: what is asked, and where.
      const intent = IntentSchema.safeParse(input);
      if (!intent.success) return malformed(intent.error);
      const where = WhereSchema.safeParse(input);
      if (!where.success) return malformed(where.error);
      return serve(intent.data, where.data);
    },
  };
}
