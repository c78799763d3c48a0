import { lookupReply } from '../../src/commands/reply.js';
import type { Tool } from '../../src/commands/catalog.js';
import { detectLang } from '../../src/lang.js';
import { lookupToJson } from '../json.js';
import { answerQueries } from '../queries.js';
import { loadLibrary, type Run } from '../run.js';

/** `kubectl [query]` / `docker [query]`: a command looked up by name, typo, intent or pasted command line. */
export const lookupCommand =
  (tool: Tool) =>
  async (run: Run): Promise<number> => {
    const library = loadLibrary(run);
    if (!library) return 1;
    return answerQueries(run.io, run.args, run.options.json === true, tool, (query) => {
      const lookup = library.commands.lookup(tool, query);
      const reply = lookupReply(lookup, detectLang(query), library.resolve);
      return { reply, json: lookupToJson(lookup, reply) };
    });
  };
