/**
 * `npm run bench`: how fast and how small the search core is, on the shipped notes and, when
 * ../shared/corpora is present, on the Kubernetes documentation (en + zh-cn), next to a plain fuse.js
 * index as the baseline. Prints figures; asserts nothing (speed is not a unit test's business).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fuse from 'fuse.js';
import { createBot } from '../src/bot.js';
import { loadKnowledge } from '../src/knowledge/load.js';
import type { Note } from '../src/knowledge/note.js';
import { packageRoot, shippedKnowledgeDir } from '../src/paths.js';
import { buildLibrary } from '../src/library.js';
import { benchSlackRoundTrip } from './bench-slack.js';
import { passageText } from '../src/search/search-index.js';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ms = (x: number) => `${x.toFixed(x < 10 ? 3 : 1)} ms`;

const questions: string[] = readFileSync(join(packageRoot, 'test/eval/questions.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => (JSON.parse(line) as { q: string }).q);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function benchAsk(label: string, notes: Note[], rounds: number): Promise<void> {
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const library = buildLibrary(shippedKnowledgeDir, notes);
  const buildMs = performance.now() - started;
  gc();
  const heap = process.memoryUsage().heapUsed - heapBefore;
  const { index } = library;
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
  console.log(
    `${label}: ${notes.length} notes, ${index.sectionCount} sections, ${index.passages.length} passages | build ${ms(buildMs)} (notes index, catalog, tips) | heap ${mb(heap)} | ask p50 ${ms(percentile(times, 50))} p99 ${ms(percentile(times, 99))} (${times.length} questions)`,
  );
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

const shipped = loadOrExit(shippedKnowledgeDir);
await benchAsk('shipped notes', shipped, 20);
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
    benchFuse('baseline, corpus slice', knowledge.value.notes, 1000, 20);
    benchFuse('baseline, corpus slice', knowledge.value.notes, 10000, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
