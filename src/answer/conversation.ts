import { z } from 'zod';
import { LangSchema, type Lang } from '../lang.js';
import { answerQuery } from './answer.js';
import type { Reply } from '../reply.js';
import type { Query } from '../search/query.js';
import { passageText, type SearchIndex } from '../search/search-index.js';
import { tokenize } from '../search/tokenize.js';

/**
 * What a conversation keeps of its last question: what it was about (its Kubernetes terms), all the words
 * it was read with, and the note its answer came from, so the next message can lean on them.
 */
export const TurnSchema = z.object({
  topic: z.string().max(300),
  /** The topic as the person wrote it first ("Deployment"), for the line that says how a follow-up was read. */
  label: z.string().max(100),
  words: z.string().max(600),
  lang: LangSchema,
  /** The note the answer came from, when there was one: what the conversation is in. */
  note: z.string().max(1000).optional(),
});
export type Turn = z.infer<typeof TurnSchema>;

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
    const parts = new Map<string, string[]>();
    for (const ref of index.passages) {
      let note = parts.get(ref.note.path);
      if (!note) parts.set(ref.note.path, (note = [ref.note.title]));
      // A section's headings once, with its first passage.
      if (ref.passage === ref.section.passages[0]) note.push(...ref.section.headings);
      note.push(passageText(ref.passage));
    }
    texts = new Map([...parts].map(([notePath, words]) => [notePath, words.join('\n').toLowerCase()]));
    noteTexts.set(index, texts);
  }
  const text = texts.get(path);
  // A clause's text joins its parts (a Chinese word's pairs, a phrase's words): the note must have each.
  return text !== undefined && phrase.toLowerCase().split(' ').every((part) => text.includes(part));
}

const textsOf = (query: Query, topical?: boolean) => query.clauses.filter((c) => topical === undefined || c.topical === topical).map((c) => c.text);
const joined = (...lists: string[][]) => [...new Set(lists.flat())].join(' ');

/** A turn within the lengths its schema reads back: a 2,000-character question must not end its conversation. */
const clipped = (turn: Turn): Turn => ({ ...turn, topic: turn.topic.slice(0, 300), label: turn.label.slice(0, 100), words: turn.words.slice(0, 600) });

const titleTerms = new WeakMap<SearchIndex, Set<string>>();

/** The terms of every note title: the names of what the notes are about. */
function titlesOf(index: SearchIndex): Set<string> {
  let terms = titleTerms.get(index);
  if (terms === undefined) {
    terms = new Set([...new Set(index.passages.map((ref) => ref.note.title))].flatMap((title) => tokenize(title)));
    titleTerms.set(index, terms);
  }
  return terms;
}

/**
 * What the message is about, as it spells it ("Deployment"): of its Kubernetes terms, a name (one Latin
 * word: Deployment, etcd) before a phrase, and one a note's title uses before one it does not; the first
 * of equals. A clause's text may join several phrasings ("statefulset stateful set"); the one the message
 * used is shown.
 */
function labelOf(index: SearchIndex, query: Query, text: string): string {
  const topical = query.clauses.filter((c) => c.topical);
  const titles = titlesOf(index);
  const rank = (text: string) => (/^[a-z0-9][\w.-]*$/i.test(text.split(' ')[0]!) && !/\p{Script=Han}/u.test(text) ? 2 : 0) + (tokenize(text).some((t) => titles.has(t)) ? 1 : 0);
  const clause = topical.reduce<(typeof topical)[number] | undefined>((best, c) => (best === undefined || rank(c.text) > rank(best.text) ? c : best), undefined);
  if (!clause) return '';
  const lower = text.toLowerCase();
  const phrasings = [clause.text, ...clause.text.split(' ')].filter((p) => lower.includes(p));
  const used = phrasings.sort((a, b) => b.length - a.length)[0];
  if (used === undefined) return clause.text;
  const at = lower.indexOf(used);
  return text.slice(at, at + used.length);
}

/**
 * The message read with words borrowed from the last turn. Borrowed words only steer: each weighs less in
 * the match and in what an answer must cover, and all of them together no more than a share of the
 * message's own words, so the message's own words decide what answers it.
 */
function withContext(index: SearchIndex, alone: Query, borrowed: string, note: string | undefined): Query {
  const own = new Set(alone.clauses.map((c) => c.text));
  const query = index.parse(`${borrowed} ${alone.text}`, alone.lang);
  const { borrowedWeight, borrowedShare } = index.params.conversation;
  const importance = (mine: boolean) => query.clauses.reduce((sum, c) => (own.has(c.text) === mine ? sum + c.importance : sum), 0);
  const ownImportance = importance(true);
  const lent = importance(false) * borrowedWeight;
  // A long last question lends many words: past the share they weigh less together, each in proportion.
  const factor = ownImportance > 0 && lent > borrowedShare * ownImportance ? (borrowedWeight * borrowedShare * ownImportance) / lent : borrowedWeight;
  return {
    ...query,
    ...(note === undefined ? {} : { inNote: note }),
    clauses: query.clauses.map((c) =>
      own.has(c.text) ? c : { ...c, importance: c.importance * factor, alternatives: c.alternatives.map((a) => ({ ...a, weight: a.weight * factor })) },
    ),
  };
}

/** How a message was answered in its conversation, and what to remember of it. */
export interface ConversationAnswer {
  reply: Reply;
  /** The message read alone: what it itself names (a quoted command, say). */
  query: Query;
  /** The turn to remember, with the note the answer came from. */
  turn: Turn;
  /** Set when the message was read as a follow-up: the topic it was read with. */
  about?: string;
}

/**
 * Answers `text` in its conversation. A message is read alone when there is no previous turn, or when it names
 * a topic the last answer's note does not mention and does not point back ("it", "那…呢"); if the notes have
 * no answer to it alone, it is a follow-up after all. A follow-up is read with the last turn's words, and is
 * about the topic it names, or else the last one.
 */
export function answerInConversation(index: SearchIndex, text: string, lang: Lang, previous?: Turn): ConversationAnswer {
  const alone = index.parse(text, lang);
  const topic = textsOf(alone, true);
  const own = clipped({ topic: topic.join(' '), label: labelOf(index, alone, text), words: joined(textsOf(alone)), lang });
  const answered = (reply: Reply, turn: Turn, about?: string): ConversationAnswer => {
    const note = reply.kind === 'answer' ? reply.sources[0]?.note : undefined;
    return { reply, query: alone, turn: note ? { ...turn, note } : turn, ...(about ? { about } : {}) };
  };
  if (!previous || !previous.words) return answered(answerQuery(index, alone), own);
  const pointsBack = POINTS_BACK.test(text);
  const swaps = !pointsBack && topic.length > 0 && SWAPS_TOPIC.test(text);
  const sameNote = previous.note !== undefined && topic.every((t) => mentions(index, previous.note!, t));
  if (topic.length > 0 && !pointsBack && !swaps && !sameNote) {
    const reply = answerQuery(index, alone);
    if (reply.kind === 'answer') return answered(reply, own);
  }
  const ownTopic = swaps || (topic.length > 0 && !pointsBack && !previous.topic);
  const about = ownTopic ? own : previous;
  const reply = answerQuery(index, withContext(index, alone, previous.words, previous.note));
  const turn = clipped({ topic: about.topic, label: about.label, words: joined(textsOf(alone), about.topic.split(' ')), lang });
  return answered(reply, turn, about.label || undefined);
}
