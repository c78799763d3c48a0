import { renderReply } from '../../adapters/console/render.js';
import { DEFAULT_CHANNEL } from '../../src/bot.js';
import { LangSchema } from '../../src/lang.js';
import { tipReply } from '../../src/tips/reply.js';
import { localDay } from '../../src/tips/scheduler.js';
import { colorFor } from '../io.js';
import { tipToJson } from '../json.js';
import { usageError } from '../usage.js';
import { loadLibrary, makeBot, withStore, type Run } from '../run.js';

const isCalendarDay = (day: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day;

/** `tip`: prints, and records, the tip of the day for a channel, from the same rotation the posts use. */
export const runTip = (run: Run): Promise<number> =>
  withStore(run, async (store) => {
    const { io, options, config } = run;
    const channel = options.channel ?? DEFAULT_CHANNEL;
    const lang = LangSchema.safeParse(options.lang ?? config.tips.lang);
    const day = options.date ?? localDay(Date.now(), config.tips.timezone);
    if (!lang.success) return usageError(io, `--lang must be zh or en, not "${options.lang}".`);
    if (!isCalendarDay(day)) return usageError(io, `--date must be a calendar day as YYYY-MM-DD, not "${day}".`);
    const library = loadLibrary(run);
    if (!library) return 1;
    const chosen = await makeBot(run, library, store).rotation.tipFor(channel, day);
    if (!chosen) {
      io.stderr.write('There are no tips to show: the tips folder holds none.\n');
      return 1;
    }
    io.stdout.write(
      options.json ? `${JSON.stringify(tipToJson(chosen.tip, day, channel, lang.data))}\n` : `${renderReply(tipReply(chosen.tip, lang.data, library.resolve), colorFor(io))}\n`,
    );
    return 0;
  });
