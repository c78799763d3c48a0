import { explainQuery } from '../../src/answer/answer.js';
import type { Reply } from '../../src/reply.js';
import { replyToJson } from '../json.js';
import { answerQueries } from '../queries.js';
import { loadLibrary, makeBot, withStore, type Run } from '../run.js';

/** `ask [question]`: one answer, or one JSON line per piped question; `--explain` adds how it was ranked. */
export const runAsk = (run: Run): Promise<number> =>
  withStore(run, async (store) => {
    const library = loadLibrary(run);
    if (!library) return 1;
    const { bot } = makeBot(run, library, store);
    return answerQueries(run.io, run.args, run.options.json === true, 'ask', async (query) => {
      const reply = await bot.handle({ text: query });
      // A question refused or empty was never read, so there is nothing to explain.
      if (!run.options.explain || reply.kind === 'error' || reply.kind === 'help') return { reply, json: replyToJson(query, reply) };
      const explain = explainQuery(library.index, library.index.parse(query, reply.lang));
      const explained: Reply = { ...reply, blocks: [...reply.blocks, { type: 'code', lang: 'json', code: JSON.stringify(explain, null, 2) }] };
      return { reply: explained, json: { ...replyToJson(query, reply), explain } };
    });
  });
