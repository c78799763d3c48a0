/**
 * The eval sets: questions with the key fact a correct answer contains, or marked off-topic. Shared by the
 * eval test (which holds the 90% target on the shipped notes and the seed-shaped fixture) and
 * `npm run eval` (which also runs the seed note and the Kubernetes docs when ../shared is present, and
 * breaks the figures down by split and kind).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Bot } from '../src/bot.js';
import type { Lang } from '../src/lang.js';
import { plainText, type Reply } from '../src/reply.js';

const SplitSchema = z.enum(['tune', 'check']);
/** Tuning questions may be looked at while changing the bot; checking questions say whether it generalised. */
export type Split = z.infer<typeof SplitSchema>;

export const ON_TOPIC_KINDS = ['zh', 'en', 'mixed'] as const;
export type OnTopicKind = (typeof ON_TOPIC_KINDS)[number];

const HAN = /\p{Script=Han}/u;
const LATIN_WORD = /[A-Za-z]{3,}/;

/**
 * A question without a `kind` is "mixed" when it has Han characters next to a Latin word of three or more
 * letters (`pod`, `kubectl`), the way team chat drops English terms into Chinese; otherwise its `lang`.
 * Two-letter tokens (IP, v2, k8s) do not make a question mixed: they read as symbols, not English.
 */
export const derivedKind = (q: { q: string; lang: Lang }): OnTopicKind => (HAN.test(q.q) && LATIN_WORD.test(q.q) ? 'mixed' : q.lang);

/** About one in three questions checks: a hash of the id decides, so old sets need no edits and a question never changes sides. */
export const hashedSplit = (id: string): Split => (createHash('sha256').update(id).digest().readUInt32BE(0) % 3 === 0 ? 'check' : 'tune');

const common = { id: z.string(), q: z.string(), lang: z.enum(['zh', 'en']), split: SplitSchema.optional() };

const OnTopicSchema = z
  .object({
    ...common,
    expect: z.array(z.string()).min(1),
    seed: z.boolean().default(false),
    kind: z.enum(ON_TOPIC_KINDS).optional(),
    /** The docs page that holds the answer, relative to `content/<lang>/docs/`. */
    page: z.string().optional(),
  })
  .transform((q) => ({ ...q, kind: q.kind ?? derivedKind(q), split: q.split ?? hashedSplit(q.id) }));

const OffTopicSchema = z
  .object({ ...common, offtopic: z.literal(true), kind: z.literal('offtopic').optional() })
  .transform((q) => ({ ...q, kind: 'offtopic' as const, split: q.split ?? hashedSplit(q.id) }));

export const QuestionSchema = z.union([OnTopicSchema, OffTopicSchema]);
export type Question = z.infer<typeof QuestionSchema>;

export const isOffTopic = (q: Question): q is z.infer<typeof OffTopicSchema> => 'offtopic' in q;

export function readQuestions(file: string): Question[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => QuestionSchema.parse(JSON.parse(line)));
}

/** A key fact is present when any of its `|` alternatives appears in the answer, ignoring case. */
const hasFact = (answer: string, fact: string) => fact.split('|').some((alt) => answer.toLowerCase().includes(alt.toLowerCase()));

/** One question's reply; `passed` means answered with every key fact, or declined when off-topic. */
export interface Outcome {
  question: Question;
  reply: Reply;
  passed: boolean;
}

function judge(question: Question, reply: Reply): Outcome {
  const passed = isOffTopic(question)
    ? reply.kind === 'not-found'
    : reply.kind === 'answer' && question.expect.every((fact) => hasFact(plainText(reply), fact));
  return { question, reply, passed };
}

/**
 * Markup a reader should never see in an answer's prose (code blocks may hold anything): raw links,
 * shortcodes, admonition and callout markers, wiki links, HTML tags, and the empty parentheses a removed
 * shortcode leaves behind (not a call such as `setns()`).
 */
const MARKUP_JUNK = /\]\((?:#|\/|\.)|\{\{|\{%|%\}|^\s*(?::::|!!!|\?\?\?)|\[!\w+\]|\[\[|<\/?(?:img|br|a|div|span|p|b|i|em|strong|code|table|tr|td)\b|(?<![\w\u3400-\u9fff])[(（]\s*[)）]/im;

/** The prose of a reply that still holds markup junk, or undefined when it is clean. Inline code is code. */
export function markupJunk(reply: Reply): string | undefined {
  for (const block of reply.blocks) {
    if (block.type !== 'text') continue;
    const prose = block.text.replace(/`[^`]*`/g, '`…`');
    const found = MARKUP_JUNK.exec(prose);
    if (found) return prose.slice(Math.max(0, found.index - 40), found.index + 40);
  }
  return undefined;
}

export interface EvalResult {
  /** Share of on-topic questions answered with every key fact. */
  answered: number;
  /** Share of off-topic questions the bot declined. */
  declined: number;
  onTopic: { total: number; misses: string[] };
  offTopic: { total: number; answered: string[] };
  outcomes: Outcome[];
}

export async function evaluate(bot: Bot, questions: readonly Question[]): Promise<EvalResult> {
  const outcomes: Outcome[] = [];
  for (const question of questions) outcomes.push(judge(question, await bot.handle({ text: question.q })));
  const onTopic = outcomes.filter((o) => !isOffTopic(o.question));
  const offTopic = outcomes.filter((o) => isOffTopic(o.question));
  const failedIds = (some: Outcome[]) => some.filter((o) => !o.passed).map((o) => o.question.id);
  return {
    answered: shareOf(onTopic).share ?? 0,
    declined: shareOf(offTopic).share ?? 0,
    onTopic: { total: onTopic.length, misses: failedIds(onTopic) },
    offTopic: { total: offTopic.length, answered: failedIds(offTopic) },
    outcomes,
  };
}

/** `share` is null when there is nothing to share out, so an empty kind never reads as 0%. */
export interface Share {
  share: number | null;
  count: number;
}

const shareOf = (outcomes: readonly Outcome[]): Share => ({
  share: outcomes.length ? outcomes.filter((o) => o.passed).length / outcomes.length : null,
  count: outcomes.length,
});

/** The docs eval lays each language's pages out under its own folder, which is how a cited note shows its language. */
export const DOCS_FOLDERS: Record<Lang, string> = { en: 'en', zh: 'zh-cn' };

export type MissCause = 'rightPageWithoutFact' | 'otherLanguagePage' | 'otherPage' | 'declined';

/** Why an on-topic question with a `page` was missed; a citation of the right page in the question's language counts first. */
export function missCause(outcome: Outcome): MissCause | undefined {
  const { question, reply } = outcome;
  if (outcome.passed || isOffTopic(question) || !question.page) return undefined;
  if (reply.kind !== 'answer') return 'declined';
  const page = question.page;
  const cited = reply.sources.map((s) => s.note).filter((note) => note.endsWith(page));
  if (cited.some((note) => note.startsWith(`${DOCS_FOLDERS[question.lang]}/`))) return 'rightPageWithoutFact';
  return cited.length ? 'otherLanguagePage' : 'otherPage';
}

export interface Figures {
  zh: Share;
  en: Share;
  mixed: Share;
  offTopicDeclined: Share;
  /** Only for questions that name their `page`: how the misses among them went wrong. */
  missCauses?: Record<MissCause, number>;
}

function countCauses(outcomes: readonly Outcome[]): Record<MissCause, number> {
  const counts: Record<MissCause, number> = { rightPageWithoutFact: 0, otherLanguagePage: 0, otherPage: 0, declined: 0 };
  for (const outcome of outcomes) {
    const cause = missCause(outcome);
    if (cause) counts[cause]++;
  }
  return counts;
}

export function figuresOf(outcomes: readonly Outcome[]): Figures {
  const ofKind = (kind: Question['kind']) => shareOf(outcomes.filter((o) => o.question.kind === kind));
  const withPage = outcomes.some((o) => !isOffTopic(o.question) && o.question.page !== undefined);
  return {
    zh: ofKind('zh'),
    en: ofKind('en'),
    mixed: ofKind('mixed'),
    offTopicDeclined: ofKind('offtopic'),
    ...(withPage ? { missCauses: countCauses(outcomes) } : {}),
  };
}

export const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

const TurnSchema = z.object({ q: z.string().min(1), expect: z.array(z.string()).min(1), followup: z.boolean().optional() });

/** A conversation of two or three turns; every later turn is judged, the first only sets the scene. */
const ConversationSchema = z
  .object({ id: z.string(), lang: z.enum(['zh', 'en', 'mixed']), turns: z.array(TurnSchema).min(2).max(3) })
  .transform((c) => ({ ...c, split: hashedSplit(c.id) }));
export type Conversation = z.infer<typeof ConversationSchema>;

export function readConversations(file: string): Conversation[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => ConversationSchema.parse(JSON.parse(line)));
}

/** One later turn of a conversation: whether its reply carried the turn's facts. */
export interface TurnOutcome {
  conversation: Conversation;
  turn: number;
  /** The turn names no topic of its own and only makes sense with the earlier ones. */
  followup: boolean;
  reply: Reply;
  passed: boolean;
}

/** Runs each conversation in its own conversation of `bot` (which must have a store to remember turns). */
export async function evaluateConversations(bot: Bot, conversations: readonly Conversation[]): Promise<TurnOutcome[]> {
  const outcomes: TurnOutcome[] = [];
  for (const conversation of conversations) {
    for (const [turn, { q, expect, followup }] of conversation.turns.entries()) {
      const reply = await bot.handle({ text: q, conversation: `eval:${conversation.id}` });
      if (turn === 0) continue;
      const passed = reply.kind === 'answer' && expect.every((fact) => hasFact(plainText(reply), fact));
      outcomes.push({ conversation, turn, followup: followup === true, reply, passed });
    }
  }
  return outcomes;
}

/** The share of later turns answered with their facts, of every kind and of follow-ups and topic switches apart. */
export function conversationFigures(outcomes: readonly TurnOutcome[]): Record<'all' | 'followUps' | 'topicSwitches' | OnTopicKind, Share> {
  const share = (some: readonly TurnOutcome[]): Share => ({ share: some.length ? some.filter((o) => o.passed).length / some.length : null, count: some.length });
  return {
    all: share(outcomes),
    followUps: share(outcomes.filter((o) => o.followup)),
    topicSwitches: share(outcomes.filter((o) => !o.followup)),
    zh: share(outcomes.filter((o) => o.conversation.lang === 'zh')),
    en: share(outcomes.filter((o) => o.conversation.lang === 'en')),
    mixed: share(outcomes.filter((o) => o.conversation.lang === 'mixed')),
  };
}
