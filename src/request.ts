import { z } from 'zod';
import { ToolSchema } from './commands/catalog.js';
import { cleanInput } from './input.js';
import { detectLang, LangSchema, type Lang } from './lang.js';

/**
 * What adapters send the core. Text a person typed is a `Message`, read into the request it makes; a slash
 * command's options and a button's value already have a shape, and arrive as a `Request` without being
 * written out as text and parsed again.
 */

/** Where a request comes from, the same for every kind of request. */
const WHERE = {
  /** The language the platform or person prefers; otherwise the text's own language decides. */
  lang: LangSchema.optional(),
  channel: z.string().max(200).optional(),
  /** The platform's id of the person; the core keeps only a hash of it unless user logging is on. */
  user: z.string().max(200).optional(),
  thread: z.string().max(200).optional(),
  /**
   * The conversation the request is part of, when the platform has one the bot is in (a thread it answered,
   * a reply to its message, a DM): a follow-up there is read together with the last turn.
   */
  conversation: z.string().max(300).optional(),
};

export const WhereSchema = z.object(WHERE);
export type Where = z.input<typeof WhereSchema>;

/** What a person typed, and where. */
export const MessageSchema = z.object({ text: z.string(), ...WHERE });
export type Message = z.input<typeof MessageSchema>;

/** An answer's id as its buttons carry it back: `note#Lline` for notes, `kubectl path` for a command card. */
const AnswerIdSchema = z.string().min(1).max(500);

const AskSchema = z.object({ type: z.literal('ask'), text: z.string() });
const LookupSchema = z.object({ type: z.literal('lookup'), tool: ToolSchema, query: z.string() });
/** The tip of the day, in `lang` when the person named one. */
const TipSchema = z.object({ type: z.literal('tip'), lang: LangSchema.optional() });

/** What a suggestion button asks when pressed. */
export const SuggestedIntentSchema = z.discriminatedUnion('type', [AskSchema, LookupSchema, TipSchema]);
export type SuggestedIntent = z.infer<typeof SuggestedIntentSchema>;

/** What is asked of the core, whoever asks and wherever. */
export const IntentSchema = z.discriminatedUnion('type', [
  AskSchema,
  LookupSchema,
  TipSchema,
  /** The whole section an answer showed part of; without an id there is nothing to show more of. */
  z.object({ type: z.literal('more'), answerId: AnswerIdSchema.optional() }),
  z.object({ type: z.literal('feedback'), answerId: AnswerIdSchema, vote: z.union([z.literal(1), z.literal(-1)]) }),
  /** Help, after a slash command the bot does not know when `unknownCommand` is set. */
  z.object({ type: z.literal('help'), unknownCommand: z.string().max(100).optional() }),
]);
export type Intent = z.infer<typeof IntentSchema>;

export const RequestSchema = IntentSchema.and(WhereSchema);
export type Request = z.input<typeof RequestSchema>;

const HELP_WORDS = new Set(['help', '/help', '?', '帮助', '/帮助', 'h']);

/** Whether what was asked is a request for help rather than a question: nothing, or a word such as "help". */
export const asksForHelp = (text: string): boolean => !text || HELP_WORDS.has(text.toLowerCase());

/**
 * The request typed text makes, and the language its words are in: `/kubectl x` and `/docker x` look a
 * command up, `/tip [zh|en]` asks for the tip of the day, `/more` for the whole section, `/ask x` and anything
 * else ask the notes.
 */
export function readTyped(typed: string): { intent: Intent; lang: Lang } {
  const text = cleanInput(typed);
  const asked = (intent: Intent, words = text) => ({ intent, lang: detectLang(words) });
  if (asksForHelp(text)) return asked({ type: 'help' });
  const slash = /^\/(\S+)\s*([\s\S]*)$/.exec(text);
  if (!slash) return asked({ type: 'ask', text });
  const [, name = '', rest = ''] = slash;
  const tool = ToolSchema.safeParse(name);
  if (tool.success) return rest ? asked({ type: 'lookup', tool: tool.data, query: rest }, rest) : asked({ type: 'help' });
  if (name === 'ask') return rest ? asked({ type: 'ask', text: rest }, rest) : asked({ type: 'help' });
  if (name === 'tip') {
    const lang = LangSchema.safeParse(rest.trim().toLowerCase());
    return asked({ type: 'tip', ...(lang.success ? { lang: lang.data } : {}) });
  }
  if (name === 'more') return asked({ type: 'more' });
  return asked({ type: 'help', unknownCommand: name.slice(0, 100) });
}

/** What a person would type to make a suggested request: `readTyped` reads it back as the same request. */
export function typedForm(intent: SuggestedIntent): string {
  switch (intent.type) {
    case 'ask':
      return intent.text;
    case 'lookup':
      return `/${intent.tool} ${intent.query}`;
    case 'tip':
      return intent.lang ? `/tip ${intent.lang}` : '/tip';
  }
}
