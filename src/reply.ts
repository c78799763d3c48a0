import type { Lang } from './lang.js';

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

/** Something the person may ask next; `ask` is the text to send back as if they had typed it. */
export interface Suggestion {
  label: string;
  ask: string;
}

export type Action = { type: 'feedback'; answerId: string };

export type ReplyKind = 'answer' | 'not-found' | 'help' | 'tip' | 'digest' | 'error';

export interface Reply {
  kind: ReplyKind;
  lang: Lang;
  blocks: Block[];
  sources: Source[];
  suggestions: Suggestion[];
  actions: Action[];
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
