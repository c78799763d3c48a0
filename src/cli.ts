#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { StringDecoder } from 'node:string_decoder';
import { parseArgs } from 'node:util';
import { ConsoleChat } from '../adapters/console/index.js';
import { renderReply } from '../adapters/console/render.js';
import { explainQuery } from './answer/answer.js';
import { createBot, DEFAULT_CHANNEL, type Bot } from './bot.js';
import type { Lookup } from './commands/lookup.js';
import { lookupReply } from './commands/reply.js';
import { anyPlatform, configuredPlatforms, HOW_TO_CONFIGURE, PLATFORM_COMMANDS, PLATFORM_SETTINGS, runPlatformCommand, servePlatforms } from '../adapters/serve.js';
import { CORE_SETTINGS, parseConfig, readEnv, type Config } from './config.js';
import { echoed } from './input.js';
import { detectLang, LangSchema, type Lang } from './lang.js';
import { openLibrary, type Library } from './library.js';
import { createLogger, type Logger } from './log.js';
import { formatProblem } from './problem.js';
import { plainText, sectionLabel, type Reply } from './reply.js';
import { openSqliteStore } from './store/sqlite.js';
import type { Store } from './store/store.js';
import { tipReply } from './tips/reply.js';
import { TipRotation } from './tips/rotation.js';
import { localDay } from './tips/scheduler.js';
import type { Tip } from './tips/tip.js';

/** The streams and environment a run uses; tests pass their own. */
export interface Io {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** When `start` serves chat platforms: resolves when it should stop. Default: SIGINT or SIGTERM. */
  untilStopped?: () => Promise<void>;
}

const USAGE = `Usage: k8s-notes-bot [command] [options]

Commands:
  start                run every configured chat platform with the tip of the day; with
                       none configured, the terminal chat (the default)
  chat                 interactive terminal chat
${Object.values(PLATFORM_COMMANDS).map((usage) => `  ${usage}\n`).join('')}  ask [question]       print the answer to one question; with no question and piped
                       input, answer one question per line as JSON lines
  kubectl [query]      look up a kubectl command by name, typo, intent (zh/en) or a
                       pasted command line; piped input works as for ask
  docker [query]       the same for docker commands
  tip                  print (and record) the tip of the day for a channel
  gaps                 the questions asked most often that the notes could not answer

Options:
  --knowledge DIR      use the notes in DIR instead of KNOWLEDGE_DIR / the shipped notes
  --json               print the answer as one JSON object (ask, kubectl, docker, tip, gaps)
  --explain            ask: also show how the question was read and why the top
                       candidates scored as they did (an "explain" field with --json)
  --channel C          tip: the channel whose rotation to use (default: console)
  --date YYYY-MM-DD    tip: the day (default: today in DAILY_TIP_TZ)
  --lang zh|en         tip: the language (default: DAILY_TIP_LANG)
  --days N             gaps: how many days back to look (default: 30)
  -h, --help           show this help
`;

/** A question that could not be read (too long, say) carries the reason as `error` too, for tools to tell apart. */
const errorOf = (reply: Reply) => (reply.kind === 'error' ? { error: plainText(reply) } : {});

/** The JSON contract of `ask --json` and batch mode. Other tools read it: keep it stable. */
export function replyToJson(question: string, reply: Reply) {
  return {
    question: echoed(question),
    answered: reply.kind === 'answer',
    answer: plainText(reply),
    sources: reply.sources.map((s) => ({ note: s.note, section: sectionLabel(s), score: s.score, ...(s.url ? { url: s.url } : {}) })),
    suggestions: reply.suggestions.map((s) => s.ask),
    ...errorOf(reply),
  };
}

/** The JSON contract of `kubectl --json` / `docker --json`: `command` is the path after the tool's name. */
export function lookupToJson(lookup: Lookup, reply: Reply) {
  return {
    query: echoed(lookup.query),
    answered: reply.kind === 'answer',
    answer: plainText(reply),
    matches: lookup.matches.map(({ command }) => ({
      command: command.path,
      summary: command.summary[reply.lang],
      flags: command.flags.map((f) => f.flag),
      examples: command.examples.map((e) => e.run),
    })),
    ...errorOf(reply),
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

/**
 * The lines of piped input, ended by "\n" alone (a "\r\n" ending loses its "\r"), as `wc -l` and the tools
 * that write JSON lines count them; readline would also end a line at a lone "\r" and break the count.
 */
async function* inputLines(input: NodeJS.ReadableStream): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of input) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n', start)) {
      yield pending.slice(start, end).replace(/\r$/, '');
      start = end + 1;
    }
    pending = pending.slice(start);
  }
  pending += decoder.end();
  if (pending) yield pending.replace(/\r$/, '');
}

/**
 * Answers one query per line of piped input with exactly one JSON object per line, in order, so answers are
 * matched to questions by line number: a blank line gets the help, an over-long one its error.
 */
async function batch(io: Io, answer: (query: string) => Promise<object>): Promise<void> {
  for await (const line of inputLines(io.stdin)) io.stdout.write(`${JSON.stringify(await answer(line.trim()))}\n`);
}

/** Every variable a run reads, so a misspelt name in `.env` is reported rather than ignored. */
const KNOWN_SETTINGS = [...CORE_SETTINGS, ...PLATFORM_SETTINGS, 'NO_COLOR'];

const COMMANDS = ['start', 'chat', 'ask', 'kubectl', 'docker', 'tip', 'gaps'] as const;
type Command = (typeof COMMANDS)[number];

/** What `tip --json` prints: the tip for that channel and day, and the note or command it comes from. */
export function tipToJson(tip: Tip, day: string, channel: string, lang: Lang) {
  const own = tip.see.find((ref) => ref.startsWith(`${lang}/`));
  return { id: tip.id, date: day, channel, text: tip[lang], try: tip.try, source: own ?? tip.see[0]! };
}

function runTip(io: Io, library: Library, rotation: TipRotation, values: ParsedValues, config: Config): number {
  const channel = values.channel ?? DEFAULT_CHANNEL;
  const lang = LangSchema.safeParse(values.lang ?? config.tips.lang);
  const day = values.date ?? localDay(Date.now(), config.tips.timezone);
  if (!lang.success) return usageError(io, `--lang must be zh or en, not "${values.lang}".`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)) || new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day) {
    return usageError(io, `--date must be a calendar day as YYYY-MM-DD, not "${day}".`);
  }
  const chosen = rotation.tipFor(channel, day);
  if (!chosen) {
    io.stderr.write('There are no tips to show: the tips folder holds none.\n');
    return 1;
  }
  io.stdout.write(
    values.json ? `${JSON.stringify(tipToJson(chosen.tip, day, channel, lang.data))}\n` : `${renderReply(tipReply(chosen.tip, lang.data, library.resolve), colorFor(io))}\n`,
  );
  return 0;
}

function runGaps(io: Io, store: Store, values: ParsedValues): number {
  const days = Number(values.days ?? 30);
  if (!Number.isInteger(days) || days < 1) return usageError(io, `--days must be a whole number of days, at least 1, not "${values.days}".`);
  const gaps = store.gaps(Date.now() - days * 86_400_000, 50);
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ days, gaps: gaps.map((g) => ({ question: g.question, count: g.count, lastAsked: new Date(g.lastAskedAt).toISOString() })) })}\n`);
  } else if (gaps.length === 0) {
    io.stdout.write(`No unanswered questions in the last ${days} days.\n`);
  } else {
    io.stdout.write(`Questions the notes could not answer, last ${days} days (most asked first):\n`);
    for (const g of gaps) io.stdout.write(`${String(g.count).padStart(5)}  ${g.question}\n`);
  }
  return 0;
}

type ParsedValues = ReturnType<typeof parseCommandLine>['values'];

const parseCommandLine = (argv: string[]) =>
  parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      knowledge: { type: 'string' },
      json: { type: 'boolean' },
      explain: { type: 'boolean' },
      channel: { type: 'string' },
      date: { type: 'string' },
      lang: { type: 'string' },
      days: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });

function usageError(io: Io, message: string): number {
  io.stderr.write(`${message}\n\n${USAGE}`);
  return 2;
}

const NOTHING_TO_START = `No chat platform is configured and there is no terminal to chat in.
  ${HOW_TO_CONFIGURE}
  Or run it in a terminal for the terminal chat. To answer questions from a pipe: k8s-notes-bot ask < questions.txt
`;

/** Resolves on Ctrl-C or a termination signal, so the platforms can be stopped cleanly. */
const untilSignal = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });

/** Runs the command line; resolves to the process exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  let args: ReturnType<typeof parseCommandLine>;
  try {
    args = parseCommandLine(argv);
  } catch (error) {
    return usageError(io, (error as Error).message);
  }
  const [name = 'start', ...rest] = args.positionals;
  if (args.values.help || name === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  if (!(COMMANDS as readonly string[]).includes(name) && !(name in PLATFORM_COMMANDS)) return usageError(io, `Unknown command "${name}".`);
  const command = name as Command;

  const env = readEnv(io.env, io.cwd, KNOWN_SETTINGS);
  // The .env file, core and platform settings are checked together, so one message names every bad line and variable.
  const config = parseConfig(env.env, io.cwd);
  const platforms = configuredPlatforms(env.env);
  const errors = [env.error, config.ok ? undefined : config.error, platforms.ok ? undefined : platforms.error].filter((e) => e !== undefined);
  if (errors.length > 0 || !config.ok || !platforms.ok) {
    io.stderr.write(`${errors.join('\n')}\n`);
    return 2;
  }
  const log = createLogger(config.value.logLevel, io.stderr);
  if (name in PLATFORM_COMMANDS) {
    const result = await runPlatformCommand(name, rest, platforms.value, log);
    if (result.ok) io.stdout.write(`${result.value}\n`);
    else io.stderr.write(`${result.error.message}\n`);
    return result.ok ? 0 : result.error.code;
  }
  const configured = anyPlatform(platforms.value);
  if (command === 'start' && !configured && !io.stdin.isTTY) {
    io.stderr.write(NOTHING_TO_START);
    return 2;
  }
  const loadLibrary = (): Library | undefined => {
    const library = open(args.values.knowledge ?? config.value.knowledgeDir, log, command === 'chat' ? 'info' : 'debug');
    if (typeof library !== 'string') return library;
    io.stderr.write(`${library}\n`);
    return undefined;
  };
  if (command === 'kubectl' || command === 'docker') {
    const library = loadLibrary();
    if (!library) return 1;
    return answerQueries(io, rest, args.values.json === true, command, (query) => {
      const lookup = library.commands.lookup(command, query);
      const reply = lookupReply(lookup, detectLang(query), library.resolve);
      return { reply, json: lookupToJson(lookup, reply) };
    });
  }

  // The data folder is opened before the notes load, so a DATA_DIR that cannot be used fails at once.
  const opened = openSqliteStore(config.value.dataDir);
  if (!opened.ok) {
    io.stderr.write(`${opened.error}\n`);
    return 1;
  }
  const store = opened.value;
  try {
    if (command === 'gaps') return runGaps(io, store, args.values);
    const library = loadLibrary();
    if (!library) return 1;
    // One rotation for the chat's /tip, the `tip` command and the scheduled posts: they must agree.
    const rotation = new TipRotation(store, () => library.tips);
    const bot = createBot(library, { store, rotation, logUsers: config.value.logUsers, timezone: config.value.tips.timezone, tipLang: config.value.tips.lang });
    switch (command) {
      case 'ask':
        return await answerQueries(io, rest, args.values.json === true, command, async (query) => {
          const reply = await bot.handle({ text: query });
          // A question refused or empty was never read, so there is nothing to explain.
          if (!args.values.explain || reply.kind === 'error' || reply.kind === 'help') return { reply, json: replyToJson(query, reply) };
          const explain = explainQuery(library.index, library.index.parse(query, reply.lang));
          const explained: Reply = { ...reply, blocks: [...reply.blocks, { type: 'code', lang: 'json', code: JSON.stringify(explain, null, 2) }] };
          return { reply: explained, json: { ...replyToJson(query, reply), explain } };
        });
      case 'tip':
        return runTip(io, library, rotation, args.values, config.value);
      case 'start':
        if (configured) {
          let stop: () => Promise<void>;
          try {
            stop = await servePlatforms({
              bot,
              store,
              platforms: platforms.value,
              schedule: config.value.tips,
              rotation,
              render: (tip) => tipReply(tip, config.value.tips.lang, library.resolve),
              log,
            });
          } catch (error) {
            // Adapters reject with a sentence naming the setting to fix; the stack would only bury it.
            io.stderr.write(`Could not start: ${(error as Error).message}\n`);
            return 1;
          }
          await (io.untilStopped ?? untilSignal)();
          log.info('stopping');
          await stop();
          return 0;
        }
        // No platform configured and a person at the terminal: the terminal chat.
        return await runChat(io, bot);
      case 'chat':
        return await runChat(io, bot);
    }
  } finally {
    store.close();
  }
}

async function runChat(io: Io, bot: Bot): Promise<number> {
  if (!io.stdin.isTTY) {
    io.stderr.write('The terminal chat needs an interactive terminal. To answer questions from a pipe, use: k8s-notes-bot ask < questions.txt\n');
    return 2;
  }
  const chat = new ConsoleChat(bot, { input: io.stdin, output: io.stdout, color: colorFor(io) });
  await chat.start();
  await chat.closed;
  return 0;
}

/** One query from the arguments, or one per line of piped input as JSON lines. */
async function answerQueries(
  io: Io,
  rest: string[],
  json: boolean,
  command: 'ask' | 'kubectl' | 'docker',
  answer: (query: string) => Promise<{ reply: Reply; json: object }> | { reply: Reply; json: object },
): Promise<number> {
  // `ask ""` is an empty question, answered with the help; `ask` alone reads questions from the pipe.
  if (rest.length === 0) {
    if (io.stdin.isTTY) {
      const example = command === 'ask' ? 'ask "apiserver 默认端口"' : command === 'kubectl' ? 'kubectl "rollout undo"' : 'docker "run"';
      io.stderr.write(`${command} needs a query, e.g. k8s-notes-bot ${example}, or queries piped in, one per line.\n`);
      return 2;
    }
    await batch(io, async (q) => (await answer(q)).json);
    return 0;
  }
  const result = await answer(rest.join(' ').trim());
  io.stdout.write(json ? `${JSON.stringify(result.json)}\n` : `${renderReply(result.reply, colorFor(io))}\n`);
  return 0;
}

const colorFor = (io: Io) => io.stdout.isTTY === true && !io.env.NO_COLOR;

const invokedDirectly = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const code = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
  process.exitCode = code;
}
