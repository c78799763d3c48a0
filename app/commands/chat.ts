import { ConsoleChat } from '../../adapters/console/index.js';
import { colorFor } from '../io.js';
import { loadLibrary, makeBot, withStore, type Run } from '../run.js';

/** `chat`: the terminal chat, which needs a person at a terminal. */
export const runChat = (run: Run): Promise<number> => {
  const { io } = run;
  if (!io.stdin.isTTY) {
    io.stderr.write('The terminal chat needs an interactive terminal. To answer questions from a pipe, use: k8s-notes-bot ask < questions.txt\n');
    return Promise.resolve(2);
  }
  return withStore(run, async (store) => {
    const library = loadLibrary(run, 'info');
    if (!library) return 1;
    const chat = new ConsoleChat(makeBot(run, library, store).bot, { input: io.stdin, output: io.stdout, color: colorFor(io) });
    await chat.start();
    await chat.closed;
    return 0;
  });
};
