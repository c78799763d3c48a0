import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createBot } from '../../src/bot.js';
import { shippedKnowledgeDir } from '../../src/paths.js';
import { plainText } from '../../src/reply.js';
import { fixturesDir, libraryOf } from '../helpers.js';

const QuestionSchema = z.union([
  z.object({ id: z.string(), q: z.string(), lang: z.enum(['zh', 'en']), expect: z.array(z.string()).min(1), seed: z.boolean() }),
  z.object({ id: z.string(), q: z.string(), lang: z.enum(['zh', 'en']), offtopic: z.literal(true) }),
]);
type Question = z.infer<typeof QuestionSchema>;

const questions: Question[] = readFileSync(join(import.meta.dirname, 'questions.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => QuestionSchema.parse(JSON.parse(line)));

/** A key fact is present when any of its `|` alternatives appears in the answer, ignoring case. */
const hasFact = (answer: string, fact: string) => fact.split('|').some((alt) => answer.toLowerCase().includes(alt.toLowerCase()));

async function evaluate(dir: string, subset: (q: Question) => boolean) {
  const bot = createBot(libraryOf(dir));
  const onTopic = { total: 0, correct: 0, misses: [] as string[] };
  const offTopic = { total: 0, declined: 0, answered: [] as string[] };
  for (const q of questions.filter(subset)) {
    const reply = await bot.handle({ text: q.q });
    if ('offtopic' in q) {
      offTopic.total++;
      if (reply.kind === 'not-found') offTopic.declined++;
      else offTopic.answered.push(q.id);
    } else {
      onTopic.total++;
      if (reply.kind === 'answer' && q.expect.every((fact) => hasFact(plainText(reply), fact))) onTopic.correct++;
      else onTopic.misses.push(q.id);
    }
  }
  return { answered: onTopic.correct / onTopic.total, declined: offTopic.declined / offTopic.total, onTopic, offTopic };
}

/** The product target: at least 90% of on-topic questions answered with the key fact, on both note sets. */
const ANSWERED_FLOOR = { shipped: 0.9, seedShaped: 0.9 };

describe('eval set', () => {
  it('has at least 150 questions across Chinese, English and off-topic', () => {
    expect(questions.length).toBeGreaterThanOrEqual(150);
    expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length);
    expect(questions.filter((q) => 'offtopic' in q).length).toBeGreaterThanOrEqual(30);
    expect(questions.filter((q) => q.lang === 'zh').length).toBeGreaterThanOrEqual(50);
    expect(questions.filter((q) => q.lang === 'en').length).toBeGreaterThanOrEqual(50);
  });

  it('on the shipped notes: answers with the key fact and declines off-topic', async () => {
    const result = await evaluate(shippedKnowledgeDir, () => true);
    console.log(`shipped notes: ${(result.answered * 100).toFixed(1)}% answered with the key fact (${result.onTopic.total}), ${(result.declined * 100).toFixed(1)}% off-topic declined (${result.offTopic.total})`);
    expect(result.answered).toBeGreaterThanOrEqual(ANSWERED_FLOOR.shipped);
    expect(result.declined).toBeGreaterThanOrEqual(0.9);
  });

  it('on a seed-shaped note: answers the seed facts and declines off-topic', async () => {
    const result = await evaluate(join(fixturesDir, 'seed-shaped'), (q) => 'offtopic' in q || q.seed);
    console.log(`seed-shaped note: ${(result.answered * 100).toFixed(1)}% answered with the key fact (${result.onTopic.total}), ${(result.declined * 100).toFixed(1)}% off-topic declined (${result.offTopic.total})`);
    expect(result.answered).toBeGreaterThanOrEqual(ANSWERED_FLOOR.seedShaped);
    expect(result.declined).toBeGreaterThanOrEqual(0.9);
  });
});
