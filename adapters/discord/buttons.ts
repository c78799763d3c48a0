import { z } from 'zod';
import { ToolSchema } from '../../src/commands/catalog.js';
import { LangSchema, type Lang } from '../../src/lang.js';
import type { Request, SuggestedIntent } from '../../src/request.js';

/** Discord caps a component's custom id at 100 characters; it is all a button press carries back. */
export const CUSTOM_ID_MAX = 100;

/**
 * What a press asks the core. A suggestion carries the reply's language (`ask:zh:...`, `lookup:en:kubectl
 * scale`), so a language-neutral request such as a command path is answered in it; a vote (`vote:up:<answer>`)
 * and "show the whole section" (`more:<answer>`) are answered in the person's locale.
 */
const PRESSES: { pattern: RegExp; read(match: RegExpExecArray): Request | undefined }[] = [
  { pattern: /^ask:(zh|en):([\s\S]+)$/, read: ([, lang, text]) => ({ type: 'ask', text: text!, lang: LangSchema.parse(lang) }) },
  {
    pattern: /^lookup:(zh|en):(\S+) ([\s\S]+)$/,
    read: ([, lang, tool, query]) => {
      const named = ToolSchema.safeParse(tool);
      return named.success ? { type: 'lookup', tool: named.data, query: query!, lang: LangSchema.parse(lang) } : undefined;
    },
  },
  { pattern: /^tip:(zh|en)$/, read: ([, lang]) => ({ type: 'tip', lang: LangSchema.parse(lang) }) },
  { pattern: /^vote:(up|down):([\s\S]+)$/, read: ([, vote, answerId]) => ({ type: 'feedback', vote: vote === 'up' ? 1 : -1, answerId: answerId! }) },
  { pattern: /^more:([\s\S]+)$/, read: ([, answerId]) => ({ type: 'more', answerId: answerId! }) },
];

/** A custom id of one of our buttons, read as the request its press makes. */
export const ButtonIdSchema = z
  .string()
  .max(CUSTOM_ID_MAX)
  .transform((id, ctx) => {
    for (const { pattern, read } of PRESSES) {
      const match = pattern.exec(id);
      const request = match && read(match);
      if (request) return request;
    }
    ctx.addIssue('not a button of this bot');
    return z.NEVER;
  });

const fits = (id: string) => (id.length <= CUSTOM_ID_MAX ? id : undefined);

/** The custom id of a suggestion button, or undefined when its request is too long to travel in one. */
export function suggestionButtonId(intent: SuggestedIntent, lang: Lang): string | undefined {
  switch (intent.type) {
    case 'ask':
      return fits(`ask:${lang}:${intent.text}`);
    case 'lookup':
      return fits(`lookup:${lang}:${intent.tool} ${intent.query}`);
    case 'tip':
      return `tip:${intent.lang ?? lang}`;
  }
}

/** The custom id of a 👍 or 👎 button, or undefined when the answer id is too long to travel in one. */
export const voteButtonId = (vote: 1 | -1, answerId: string): string | undefined => fits(`vote:${vote === 1 ? 'up' : 'down'}:${answerId}`);

/** The custom id of a "show the whole section" button, or undefined when the answer id is too long. */
export const moreButtonId = (answerId: string): string | undefined => fits(`more:${answerId}`);
