import { z } from 'zod';
import { LangSchema, type Lang } from '../lang.js';
import type { Query } from '../search/query.js';
import type { SearchIndex } from '../search/search-index.js';

/**
 * What a conversation keeps of its last question: what it was about (its Kubernetes terms), all the words
 * it was read with, and the note its answer came from, so the next message can lean on them.
 */
export const TurnSchema = z.object({
  topic: z.string().max(300),
  words: z.string().max(600),
  lang: LangSchema,
  /** The note the answer came from, when there was one: what the conversation is in. */
  note: z.string().max(1000).optional(),
});
export type Turn = z.infer<typeof TurnSchema>;

/** How a message was read: the query to answer, what to remember of it, and the topic it borrowed, if any. */
export interface Reading {
  query: Query;
  turn: Turn;
  /** Set when the message was read together with the previous turn: the reply says so. */
  about?: string;
}

/**
 * A message that points back at the last one ("what port does it use?", "它的日志怎么看"): whatever else it
 * names, it is about the previous topic.
 */
const POINTS_BACK = /\b(?:it|its|it's|they|them|their|this|that|these|those)\b|它|这个|那个|这种|该/i;
/** A message that swaps the topic and keeps the question ("and for a StatefulSet?", "那 StatefulSet 呢？"). */
const SWAPS_TOPIC = /^\s*(?:and|what about|how about|same for|also for|or)\b|^\s*(?:那|还有|换成|如果是)|呢\s*[？?]?\s*$/i;

const noteTexts = new WeakMap<SearchIndex, Map<string, string>>();

/** Whether the note at `path` uses `phrase` anywhere: a term the last answer's note already has is no new topic. */
function mentions(index: SearchIndex, path: string, phrase: string): boolean {
  let texts = noteTexts.get(index);
  if (!texts) {
    texts = new Map();
    for (const ref of index.passages) {
      const p = ref.passage;
      const text = p.kind === 'code' ? p.code : p.kind === 'table-row' ? p.cells.join(' ') : p.text;
      texts.set(ref.note.path, `${texts.get(ref.note.path) ?? ref.note.title} ${ref.section.headings.join(' ')} ${text.toLowerCase()}`);
    }
    noteTexts.set(index, texts);
  }
  return texts.get(path)?.includes(phrase.toLowerCase()) ?? false;
}

const textsOf = (query: Query, topical?: boolean) => query.clauses.filter((c) => topical === undefined || c.topical === topical).map((c) => c.text);
const joined = (...lists: string[][]) => [...new Set(lists.flat())].join(' ');

/**
 * The message read with words borrowed from the last turn. Borrowed words only steer: they weigh less in
 * the match and in what an answer must cover, so the message's own words decide what answers it.
 */
function withContext(index: SearchIndex, text: string, lang: Lang, borrowed: string, note: string | undefined): Query {
  const own = new Set(index.parse(text, lang).clauses.map((c) => c.text));
  const query = index.parse(`${borrowed} ${text}`, lang);
  const factor = index.params.conversation.borrowedWeight;
  return {
    ...query,
    ...(note === undefined ? {} : { inNote: note }),
    clauses: query.clauses.map((c) =>
      own.has(c.text) ? c : { ...c, importance: c.importance * factor, alternatives: c.alternatives.map((a) => ({ ...a, weight: a.weight * factor })) },
    ),
  };
}

/**
 * Reads `text` in its conversation. A message is read alone when there is no previous turn, or when it names
 * a topic the last answer's note does not mention and does not point back ("it", "那…呢"). Otherwise it is a
 * follow-up: read with the last turn's words, and about the topic it names, or else the last one.
 */
export function readInConversation(index: SearchIndex, text: string, lang: Lang, previous?: Turn): Reading {
  const alone = index.parse(text, lang);
  const topic = textsOf(alone, true);
  const own: Turn = { topic: topic.join(' '), words: joined(textsOf(alone)), lang };
  if (!previous || !previous.words) return { query: alone, turn: own };
  const pointsBack = POINTS_BACK.test(text);
  const swaps = !pointsBack && topic.length > 0 && SWAPS_TOPIC.test(text);
  const sameNote = previous.note !== undefined && topic.every((t) => mentions(index, previous.note!, t));
  if (topic.length > 0 && !pointsBack && !swaps && !sameNote) return { query: alone, turn: own };
  const about = swaps || (topic.length > 0 && !pointsBack && !previous.topic) ? own.topic : previous.topic;
  const query = withContext(index, text, lang, previous.words, previous.note);
  return { query, turn: { topic: about, words: joined(textsOf(alone), about.split(' ')), lang }, ...(about ? { about } : {}) };
}
