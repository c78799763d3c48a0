import { createHash } from 'node:crypto';
import { z } from 'zod';
import { answerQuery } from './answer/answer.js';
import { answerInConversation, TurnSchema, type Turn } from './answer/conversation.js';
import { EXAMPLE_QUESTIONS, say } from './answer/messages.js';
import type { Tool } from './commands/catalog.js';
import { lookupReply } from './commands/reply.js';
import { cleanInput, MAX_QUESTION_LENGTH } from './input.js';
import { detectLang, LangSchema, type Lang } from './lang.js';
import type { Library } from './library.js';
import { textReply, type Reply } from './reply.js';
import type { Store } from './store/store.js';
import { tipReply } from './tips/reply.js';
import type { TipRotation } from './tips/rotation.js';
import { localDay } from './tips/scheduler.js';

/** What an adapter hands the core: what a person typed, and where. */
export const MessageSchema = z.object({
  text: z.string(),
  /** The language the platform or user prefers; otherwise it is read from the text. */
  lang: LangSchema.optional(),
  channel: z.string().max(200).optional(),
  user: z.string().max(200).optional(),
  thread: z.string().max(200).optional(),
  /**
   * The conversation the message is part of, when the platform has one the bot is in (a thread it answered,
   * a reply to its message, a DM): a follow-up there is read together with the last turn.
   */
  conversation: z.string().max(300).optional(),
});
export type Message = z.input<typeof MessageSchema>;

/** A 👍 or 👎 on an answer, as an adapter's buttons report it. */
export const FeedbackSchema = z.object({
  answerId: z.string().min(1).max(500),
  vote: z.union([z.literal(1), z.literal(-1)]),
  channel: z.string().max(200).optional(),
  user: z.string().max(200).optional(),
});
export type Feedback = z.input<typeof FeedbackSchema>;

/** The core's one entry point: every adapter calls `handle` and renders the reply it gets back. */
export interface Bot {
  handle(message: Message): Promise<Reply>;
  /** The tip of the day for a channel (today in the schedule's zone unless `day` is given). */
  tip(channel: string, lang: Lang, day?: string): Promise<Reply>;
  feedback(feedback: Feedback): void;
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
  /** The zone whose calendar day decides the tip of the day. */
  timezone?: string;
  /** The language of `/tip` when the person did not pick one. */
  tipLang?: Lang;
}

/** A message this long after the last turn starts a new conversation, whatever the thread. */
export const CONVERSATION_MS = 30 * 60_000;

/** The channel name used when an adapter has none, e.g. the terminal chat. */
export const DEFAULT_CHANNEL = 'console';

const HELP_WORDS = new Set(['help', '/help', '?', '帮助', '/帮助', 'h']);

const helpReply = (lang: Lang, prefix = ''): Reply =>
  textReply('help', lang, `${prefix}${say('help', lang)}`, EXAMPLE_QUESTIONS[lang].map((q) => ({ label: q, ask: q })));

export function createBot(library: Library, options: BotOptions = {}): Bot {
  const { store, rotation, logUsers = false, timezone = Intl.DateTimeFormat().resolvedOptions().timeZone, tipLang = 'zh' } = options;

  async function tip(channel: string, lang: Lang, day = localDay(Date.now(), timezone)): Promise<Reply> {
    // Without a rotation there is no memory of past days: the day's number picks the tip.
    const chosen = rotation ? (await rotation.tipFor(channel, day))?.tip : library.tips[Math.floor(Date.parse(day) / 86_400_000) % library.tips.length];
    return chosen ? tipReply(chosen, lang, library.resolve) : textReply('not-found', lang, say('noTips', lang));
  }

  function record(message: z.infer<typeof MessageSchema>, question: string, reply: Reply): Reply {
    const top = reply.sources[0];
    store?.logQuestion({
      question,
      lang: reply.lang,
      answered: reply.kind === 'answer',
      ...(reply.kind === 'answer' ? { topSource: reply.actions.find((a) => a.type === 'feedback')?.answerId ?? (top && `${top.note}#L${top.line}`) } : {}),
      ...(message.channel ? { channel: message.channel } : {}),
      ...(logUsers && message.user ? { user: message.user } : {}),
      at: Date.now(),
    });
    return reply;
  }

  const lookup = (tool: Tool, query: string, lang: Lang) => lookupReply(library.commands.lookup(tool, query), lang, library.resolve);

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

  return {
    tip,
    completeCommand(tool, partial, lang, limit) {
      return library.commands.complete(tool, partial, limit).map((c) => ({ value: c.path, label: `${c.path}: ${c.summary[lang]}` }));
    },
    feedback(input) {
      const feedback = FeedbackSchema.parse(input);
      // Who voted is kept only as a hash, so one person's second vote replaces the first without the id being stored.
      const voter = feedback.user === undefined ? {} : { voter: createHash('sha256').update(feedback.user).digest('hex').slice(0, 24) };
      store?.recordFeedback({ ...feedback, ...voter, ...(logUsers ? {} : { user: undefined }), at: Date.now() });
    },
    async handle(input) {
      const parsed = MessageSchema.safeParse(input);
      if (!parsed.success) return textReply('error', 'en', `Malformed message: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const message = parsed.data;
      const text = cleanInput(message.text);
      const lang = message.lang ?? detectLang(text);

      if (text.length > MAX_QUESTION_LENGTH) return textReply('error', lang, say('tooLong', lang, { length: text.length, limit: MAX_QUESTION_LENGTH }));
      if (!text || HELP_WORDS.has(text.toLowerCase())) return helpReply(lang);

      const slash = /^\/(\S+)\s*([\s\S]*)$/.exec(text);
      if (slash) {
        const [, name = '', rest = ''] = slash;
        const restLang = message.lang ?? detectLang(rest);
        if (name === 'ask') return rest ? record(message, rest, await answer(rest, restLang, message.conversation)) : helpReply(lang);
        if (name === 'kubectl' || name === 'docker') return rest ? record(message, text, lookup(name, rest, restLang)) : helpReply(lang);
        if (name === 'tip') return tip(message.channel ?? DEFAULT_CHANNEL, LangSchema.safeParse(rest).data ?? message.lang ?? tipLang);
        return helpReply(lang, `${say('unknownCommand', lang)} /${name}\n\n`);
      }
      return record(message, text, await answer(text, lang, message.conversation));
    },
  };
}
