import { StringDecoder } from 'node:string_decoder';
import { renderReply } from '../adapters/console/render.js';
import type { Reply } from '../src/reply.js';
import { colorFor, type Io } from './io.js';

/** One answered query: the reply to render, and the JSON object `--json` and batch mode print. */
export interface Answered {
  reply: Reply;
  json: object;
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

const EXAMPLES = { ask: 'ask "apiserver 默认端口"', kubectl: 'kubectl "rollout undo"', docker: 'docker "run"' } as const;

/**
 * One query from the arguments, or one per line of piped input with exactly one JSON object per line, in
 * order, so answers are matched to questions by line number: a blank line gets the help, an over-long one
 * its error.
 */
export async function answerQueries(
  io: Io,
  args: string[],
  json: boolean,
  command: keyof typeof EXAMPLES,
  answer: (query: string) => Promise<Answered> | Answered,
): Promise<number> {
  // `ask ""` is an empty question, answered with the help; `ask` alone reads questions from the pipe.
  if (args.length === 0) {
    if (io.stdin.isTTY) {
      io.stderr.write(`${command} needs a query, e.g. k8s-notes-bot ${EXAMPLES[command]}, or queries piped in, one per line.\n`);
      return 2;
    }
    for await (const line of inputLines(io.stdin)) io.stdout.write(`${JSON.stringify((await answer(line.trim())).json)}\n`);
    return 0;
  }
  const result = await answer(args.join(' ').trim());
  io.stdout.write(json ? `${JSON.stringify(result.json)}\n` : `${renderReply(result.reply, colorFor(io))}\n`);
  return 0;
}
