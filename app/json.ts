import type { Lookup } from '../src/commands/lookup.js';
import { echoed } from '../src/input.js';
import type { Lang } from '../src/lang.js';
import { plainText, sectionLabel, type Reply } from '../src/reply.js';
import { typedForm } from '../src/request.js';
import type { Tip } from '../src/tips/tip.js';

// The JSON the command line prints is read by other tools: keep these shapes stable.

/** A question that could not be read (too long, say) carries the reason as `error` too, for tools to tell apart. */
const errorOf = (reply: Reply) => (reply.kind === 'error' ? { error: plainText(reply) } : {});

/** `ask --json` and each line of `ask` in batch mode. */
export function replyToJson(question: string, reply: Reply) {
  return {
    question: echoed(question),
    answered: reply.kind === 'answer',
    answer: plainText(reply),
    sources: reply.sources.map((s) => ({ note: s.note, section: sectionLabel(s), score: s.score, ...(s.url ? { url: s.url } : {}) })),
    suggestions: reply.suggestions.map((s) => typedForm(s.intent)),
    ...errorOf(reply),
  };
}

/** `kubectl --json` / `docker --json`: `command` is the path after the tool's name. */
export function lookupToJson(lookup: Lookup, reply: Reply) {
  return {
    query: echoed(lookup.query),
    answered: reply.kind === 'answer',
    answer: plainText(reply),
    matches: lookup.matches.map(({ command }) => ({
      command: command.path,
      summary: command.summary[reply.lang],
      flags: command.flags.map((f) => f.flag),
      examples: command.examples.map((e) => e.run),
    })),
    ...errorOf(reply),
  };
}

/** `tip --json`: the tip for that channel and day, and the note or command it comes from. */
export function tipToJson(tip: Tip, day: string, channel: string, lang: Lang) {
  const own = tip.see.find((ref) => ref.startsWith(`${lang}/`));
  return { id: tip.id, date: day, channel, text: tip[lang], try: tip.try, source: own ?? tip.see[0]! };
}
