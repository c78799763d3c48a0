/**
 * `npm run bench`: how fast and how small the bot is, on the shipped notes and, when ../shared/corpora is
 * present, on the Kubernetes documentation (en + zh-cn): whole processes from start to answer, parsing,
 * indexing, the saved index, and the ask path beside a plain BM25 reference, FlexSearch and a plain fuse.js index,
 * measured in the same run. Prints figures; asserts nothing (speed is not a unit test's business).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fuse from 'fuse.js';
import { createBot } from '../src/bot.js';
import { loadKnowledge } from '../src/knowledge/load.js';
import type { Note } from '../src/knowledge/note.js';
import { openLibraryCached } from '../src/library-cache.js';
import { packageRoot, shippedKnowledgeDir } from '../src/paths.js';
import { buildLibrary, type Library } from '../src/library.js';
import { bm25Reference } from './bench-bm25.js';
import { flexSearchYardstick } from './bench-flexsearch.js';
import { benchColdAsk, benchHelp, benchStartToPrompt } from './bench-cold.js';
import { benchSlackRoundTrip } from './bench-slack.js';
import { passageText } from '../src/search/search-index.js';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
/** The JavaScript heap and the typed arrays' buffers, which live outside it. */
const memory = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ms = (x: number) => `${x.toFixed(x < 10 ? 3 : 1)} ms`;

const questions: string[] = readFileSync(join(packageRoot, 'test/eval/questions.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => (JSON.parse(line) as { q: string }).q);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** p50 and p99 of `ask` over the eval questions, `rounds` times each after a warm-up round. */
async function askTimes(library: Library, rounds: number): Promise<{ p50: number; p99: number; count: number }> {
  const bot = createBot(library);
  for (const q of questions) await bot.handle({ text: q }); // warm up
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of questions) {
      const t = performance.now();
      await bot.handle({ text: q });
      times.push(performance.now() - t);
    }
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), count: times.length };
}

/** The same questions through a yardstick (the plain BM25 reference, FlexSearch) over the same passages. */
function yardstickTimes(reference: { search(q: string): unknown; heap: number; buildMs: number }, rounds: number): { p50: number; p99: number; heap: number; buildMs: number } {
  for (const q of questions) reference.search(q);
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of questions) {
      const t = performance.now();
      reference.search(q);
      times.push(performance.now() - t);
    }
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), heap: reference.heap, buildMs: reference.buildMs };
}

async function benchAsk(label: string, notes: Note[], rounds: number): Promise<void> {
  gc();
  const heapBefore = memory();
  const started = performance.now();
  const library = buildLibrary(shippedKnowledgeDir, notes);
  const buildMs = performance.now() - started;
  gc();
  const heap = memory() - heapBefore;
  const { index } = library;
  const ask = await askTimes(library, rounds);
  console.log(
    `${label}: ${notes.length} notes, ${index.sectionCount} sections, ${index.passages.length} passages | build ${ms(buildMs)} (notes index, catalog, tips) | heap and arrays ${mb(heap)} | ask p50 ${ms(ask.p50)} p99 ${ms(ask.p99)} (${ask.count} questions)`,
  );
  const reference = yardstickTimes(bm25Reference(notes, gc), rounds);
  const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}x`;
  console.log(
    `  plain BM25 reference, same passages and tokenizer: build ${ms(reference.buildMs)} | heap ${mb(reference.heap)} | search p50 ${ms(reference.p50)} p99 ${ms(reference.p99)} | ask is ${ratio(ask.p50, reference.p50)} its p50, ${ratio(ask.p99, reference.p99)} its p99, ${ratio(heap, reference.heap)} its heap`,
  );
  const flex = yardstickTimes(flexSearchYardstick(notes, gc), rounds);
  console.log(
    `  FlexSearch 0.8, same passages and terms: build ${ms(flex.buildMs)} | heap ${mb(flex.heap)} | search p50 ${ms(flex.p50)} p99 ${ms(flex.p99)} | ask is ${ratio(ask.p50, flex.p50)} its p50, ${ratio(ask.p99, flex.p99)} its p99, ${ratio(heap, flex.heap)} its heap`,
  );
}

/**
 * The saved index of one folder, in this process: the first open builds and saves it, the next loads it,
 * first telling the notes unchanged by their bytes, then (once they have settled) by their stamps.
 */
async function benchSavedIndex(label: string, dir: string): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'k8s-notes-bot-bench-'));
  try {
    let heap = 0;
    const open = () => {
      gc();
      const heapBefore = memory();
      const started = performance.now();
      const library = openLibraryCached(dir, dataDir);
      const took = performance.now() - started;
      if (!library.ok) throw new Error(library.error);
      gc();
      heap = memory() - heapBefore;
      return took;
    };
    const rebuild = open();
    const byContents = Math.min(open(), open());
    // Stamps are trusted only two seconds after a file's last change: the corpus was just unpacked.
    await new Promise((done) => setTimeout(done, 2100));
    open();
    const byStamps = Math.min(open(), open(), open());
    console.log(`${label}: rebuild (parse, index, save) ${ms(rebuild)} | load saved index: notes checked by bytes ${ms(byContents)}, by stamps ${ms(byStamps)} | heap and arrays of the loaded library ${mb(heap)}`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The baseline: one fuse.js index over whole sections (title, headings, text), as a naive bot would do. */
function benchFuse(label: string, notes: Note[], sections: number, sample: number): void {
  const docs = notes
    .flatMap((n) => n.sections.map((s) => ({ title: n.title, headings: s.headings.join(' '), text: s.passages.map(passageText).join('\n') })))
    .slice(0, sections);
  const started = performance.now();
  const fuse = new Fuse(docs, { keys: ['title', 'headings', 'text'], ignoreLocation: true, threshold: 0.4 });
  const buildMs = performance.now() - started;
  const times: number[] = [];
  for (const q of questions.slice(0, sample)) {
    const t = performance.now();
    fuse.search(q, { limit: 3 });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`${label}: fuse.js over ${docs.length} sections | build ${ms(buildMs)} | search p50 ${ms(percentile(times, 50))} p99 ${ms(percentile(times, 99))} (${times.length} questions)`);
}

function loadOrExit(dir: string): Note[] {
  const knowledge = loadKnowledge(dir);
  if (!knowledge.ok) throw new Error(knowledge.error);
  return knowledge.value.notes;
}

/** Command lookups (`/kubectl ...`) over the lookup eval set: answered from memory, no notes involved. */
function benchLookup(rounds: number): void {
  const lookups = readFileSync(join(packageRoot, 'test/eval/commands.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { tool: 'kubectl' | 'docker'; q: string });
  const { commands } = buildLibrary(shippedKnowledgeDir, shipped);
  for (const l of lookups) commands.lookup(l.tool, l.q); // warm up
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const l of lookups) {
      const t = performance.now();
      commands.lookup(l.tool, l.q);
      times.push(performance.now() - t);
    }
  }
  times.sort((a, b) => a - b);
  console.log(`command lookup: ${commands.size} commands | p50 ${ms(percentile(times, 50))} p99 ${ms(percentile(times, 99))} (${times.length} lookups)`);
}

const coldQuestion = 'how do I roll back a deployment';
const shipped = loadOrExit(shippedKnowledgeDir);
console.log(`machine: load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ')} over 1, 5 and 15 minutes`);
console.log(benchHelp(5));
for (const line of benchColdAsk('shipped notes', undefined, coldQuestion, { cold: 3, warm: 5 })) console.log(line);
console.log(await benchStartToPrompt(3));
await benchAsk('shipped notes', shipped, 20);
await benchSavedIndex('saved index, shipped notes', shippedKnowledgeDir);
benchLookup(20);
console.log(await benchSlackRoundTrip(300));
benchFuse('baseline, shipped notes', shipped, Infinity, questions.length);

const corpora = join(packageRoot, '..', 'shared', 'corpora');
const tarballs = ['k8s-docs-en.tar.gz', 'k8s-docs-zh-cn.tar.gz'].map((f) => join(corpora, f));
if (!tarballs.every(existsSync)) {
  console.log(`Kubernetes documentation corpus not found at ${corpora}: skipped the full-corpus figures.`);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-docs-'));
  try {
    for (const [tarball, lang] of [
      [tarballs[0]!, 'en'],
      [tarballs[1]!, 'zh-cn'],
    ] as const) {
      execFileSync('mkdir', ['-p', join(dir, lang)]);
      execFileSync('tar', ['-xzf', tarball, '-C', join(dir, lang)]);
    }
    const started = performance.now();
    const knowledge = loadKnowledge(dir);
    if (!knowledge.ok) throw new Error(knowledge.error);
    console.log(`corpus: parsed ${knowledge.value.notes.length} files in ${ms(performance.now() - started)} (${knowledge.value.problems.length} reported problems)`);
    await benchAsk('corpus (en + zh-cn docs)', knowledge.value.notes, 3);
    await benchSavedIndex('saved index, corpus', dir);
    for (const line of benchColdAsk('corpus', dir, coldQuestion, { cold: 1, warm: 3 })) console.log(line);
    benchFuse('baseline, corpus slice', knowledge.value.notes, 1000, 20);
    benchFuse('baseline, corpus slice', knowledge.value.notes, 10000, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
