import { tipReply } from '../../src/tips/reply.js';
import { anyPlatform, HOW_TO_CONFIGURE, servePlatforms } from '../platforms.js';
import { loadLibrary, makeBot, withStore, type Run } from '../run.js';
import { runChat } from './chat.js';

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

/** `start` (the default): every configured platform with the tip of the day; with none, the terminal chat. */
export const runStart = (run: Run): Promise<number> => {
  const { io, config, platforms, log } = run;
  if (!anyPlatform(platforms)) {
    if (io.stdin.isTTY) return runChat(run);
    io.stderr.write(NOTHING_TO_START);
    return Promise.resolve(2);
  }
  return withStore(run, async (store) => {
    const library = loadLibrary(run, 'info');
    if (!library) return 1;
    const { bot, rotation } = makeBot(run, library, store);
    let stop: () => Promise<void>;
    try {
      stop = await servePlatforms({ bot, store, platforms, schedule: config.tips, rotation, render: (tip) => tipReply(tip, config.tips.lang, library.resolve), log });
    } catch (error) {
      // Adapters reject with a sentence naming the setting to fix; the stack would only bury it.
      io.stderr.write(`Could not start: ${(error as Error).message}\n`);
      return 1;
    }
    await (io.untilStopped ?? untilSignal)();
    log.info('stopping');
    await stop();
    return 0;
  });
};
