/**
 * `npm run eval`: answer accuracy on every note set we have, split into tuning and checking questions and
 * broken down by kind (zh, en, mixed, off-topic). The shipped notes and the seed-shaped fixture always; the
 * seed note itself (../shared/seeds) when present, with both the seed questions of the main set and the
 * separate seed-questions set; the docs set when ../shared/corpora is present: the pages listed in
 * test/eval/docs-pages.txt, unpacked in both languages into a temp folder, asked test/eval/docs-questions.jsonl.
 * The eval test holds the targets; this prints the figures, including the ones no test can see.
 *
 *   --misses               list every failed question with what was expected and what came back
 *   --set <name>           run only the sets whose label contains name (e.g. `--set docs`)
 *   --json                 print the figures as one JSON object instead
 *   --docs-questions <f>   ask the docs set another questions file (a draft, say)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { createBot } from '../src/bot.js';
import type { Lang } from '../src/lang.js';
import { openLibrary } from '../src/library.js';
import { packageRoot, shippedKnowledgeDir } from '../src/paths.js';
import { plainText } from '../src/reply.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import {
  conversationFigures,
  DOCS_FOLDERS,
  evaluate,
  evaluateConversations,
  readConversations,
  figuresOf,
  isOffTopic,
  markupJunk,
  missCause,
  percent,
  readQuestions,
  type Figures,
  type MissCause,
  type Outcome,
  type Question,
  type Share,
} from './eval-set.js';

const { values: flags } = parseArgs({
  options: {
    misses: { type: 'boolean', default: false },
    set: { type: 'string' },
    json: { type: 'boolean', default: false },
    'docs-questions': { type: 'string' },
  },
});

const evalDir = join(packageRoot, 'test', 'eval');
const shared = join(packageRoot, '..', 'shared');

interface Miss {
  id: string;
  split: string;
  kind: string;
  q: string;
  expected: string[] | 'declined';
  answer: string;
  source?: string;
  cause?: MissCause;
}

interface SetFigures {
  notes: number;
  splits: { tune: Figures; check: Figures; all: Figures };
  /** Answers whose prose still shows markup (a raw link, a shortcode...), with what was seen. */
  junk: { id: string; seen: string }[];
  misses?: Miss[];
}

const figures: { sets: Record<string, SetFigures>; conversations?: Record<string, ReturnType<typeof conversationFigures>>; skipped: Record<string, string> } = { sets: {}, skipped: {} };

const wanted = (label: string) => !flags.set || label.toLowerCase().includes(flags.set.toLowerCase());

function skip(label: string, reason: string): void {
  if (!wanted(label)) return;
  figures.skipped[label] = reason;
  if (!flags.json) console.log(`${label}: ${reason}`);
}

function missOf(outcome: Outcome): Miss {
  const { question, reply } = outcome;
  const top = reply.sources[0];
  const cause = missCause(outcome);
  return {
    id: question.id,
    split: question.split,
    kind: question.kind,
    q: question.q,
    expected: isOffTopic(question) ? 'declined' : question.expect,
    answer: plainText(reply).replace(/\s+/g, ' ').slice(0, 160),
    ...(top ? { source: `${top.note}:${top.line}` } : {}),
    ...(cause ? { cause } : {}),
  };
}

const shareText = ({ share, count }: Share) => `${share === null ? '–' : percent(share)} (${count})`;

const CAUSE_LABELS: Record<MissCause, string> = {
  rightPageWithoutFact: 'right page without the fact',
  otherPage: 'another page',
  otherLanguagePage: "the other language's page",
  declined: 'declined',
};

function printFigures(label: string, split: string, f: Figures): void {
  console.log(`${label}, ${split}: zh ${shareText(f.zh)} · en ${shareText(f.en)} · mixed ${shareText(f.mixed)} · off-topic declined ${shareText(f.offTopicDeclined)}`);
  if (!f.missCauses) return;
  const causes = f.missCauses;
  const total = Object.values(causes).reduce((a, b) => a + b, 0);
  const parts = (Object.keys(CAUSE_LABELS) as MissCause[]).map((cause) => `${CAUSE_LABELS[cause]} ${causes[cause]}`);
  console.log(`  on-topic misses (${total}): ${parts.join(' · ')}`);
}

function printMiss(miss: Miss): void {
  const tags = [miss.split, miss.kind, ...(miss.cause ? [CAUSE_LABELS[miss.cause]] : [])].join(', ');
  console.log(`  ✗ ${miss.id} (${tags}): ${miss.q}`);
  console.log(`      expected: ${miss.expected === 'declined' ? 'declined' : miss.expected.join(' + ')}`);
  console.log(`      answer:   ${miss.answer}`);
  console.log(`      source:   ${miss.source ?? 'none'}`);
}

async function evaluateSet(label: string, dir: string, questions: Question[]): Promise<void> {
  if (!wanted(label)) return;
  const library = openLibrary(dir);
  if (!library.ok) throw new Error(`${label}: ${library.error}`);
  const { outcomes } = await evaluate(createBot(library.value), questions);
  const ofSplit = (split: string) => outcomes.filter((o) => o.question.split === split);
  const set: SetFigures = {
    notes: library.value.notes.length,
    splits: { tune: figuresOf(ofSplit('tune')), check: figuresOf(ofSplit('check')), all: figuresOf(outcomes) },
    junk: outcomes.flatMap((o) => {
      const seen = markupJunk(o.reply);
      return seen ? [{ id: o.question.id, seen }] : [];
    }),
    ...(flags.misses ? { misses: outcomes.filter((o) => !o.passed).map(missOf) } : {}),
  };
  figures.sets[label] = set;
  if (flags.json) return;
  console.log(`${label}: ${set.notes} note${set.notes === 1 ? '' : 's'}, ${questions.length} questions`);
  for (const [split, f] of Object.entries(set.splits)) printFigures(label, split, f);
  console.log(`  answers showing markup junk: ${set.junk.length}`);
  if (flags.misses) for (const { id, seen } of set.junk) console.log(`  ✗ ${id} shows markup: …${seen.replace(/\s+/g, ' ')}…`);
  set.misses?.forEach(printMiss);
}

/** The conversation set on the shipped notes, each conversation remembered in a throwaway SQLite store. */
async function evaluateConversationSet(): Promise<void> {
  const label = 'shipped notes, conversations';
  if (!wanted(label)) return;
  const library = openLibrary(shippedKnowledgeDir);
  if (!library.ok) throw new Error(`${label}: ${library.error}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'k8s-notes-bot-eval-'));
  const store = openSqliteStore(dataDir);
  if (!store.ok) throw new Error(`${label}: ${store.error}`);
  try {
    const conversations = readConversations(join(evalDir, 'conversations.jsonl'));
    const outcomes = await evaluateConversations(createBot(library.value, { store: store.value }), conversations);
    const ofSplit = (split: string) => conversationFigures(outcomes.filter((o) => o.conversation.split === split));
    figures.conversations = { tune: ofSplit('tune'), check: ofSplit('check'), all: conversationFigures(outcomes) };
    if (flags.json) return;
    console.log(`${label}: ${conversations.length} conversations, ${outcomes.length} later turns`);
    for (const [split, f] of Object.entries(figures.conversations)) {
      console.log(`${label}, ${split}: later turns ${shareText(f.all)} (follow-ups ${shareText(f.followUps)} · topic switches ${shareText(f.topicSwitches)}) · zh ${shareText(f.zh)} · en ${shareText(f.en)} · mixed ${shareText(f.mixed)}`);
    }
    if (flags.misses) {
      for (const o of outcomes.filter((x) => !x.passed)) {
        const turn = o.conversation.turns[o.turn]!;
        console.log(`  ✗ ${o.conversation.id} turn ${o.turn + 1} (${o.conversation.split}, ${o.followup ? 'follow-up' : 'topic switch'}): ${turn.q}`);
        console.log(`      expected: ${turn.expect.join(' + ')}`);
        console.log(`      answer:   ${plainText(o.reply).replace(/\s+/g, ' ').slice(0, 160)}`);
      }
    }
  } finally {
    await store.value.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const DOCS_TARBALLS: Record<Lang, string> = { en: 'k8s-docs-en.tar.gz', zh: 'k8s-docs-zh-cn.tar.gz' };

function docsPages(): string[] {
  return readFileSync(join(evalDir, 'docs-pages.txt'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}

/** Only the listed pages, into a fresh folder outside the project: no doc text is ever written into it. */
function unpackDocs(corpora: string, pages: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-docs-eval-'));
  for (const lang of ['en', 'zh'] as const) {
    const target = join(dir, DOCS_FOLDERS[lang]);
    mkdirSync(target);
    execFileSync('tar', ['-xzf', join(corpora, DOCS_TARBALLS[lang]), '-C', target, ...pages]);
  }
  return dir;
}

/** A question naming a page that is not unpacked could never cite it; that is a mistake in the set, not a miss. */
function checkPagesListed(questions: Question[], pages: string[]): void {
  const unlisted = questions.filter((q) => !isOffTopic(q) && q.page !== undefined && !pages.includes(q.page)).map((q) => q.id);
  if (unlisted.length) throw new Error(`docs: these questions name a page that docs-pages.txt does not list: ${unlisted.join(' ')}`);
}

async function evaluateDocs(): Promise<void> {
  const label = 'docs';
  if (!wanted(label)) return;
  const corpora = join(shared, 'corpora');
  if (!existsSync(corpora)) return skip(label, `${corpora} is not here, so the docs set is not evaluated`);
  const questionsFile = flags['docs-questions'] ?? join(evalDir, 'docs-questions.jsonl');
  if (!existsSync(questionsFile)) return skip(label, `${relative(process.cwd(), questionsFile)} does not exist yet, so the docs set is not evaluated`);
  const questions = readQuestions(questionsFile);
  const pages = docsPages();
  checkPagesListed(questions, pages);
  const dir = unpackDocs(corpora, pages);
  try {
    await evaluateSet(label, dir, questions);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const main = readQuestions(join(evalDir, 'questions.jsonl'));
const seedOnly = (q: Question) => isOffTopic(q) || q.seed;

await evaluateSet('shipped notes, main set', shippedKnowledgeDir, main);
await evaluateConversationSet();
await evaluateSet('seed-shaped fixture, main set', join(packageRoot, 'test', 'fixtures', 'seed-shaped'), main.filter(seedOnly));
const seeds = join(shared, 'seeds');
if (existsSync(seeds)) {
  await evaluateSet('seed note, main set', seeds, main.filter(seedOnly));
  await evaluateSet('seed note, seed-questions set', seeds, readQuestions(join(evalDir, 'seed-questions.jsonl')));
} else {
  skip('seed note', `${seeds} is not here, so the seed note itself is not evaluated`);
}
await evaluateDocs();
if (flags.json) console.log(JSON.stringify(figures, null, 2));
if (flags.set && !Object.keys(figures.sets).length && !figures.conversations && !Object.keys(figures.skipped).length) {
  console.error(`No eval set's label contains "${flags.set}".`);
  process.exitCode = 1;
}
