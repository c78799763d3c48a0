import { usageError } from '../usage.js';
import { withStore, type Run } from '../run.js';

/** `gaps`: the questions asked most often that the notes could not answer. */
export const runGaps = (run: Run): Promise<number> =>
  withStore(run, async (store) => {
    const { io, options } = run;
    const days = Number(options.days ?? 30);
    if (!Number.isInteger(days) || days < 1) return usageError(io, `--days must be a whole number of days, at least 1, not "${options.days}".`);
    const gaps = await store.gaps(Date.now() - days * 86_400_000, 50);
    if (options.json) {
      io.stdout.write(`${JSON.stringify({ days, gaps: gaps.map((g) => ({ question: g.question, count: g.count, lastAsked: new Date(g.lastAskedAt).toISOString() })) })}\n`);
    } else if (gaps.length === 0) {
      io.stdout.write(`No unanswered questions in the last ${days} days.\n`);
    } else {
      io.stdout.write(`Questions the notes could not answer, last ${days} days (most asked first):\n`);
      for (const g of gaps) io.stdout.write(`${String(g.count).padStart(5)}  ${g.question}\n`);
    }
    return 0;
  });
