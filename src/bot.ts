import { z } from 'zod';
import { answerQuestion } from './answer/answer.js';
import { EXAMPLE_QUESTIONS, say } from './answer/messages.js';
import { detectLang, LangSchema, type Lang } from './lang.js';
import type { Reply } from './reply.js';
import type { SearchIndex } from './search/search-index.js';

export const MAX_QUESTION_LENGTH = 2000;

/** What an adapter hands the core: what a person typed, and where. */
export const MessageSchema = z.object({
  text: z.string(),
  /** The language the platform or user prefers; otherwise it is read from the text. */
  lang: LangSchema.optional(),
  channel: z.string().max(200).optional(),
  user: z.string().max(200).optional(),
  thread: z.string().max(200).optional(),
});
export type Message = z.input<typeof MessageSchema>;

/** The core's one entry point: every adapter calls `handle` and renders the reply it gets back. */
export interface Bot {
  handle(message: Message): Promise<Reply>;
}

const HELP_WORDS = new Set(['help', '/help', '?', '帮助', '/帮助', 'h']);
// Control characters other than tab and newline never belong in a question.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

function textReply(kind: Reply['kind'], lang: Lang, text: string, suggestions: string[] = []): Reply {
  return { kind, lang, blocks: [{ type: 'text', text }], sources: [], suggestions: suggestions.map((s) => ({ label: s, ask: s })), actions: [] };
}

const helpReply = (lang: Lang, prefix = ''): Reply =>
  textReply('help', lang, `${prefix}${say('help', lang)}`, EXAMPLE_QUESTIONS[lang]);

export function createBot(deps: { index: SearchIndex }): Bot {
  return {
    async handle(input) {
      const parsed = MessageSchema.safeParse(input);
      if (!parsed.success) return textReply('error', 'en', `Malformed message: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const message = parsed.data;
      const text = message.text.replace(CONTROL, ' ').trim();
      const lang = message.lang ?? detectLang(text);

      if (text.length > MAX_QUESTION_LENGTH) return textReply('error', lang, say('tooLong', lang, { length: text.length, limit: MAX_QUESTION_LENGTH }));
      if (!text || HELP_WORDS.has(text.toLowerCase())) return helpReply(lang);

      const command = /^\/(\S+)\s*([\s\S]*)$/.exec(text);
      if (command) {
        const [, name = '', rest = ''] = command;
        if (name === 'ask') return rest ? answerQuestion(deps.index, rest, message.lang ?? detectLang(rest)) : helpReply(lang);
        return helpReply(lang, `${say('unknownCommand', lang)} /${name}\n\n`);
      }
      return answerQuestion(deps.index, text, lang);
    },
  };
}
