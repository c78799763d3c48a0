import { z } from 'zod';
import { answerQuestion } from './answer/answer.js';
import { EXAMPLE_QUESTIONS, say } from './answer/messages.js';
import type { Tool } from './commands/catalog.js';
import { lookupReply } from './commands/reply.js';
import { detectLang, LangSchema, type Lang } from './lang.js';
import type { Library } from './library.js';
import type { Reply } from './reply.js';

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
/** A question with a command line in it: "why does kubectl rollout undo keep failing". */
const COMMAND_IN_TEXT = /(?:^|\s)((kubectl|kubctl|kubeclt)\s+\S[\s\S]*|(docker)\s+[a-z][\s\S]*)$/i;

function textReply(kind: Reply['kind'], lang: Lang, text: string, suggestions: string[] = []): Reply {
  return { kind, lang, blocks: [{ type: 'text', text }], sources: [], suggestions: suggestions.map((s) => ({ label: s, ask: s })), actions: [] };
}

const helpReply = (lang: Lang, prefix = ''): Reply =>
  textReply('help', lang, `${prefix}${say('help', lang)}`, EXAMPLE_QUESTIONS[lang]);

export function createBot(library: Library): Bot {
  const lookup = (tool: Tool, query: string, lang: Lang) => lookupReply(library.commands.lookup(tool, query), lang, library.resolve);

  /** A question that names a command gets the command's card, followed by the notes' answer when they have one. */
  function answer(text: string, lang: Lang): Reply {
    const notes = answerQuestion(library.index, text, lang);
    const command = COMMAND_IN_TEXT.exec(text);
    if (!command) return notes;
    const tool: Tool = command[3] ? 'docker' : 'kubectl';
    const found = library.commands.lookup(tool, command[1]!);
    if (!found.named) return notes;
    const card = lookupReply(found, lang, library.resolve);
    if (notes.kind !== 'answer') return card;
    return {
      ...card,
      blocks: [...card.blocks, { type: 'text', text: say('fromTheNotes', lang) }, ...notes.blocks],
      sources: [...notes.sources, ...card.sources.filter((s) => !notes.sources.some((n) => n.note === s.note && n.line === s.line))],
      actions: notes.actions,
    };
  }

  return {
    async handle(input) {
      const parsed = MessageSchema.safeParse(input);
      if (!parsed.success) return textReply('error', 'en', `Malformed message: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const message = parsed.data;
      const text = message.text.replace(CONTROL, ' ').trim();
      const lang = message.lang ?? detectLang(text);

      if (text.length > MAX_QUESTION_LENGTH) return textReply('error', lang, say('tooLong', lang, { length: text.length, limit: MAX_QUESTION_LENGTH }));
      if (!text || HELP_WORDS.has(text.toLowerCase())) return helpReply(lang);

      const slash = /^\/(\S+)\s*([\s\S]*)$/.exec(text);
      if (slash) {
        const [, name = '', rest = ''] = slash;
        const restLang = message.lang ?? detectLang(rest);
        if (name === 'ask') return rest ? answer(rest, restLang) : helpReply(lang);
        if (name === 'kubectl' || name === 'docker') return rest ? lookup(name, rest, restLang) : helpReply(lang);
        return helpReply(lang, `${say('unknownCommand', lang)} /${name}\n\n`);
      }
      return answer(text, lang);
    },
  };
}
