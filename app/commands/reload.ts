import { runningBot } from '../pid-file.js';
import type { Run } from '../run.js';

/** `reload`: tells the bot running on this DATA_DIR to read its notes again, as SIGHUP does. */
export const runReload = async (run: Run): Promise<number> => {
  const bot = runningBot(run.config.dataDir);
  if (!bot.ok) {
    run.io.stderr.write(`${bot.error}\n`);
    return 1;
  }
  try {
    process.kill(bot.value, 'SIGHUP');
  } catch (error) {
    run.io.stderr.write(`Could not signal the bot (process ${bot.value}): ${(error as Error).message}\n`);
    return 1;
  }
  run.io.stdout.write(`Asked the bot (process ${bot.value}) to reload its notes; its log says how the reload went.\n`);
  return 0;
};
