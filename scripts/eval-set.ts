/**
 * The eval sets: questions with the key fact a correct answer contains, or marked off-topic. Shared by the
 * eval test (which holds the 90% target on the shipped notes and the seed-shaped fixture) and
 * `npm run eval` (which also runs the seed note itself when ../shared is present).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Bot } from '../src/bot.js';
import { plainText } from '../src/reply.js';

export const QuestionSchema = z.union([
  z.object({ id: z.string(), q: z.string(), lang: z.enum(['zh', 'en']), expect: z.array(z.string()).min(1), seed: z.boolean() }),
  z.object({ id: z.string(), q: z.string(), lang: z.enum(['zh', 'en']), offtopic: z.literal(true) }),
]);
export type Question = z.infer<typeof QuestionSchema>;

export function readQuestions(file: string): Question[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => QuestionSchema.parse(JSON.parse(line)));
}

/** A key fact is present when any of its `|` alternatives appears in the answer, ignoring case. */
const hasFact = (answer: string, fact: string) => fact.split('|').some((alt) => answer.toLowerCase().includes(alt.toLowerCase()));

export interface EvalResult {
  /** Share of on-topic questions answered with every key fact. */
  answered: number;
  /** Share of off-topic questions the bot declined. */
  declined: number;
  onTopic: { total: number; misses: string[] };
  offTopic: { total: number; answered: string[] };
}

export async function evaluate(bot: Bot, questions: readonly Question[]): Promise<EvalResult> {
  const onTopic = { total: 0, correct: 0, misses: [] as string[] };
  const offTopic = { total: 0, declined: 0, answered: [] as string[] };
  for (const q of questions) {
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
  return {
    answered: onTopic.correct / Math.max(1, onTopic.total),
    declined: offTopic.declined / Math.max(1, offTopic.total),
    onTopic: { total: onTopic.total, misses: onTopic.misses },
    offTopic: { total: offTopic.total, answered: offTopic.answered },
  };
}

export const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
