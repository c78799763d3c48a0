import { createInterface, type Interface } from 'node:readline';
import type { Adapter } from '../../src/adapter.js';
import { DEFAULT_CHANNEL, type Bot } from '../../src/bot.js';
import type { Reply, Suggestion } from '../../src/reply.js';
import { noSuchSuggestionText, renderReply } from './render.js';

export interface ConsoleOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  color: boolean;
}

const QUIT = new Set(['/quit', '/exit', ':q', 'exit', 'quit', '/退出']);
const BANNER =
  'k8s-notes-bot: ask about containers, Docker and Kubernetes (中文或英文). /kubectl or /docker to look up a command, /tip for the tip of the day, /more for the whole section of the last answer, /help for help, /quit to leave.';
const MORE = new Set(['/more', '/全文']);

/**
 * The terminal chat: one question per line, the answer rendered with colour. Typing the number of a listed
 * suggestion asks it, the way a chat platform's button would; a number that lists nothing is not asked. Line editing and arrow-key history come from
 * readline.
 */
export class ConsoleChat implements Adapter {
  readonly name = 'console';
  private rl: Interface | undefined;
  private lastReply: Reply | undefined;
  private queue: Promise<void> = Promise.resolve();
  private closedResolve!: () => void;
  /** Settles when the person leaves the chat (/quit, Ctrl-D or Ctrl-C). */
  readonly closed = new Promise<void>((resolve) => (this.closedResolve = resolve));

  constructor(
    private readonly bot: Bot,
    private readonly options: ConsoleOptions,
  ) {}

  async start(): Promise<void> {
    const { input, output } = this.options;
    const rl = createInterface({ input, output, prompt: '> ', historySize: 500, terminal: (output as { isTTY?: boolean }).isTTY === true });
    this.rl = rl;
    // The tip lists suggestions too, and their numbers work like an answer's.
    this.lastReply = await this.bot.request({ type: 'tip', channel: DEFAULT_CHANNEL });
    output.write(`${BANNER}\n\n${renderReply(this.lastReply, this.options.color)}\n\n`);
    rl.on('line', (line) => {
      // Answers print in the order questions were typed, even when lines arrive faster than answers.
      this.queue = this.queue.then(() => this.onLine(line));
    });
    rl.on('close', () => {
      void this.queue.then(() => this.closedResolve());
    });
    rl.prompt();
  }

  async stop(): Promise<void> {
    this.rl?.close();
    await this.closed;
  }

  private async onLine(line: string): Promise<void> {
    const text = line.trim();
    if (QUIT.has(text.toLowerCase())) {
      this.rl?.close();
      return;
    }
    if (text) {
      const number = /^\d+$/.test(text) ? Number(text) : undefined;
      const picked = number !== undefined ? this.lastReply?.suggestions[number - 1] : undefined;
      if (number !== undefined && !picked) {
        // A mistyped pick is not a question: sending "7" to the core would only log a gap.
        const suggestions = this.lastReply?.suggestions.length ?? 0;
        this.options.output.write(`${noSuchSuggestionText(number, suggestions, this.lastReply?.lang ?? 'en')}\n`);
        this.rl?.prompt();
        return;
      }
      const reply = await this.ask(text, picked?.intent);
      if (reply.audience !== 'nobody') {
        this.lastReply = reply;
        this.options.output.write(`\n${renderReply(reply, this.options.color)}\n\n`);
      }
    }
    this.rl?.prompt();
  }

  /** A picked suggestion and "/more" are requests the chat already knows the shape of; anything else is typed text. */
  private ask(text: string, picked: Suggestion['intent'] | undefined): Promise<Reply> {
    const where = { channel: DEFAULT_CHANNEL, conversation: DEFAULT_CHANNEL, ...(this.lastReply ? { lang: this.lastReply.lang } : {}) };
    if (picked) return this.bot.request({ ...picked, ...where });
    if (MORE.has(text.toLowerCase())) {
      const more = this.lastReply?.actions.find((a) => a.type === 'more');
      return this.bot.request({ type: 'more', ...where, ...(more ? { answerId: more.answerId } : {}) });
    }
    return this.bot.handle({ text, channel: DEFAULT_CHANNEL, conversation: DEFAULT_CHANNEL });
  }
}
