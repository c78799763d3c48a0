#!/usr/bin/env node
import { createInterface } from 'node:readline';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConsoleChat } from '../adapters/console/index.js';
import { renderReply } from '../adapters/console/render.js';
import { createBot } from './bot.js';
import type { Lookup } from './commands/lookup.js';
import { lookupReply } from './commands/reply.js';
import { loadConfig } from './config.js';
import { detectLang } from './lang.js';
import { openLibrary, type Library } from './library.js';
import { createLogger, type Logger } from './log.js';
import { formatProblem } from './problem.js';
import { plainText, sectionLabel, type Reply } from './reply.js';

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
  kubectl [query]      look up a kubectl command by name, typo, intent (zh/en) or a
                       pasted command line; piped input works as for ask
  docker [query]       the same for docker commands

Options:
  --knowledge DIR      use the notes in DIR instead of KNOWLEDGE_DIR / the shipped notes
  --json               print the answer as one JSON object (ask, kubectl, docker)
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

/** The JSON contract of `kubectl --json` / `docker --json`: `command` is the path after the tool's name. */
export function lookupToJson(lookup: Lookup, reply: Reply) {
  return {
    query: lookup.query,
    answered: reply.kind === 'answer',
    answer: plainText(reply),
    matches: lookup.matches.map(({ command }) => ({
      command: command.path,
      summary: command.summary[reply.lang],
      flags: command.flags.map((f) => f.flag),
      examples: command.examples.map((e) => e.run),
    })),
  };
}

/** Loads the knowledge; a one-shot command logs the load at debug so answers stay uncluttered. */
function open(knowledgeDir: string, log: Logger, loadedLevel: 'info' | 'debug'): Library | string {
  const started = performance.now();
  const library = openLibrary(knowledgeDir);
  if (!library.ok) return library.error;
  const { notes, index, catalog, tips, problems } = library.value;
  for (const problem of problems) log.warn({ file: problem.file, line: problem.line }, formatProblem(problem));
  log[loadedLevel](
    { dir: knowledgeDir, notes: notes.length, passages: index.passages.length, commands: catalog.commands.length, tips: tips.length, ms: Math.round(performance.now() - started) },
    'knowledge loaded',
  );
  return library.value;
}

/** Answers one query per line of piped input with one JSON object per line, in order. */
async function batch(io: Io, answer: (query: string) => Promise<object>): Promise<void> {
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity, terminal: false });
  for await (const line of lines) {
    const query = line.trim();
    if (query) io.stdout.write(`${JSON.stringify(await answer(query))}\n`);
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
  if (!['chat', 'ask', 'kubectl', 'docker'].includes(command)) {
    io.stderr.write(`Unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }

  const config = loadConfig(io.env, io.cwd);
  if (!config.ok) {
    io.stderr.write(`${config.error}\n`);
    return 2;
  }
  const log = createLogger(config.value.logLevel, io.stderr);
  const library = open(args.values.knowledge ?? config.value.knowledgeDir, log, command === 'chat' ? 'info' : 'debug');
  if (typeof library === 'string') {
    io.stderr.write(`${library}\n`);
    return 1;
  }
  const bot = createBot(library);

  if (command !== 'chat') {
    const answer = async (query: string): Promise<{ reply: Reply; json: object }> => {
      if (command === 'ask') {
        const reply = await bot.handle({ text: query });
        return { reply, json: replyToJson(query, reply) };
      }
      const lookup = library.commands.lookup(command as 'kubectl' | 'docker', query);
      const reply = lookupReply(lookup, detectLang(query), library.resolve);
      return { reply, json: lookupToJson(lookup, reply) };
    };
    const query = rest.join(' ').trim();
    if (!query) {
      if (io.stdin.isTTY) {
        io.stderr.write(`${command} needs a question, e.g. k8s-notes-bot ${command === 'ask' ? 'ask "apiserver 默认端口"' : `${command} "${command === 'kubectl' ? 'rollout undo' : 'run'}"`}, or queries piped in, one per line.\n`);
        return 2;
      }
      await batch(io, async (q) => (await answer(q)).json);
      return 0;
    }
    const { reply, json } = await answer(query);
    io.stdout.write(args.values.json ? `${JSON.stringify(json)}\n` : `${renderReply(reply, colorFor(io))}\n`);
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
