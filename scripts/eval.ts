/**
 * `npm run eval`: answer accuracy on every note set we have. The shipped notes and the seed-shaped fixture
 * always; the seed note itself (../shared/seeds) when present, with both the seed questions of the main
 * set and the separate seed-questions set written from the seed note alone. `--misses` lists what failed.
 * The eval test holds the targets; this prints the figures, including the ones no test can see.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createBot } from '../src/bot.js';
import { openLibrary } from '../src/library.js';
import { packageRoot, shippedKnowledgeDir } from '../src/paths.js';
import { evaluate, percent, readQuestions, type Question } from './eval-set.js';

const evalDir = join(packageRoot, 'test', 'eval');
const main = readQuestions(join(evalDir, 'questions.jsonl'));
const seedSet = readQuestions(join(evalDir, 'seed-questions.jsonl'));
const seedOnly = (q: Question) => 'offtopic' in q || q.seed;
const showMisses = process.argv.includes('--misses');

async function report(label: string, dir: string, questions: Question[]): Promise<void> {
  const library = openLibrary(dir);
  if (!library.ok) throw new Error(`${label}: ${library.error}`);
  const result = await evaluate(createBot(library.value), questions);
  console.log(
    `${label}: ${percent(result.answered)} answered with the key fact (${result.onTopic.total}), ` +
      `${percent(result.declined)} off-topic declined (${result.offTopic.total})`,
  );
  if (showMisses) {
    if (result.onTopic.misses.length) console.log(`  missed: ${result.onTopic.misses.join(' ')}`);
    if (result.offTopic.answered.length) console.log(`  answered off-topic: ${result.offTopic.answered.join(' ')}`);
  }
}

await report('shipped notes, main set', shippedKnowledgeDir, main);
await report('seed-shaped fixture, main set', join(packageRoot, 'test', 'fixtures', 'seed-shaped'), main.filter(seedOnly));
const seeds = join(packageRoot, '..', 'shared', 'seeds');
if (existsSync(seeds)) {
  await report('seed note, main set', seeds, main.filter(seedOnly));
  await report('seed note, seed-questions set', seeds, seedSet);
} else {
  console.log(`seed note: ${seeds} is not here, so the seed note itself is not evaluated`);
}
