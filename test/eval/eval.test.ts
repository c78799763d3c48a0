import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conversationFigures, evaluate, evaluateConversations, isOffTopic, percent, readConversations, readQuestions, type Question } from '../../scripts/eval-set.js';
import { createBot } from '../../src/bot.js';
import { shippedKnowledgeDir } from '../../src/paths.js';
import { fixturesDir, libraryOf, openTestStore, shippedLibrary } from '../helpers.js';

const questions = readQuestions(join(import.meta.dirname, 'questions.jsonl'));
const seedQuestions = readQuestions(join(import.meta.dirname, 'seed-questions.jsonl'));

/** The product target: at least 90% of on-topic questions answered with the key fact, on both note sets. */
const ANSWERED_FLOOR = 0.9;
const DECLINED_FLOOR = 0.9;
/**
 * Later turns of the conversation set answered with their fact. The product target is 85%; this floor is
 * what the bot reaches today (see `npm run eval`), so a change that loses ground fails here.
 */
const CONVERSATION_FLOOR = 0.86;

async function run(label: string, dir: string, subset: (q: Question) => boolean) {
  const result = await evaluate(createBot(libraryOf(dir)), questions.filter(subset));
  console.log(`${label}: ${percent(result.answered)} answered with the key fact (${result.onTopic.total}), ${percent(result.declined)} off-topic declined (${result.offTopic.total})`);
  return result;
}

describe('eval set', () => {
  it('has at least 150 questions across Chinese, English and off-topic', () => {
    expect(questions.length).toBeGreaterThanOrEqual(150);
    expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length);
    expect(questions.filter((q) => 'offtopic' in q).length).toBeGreaterThanOrEqual(30);
    expect(questions.filter((q) => q.lang === 'zh').length).toBeGreaterThanOrEqual(50);
    expect(questions.filter((q) => q.lang === 'en').length).toBeGreaterThanOrEqual(50);
  });

  it('has a separate set of questions about the seed note itself, for `npm run eval`', () => {
    expect(new Set(seedQuestions.map((q) => q.id)).size).toBe(seedQuestions.length);
    expect(seedQuestions.every((q) => !questions.some((other) => other.id === q.id))).toBe(true);
  });

  it('has a docs set of 150+ questions over the listed pages, split by page into tuning and checking parts', () => {
    const docs = readQuestions(join(import.meta.dirname, 'docs-questions.jsonl'));
    const pages = readFileSync(join(import.meta.dirname, 'docs-pages.txt'), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    expect(docs.length).toBeGreaterThanOrEqual(150);
    expect(new Set(docs.map((q) => q.id)).size).toBe(docs.length);
    for (const kind of ['zh', 'en', 'mixed', 'offtopic']) expect(docs.filter((q) => q.kind === kind).length, kind).toBeGreaterThanOrEqual(20);
    const onTopic = docs.flatMap((q) => (isOffTopic(q) ? [] : [q]));
    expect(onTopic.every((q) => q.page !== undefined && pages.includes(q.page))).toBe(true);
    // A page's questions are all tuning or all checking, so the checking part asks about pages never tuned on.
    const splitsOfPage = new Map<string, Set<string>>();
    for (const q of onTopic) splitsOfPage.set(q.page!, (splitsOfPage.get(q.page!) ?? new Set()).add(q.split!));
    expect([...splitsOfPage.values()].every((splits) => splits.size === 1)).toBe(true);
  });

  it('on the shipped notes: answers with the key fact and declines off-topic', async () => {
    const result = await run('shipped notes', shippedKnowledgeDir, () => true);
    expect(result.answered).toBeGreaterThanOrEqual(ANSWERED_FLOOR);
    expect(result.declined).toBeGreaterThanOrEqual(DECLINED_FLOOR);
  });

  it('on a seed-shaped note: answers the seed facts and declines off-topic', async () => {
    const result = await run('seed-shaped note', join(fixturesDir, 'seed-shaped'), (q) => 'offtopic' in q || q.seed);
    expect(result.answered).toBeGreaterThanOrEqual(ANSWERED_FLOOR);
    expect(result.declined).toBeGreaterThanOrEqual(DECLINED_FLOOR);
  });
});

describe('conversation eval', () => {
  it('has 40+ conversations of two or three turns in zh, en and mixed, with topic switches among the later turns', () => {
    const conversations = readConversations(join(import.meta.dirname, 'conversations.jsonl'));
    expect(conversations.length).toBeGreaterThanOrEqual(40);
    for (const lang of ['zh', 'en', 'mixed']) expect(conversations.filter((c) => c.lang === lang).length, lang).toBeGreaterThanOrEqual(10);
    expect(conversations.flatMap((c) => c.turns.slice(1)).filter((t) => t.followup === false).length).toBeGreaterThanOrEqual(8);
  });

  it('on the shipped notes: answers later turns with their key fact, reading follow-ups with the thread', async () => {
    const store = openTestStore();
    const outcomes = await evaluateConversations(createBot(shippedLibrary(), { store }), readConversations(join(import.meta.dirname, 'conversations.jsonl')));
    const figures = conversationFigures(outcomes);
    expect(figures.all.share).toBeGreaterThanOrEqual(CONVERSATION_FLOOR);
    // Reading every turn as a follow-up is not the way there: topic switches are still answered.
    expect(figures.topicSwitches.share).toBeGreaterThanOrEqual(0.8);
    await store.close();
  }, 60_000);
});
