import { renderReply } from '../../adapters/console/render.js';
import { digestJson, digestReply, gatherDigest } from '../../src/digest/digest.js';
import { LangSchema } from '../../src/lang.js';
import { colorFor } from '../io.js';
import { withStore, type Run } from '../run.js';
import { usageError } from '../usage.js';

/** `digest`: the maintainers' digest of the last N days (default 7): what the notes missed and what got 👎. */
export const runDigest = (run: Run): Promise<number> =>
  withStore(run, async (store) => {
    const { io, options, config } = run;
    const days = Number(options.days ?? 7);
    if (!Number.isInteger(days) || days < 1) return usageError(io, `--days must be a whole number of days, at least 1, not "${options.days}".`);
    const lang = LangSchema.safeParse(options.lang ?? config.tips.lang);
    if (!lang.success) return usageError(io, `--lang must be zh or en, not "${options.lang}".`);
    const now = Date.now();
    const digest = await gatherDigest(store, now - days * 86_400_000, now);
    io.stdout.write(options.json ? `${JSON.stringify({ days, ...digestJson(digest) })}\n` : `${renderReply(digestReply(digest, lang.data, config.tips.timezone), colorFor(io))}\n`);
    return 0;
  });
