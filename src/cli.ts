#!/usr/bin/env node
import { createInterface } from 'node:readline';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConsoleChat } from '../adapters/console/index.js';
import { renderReply } from '../adapters/console/render.js';
import { createBot, type Bot } from './bot.js';
import { loadConfig } from './config.js';
import { loadKnowledge } from './knowledge/load.js';
import { formatProblem } from './knowledge/note.js';
import { createLogger, type Logger } from './log.js';
import { plainText, sectionLabel, type Reply } from './reply.js';
import { SearchIndex } from './search/search-index.js';

/** The streams and environment a run uses; tests pass their own. */
export interface Io {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const USAGE = `Usage: k8s-notes-bot [command] [options]

Commands:
  chat                 interactive terminal chat (the default)
  ask [question]       print the answer to one question; with no question and piped
                       input, answer one question per line as JSON lines

Options:
  --knowledge DIR      use the notes in DIR instead of KNOWLEDGE_DIR / the shipped notes
  --json               print the answer as one JSON object (ask)
  -h, --help           show this help
`;

/** The JSON contract of `ask --json` and batch mode. Other tools read it: keep it stable. */
export function replyToJson(question: string, reply: Reply) {
  return {
    question,
    answered: reply.kind === 'answer',
    answer: plainText(reply),
    sources: reply.sources.map((s) => ({ note: s.note, section: sectionLabel(s), score: s.score, ...(s.url ? { url: s.url } : {}) })),
    suggestions: reply.suggestions.map((s) => s.ask),
  };
}

/** Loads the notes and builds the bot; a one-shot `ask` logs the load at debug so answers stay uncluttered. */
function openBot(knowledgeDir: string, log: Logger, loadedLevel: 'info' | 'debug'): Bot | string {
  const started = performance.now();
  const knowledge = loadKnowledge(knowledgeDir);
  if (!knowledge.ok) return knowledge.error;
  for (const problem of knowledge.value.problems) log.warn({ file: problem.file, line: problem.line }, formatProblem(problem));
  const index = new SearchIndex(knowledge.value.notes);
  log[loadedLevel]({ dir: knowledgeDir, notes: knowledge.value.notes.length, passages: index.passages.length, ms: Math.round(performance.now() - started) }, 'knowledge loaded');
  return createBot({ index });
}

async function askBatch(bot: Bot, io: Io): Promise<void> {
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity, terminal: false });
  for await (const line of lines) {
    const question = line.trim();
    if (!question) continue;
    io.stdout.write(`${JSON.stringify(replyToJson(question, await bot.handle({ text: question })))}\n`);
  }
}

/** Runs the command line; resolves to the process exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  let args: ReturnType<typeof parse>;
  const parse = () =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: { knowledge: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  try {
    args = parse();
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command = 'chat', ...rest] = args.positionals;
  if (args.values.help || command === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  if (command !== 'chat' && command !== 'ask') {
    io.stderr.write(`Unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }

  const config = loadConfig(io.env, io.cwd);
  if (!config.ok) {
    io.stderr.write(`${config.error}\n`);
    return 2;
  }
  const log = createLogger(config.value.logLevel, io.stderr);
  const bot = openBot(args.values.knowledge ?? config.value.knowledgeDir, log, command === 'ask' ? 'debug' : 'info');
  if (typeof bot === 'string') {
    io.stderr.write(`${bot}\n`);
    return 1;
  }

  if (command === 'ask') {
    const question = rest.join(' ').trim();
    if (!question) {
      if (io.stdin.isTTY) {
        io.stderr.write('ask needs a question, e.g. k8s-notes-bot ask "apiserver 默认端口", or questions piped in, one per line.\n');
        return 2;
      }
      await askBatch(bot, io);
      return 0;
    }
    const reply = await bot.handle({ text: question });
    io.stdout.write(args.values.json ? `${JSON.stringify(replyToJson(question, reply))}\n` : `${renderReply(reply, colorFor(io))}\n`);
    return 0;
  }

  if (!io.stdin.isTTY) {
    io.stderr.write('The terminal chat needs an interactive terminal. To answer questions from a pipe, use: k8s-notes-bot ask < questions.txt\n');
    return 2;
  }
  const chat = new ConsoleChat(bot, { input: io.stdin, output: io.stdout, color: colorFor(io) });
  await chat.start();
  await chat.closed;
  return 0;
}

const colorFor = (io: Io) => io.stdout.isTTY === true && !io.env.NO_COLOR;

const invokedDirectly = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const code = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
  process.exitCode = code;
}
