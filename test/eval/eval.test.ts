import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, percent, readQuestions, type Question } from '../../scripts/eval-set.js';
import { createBot } from '../../src/bot.js';
import { shippedKnowledgeDir } from '../../src/paths.js';
import { fixturesDir, libraryOf } from '../helpers.js';

const questions = readQuestions(join(import.meta.dirname, 'questions.jsonl'));
const seedQuestions = readQuestions(join(import.meta.dirname, 'seed-questions.jsonl'));

/** The product target: at least 90% of on-topic questions answered with the key fact, on both note sets. */
const ANSWERED_FLOOR = 0.9;
const DECLINED_FLOOR = 0.9;

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
