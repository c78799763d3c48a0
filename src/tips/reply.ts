import { say } from '../answer/messages.js';
import { splitCommandName } from '../commands/catalog.js';
import type { Ref, RefTarget } from '../knowledge/refs.js';
import type { Lang } from '../lang.js';
import type { Reply, Source, Suggestion } from '../reply.js';
import type { Tip } from './tip.js';

/** YAML snippets read better highlighted as YAML; everything else in `try` is a shell command. */
const snippetLang = (snippet: string) => (/^\s*[\w.-]+:(\s|$)/m.test(snippet) && !/^\s*(kubectl|docker|kubeadm|sudo)\s/m.test(snippet) ? 'yaml' : 'sh');

/** The tip of the day as a reply: the idea, the snippet to try, and where it comes from. */
export function tipReply(tip: Tip, lang: Lang, resolve: (ref: Ref) => RefTarget | undefined): Reply {
  const targets = tip.see.map((ref) => ({ ref, target: resolve(ref) }));
  const sections = targets.flatMap(({ target }) => (target?.kind === 'section' ? [target] : []));
  const sources: Source[] = [...sections.filter((s) => s.note.lang === lang), ...sections.filter((s) => s.note.lang !== lang)]
    .slice(0, 1)
    .map(({ note, section }) => ({ note: note.path, noteTitle: note.title, section: section.headings, line: section.line, score: 1, ...(note.url ? { url: note.url } : {}) }));
  const lookups = targets.flatMap(({ target }): Suggestion[] => {
    if (target?.kind !== 'command') return [];
    const named = splitCommandName(target.command);
    return named ? [{ label: target.command, intent: { type: 'lookup', tool: named.tool, query: named.path } }] : [];
  });
  return {
    kind: 'tip',
    lang,
    blocks: [
      { type: 'text', text: `${say('tipOfTheDay', lang)} ${tip[lang]}` },
      { type: 'code', lang: snippetLang(tip.try), code: tip.try.trimEnd() },
    ],
    sources,
    suggestions: lookups.slice(0, 3),
    actions: [],
  };
}
