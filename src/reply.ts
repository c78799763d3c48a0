import type { Lang } from './lang.js';
import type { SuggestedIntent } from './request.js';

/**
 * The platform-neutral answer every adapter renders. Text blocks hold inline markdown (`code`, **bold**,
 * [links](url)) exactly as the notes wrote it; each adapter translates that to its own markup and limits.
 */
export type Block =
  | { type: 'text'; text: string }
  | { type: 'code'; lang: string; code: string }
  /** A table row shown as name/value pairs (header cell -> row cell). */
  | { type: 'fields'; fields: { name: string; value: string }[] };

/** Where an answer came from: a note and the heading path of its section. */
export interface Source {
  note: string;
  noteTitle: string;
  section: string[];
  line: number;
  url?: string;
  score: number;
}

/** Something the person may ask next: a button, or a number in the terminal chat, sends `intent` back. */
export interface Suggestion {
  label: string;
  intent: SuggestedIntent;
}

/**
 * What the person can do with an answer: vote on it, or see the whole section it showed part of. Both send
 * the answer's id back with the request.
 */
export type Action = { type: 'feedback'; answerId: string } | { type: 'more'; answerId: string };

/** `limited`: the person asked too often and is told so once; `thanks`: a vote was recorded. */
export type ReplyKind = 'answer' | 'not-found' | 'help' | 'tip' | 'digest' | 'error' | 'limited' | 'thanks';

/**
 * Who sees a reply. Absent, everyone where the request was made; `asker`, only the person (an ephemeral
 * message, or a DM where the platform has no other private way); `nobody`, nothing is posted at all.
 */
export type Audience = 'asker' | 'nobody';

export interface Reply {
  kind: ReplyKind;
  lang: Lang;
  blocks: Block[];
  sources: Source[];
  suggestions: Suggestion[];
  actions: Action[];
  audience?: Audience;
}

/** A reply that is one sentence of the bot's own, with things to ask next. */
export const textReply = (kind: ReplyKind, lang: Lang, text: string, suggestions: Suggestion[] = []): Reply => ({
  kind,
  lang,
  blocks: [{ type: 'text', text }],
  sources: [],
  suggestions,
  actions: [],
});

/** " › " joins a heading path the same way everywhere a source is cited. */
export const sectionLabel = (source: Pick<Source, 'noteTitle' | 'section'>): string =>
  [source.noteTitle, ...source.section].join(' › ');

/** The reply as plain text: what the JSON contract calls `answer`, and every platform's fallback text. */
export function plainText(reply: Reply): string {
  return reply.blocks
    .map((block) => {
      switch (block.type) {
        case 'text':
          return block.text;
        case 'code':
          return `\`\`\`${block.lang}\n${block.code}\n\`\`\``;
        case 'fields':
          return block.fields.map((f) => `${f.name}: ${f.value}`).join('\n');
      }
    })
    .join('\n\n');
}
