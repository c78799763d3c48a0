import { EXAMPLE_LOOKUPS, say } from '../answer/messages.js';
import { MAX_QUESTION_LENGTH } from '../input.js';
import type { Ref, RefTarget } from '../knowledge/refs.js';
import type { Lang } from '../lang.js';
import { textReply, type Block, type Reply, type Source, type Suggestion } from '../reply.js';
import { splitCommandName, type Command, type Tool } from './catalog.js';
import type { Explanation, Lookup } from './lookup.js';

const SOURCE_LIMIT = 2;

/** The suggestion that looks a command up again, e.g. `rollout history` for kubectl. */
const lookUpAgain = (command: Pick<Command, 'tool' | 'path'>): Suggestion => ({
  label: fullName(command),
  intent: { type: 'lookup', tool: command.tool, query: command.path },
});

const fullName = (command: Pick<Command, 'tool' | 'path'>) => `${command.tool} ${command.path}`;

function explanationLines(explanation: Explanation, command: Command, lang: Lang): string[] {
  const lines: string[] = [];
  if (explanation.resource) lines.push(`• ${say('resourceMeans', lang, explanation.resource)}`);
  for (const use of explanation.flags) {
    const shown = use.value === undefined ? use.given : `${use.given} ${use.value}`;
    if (use.scope === 'unknown') {
      lines.push(`• ${say('unknownFlag', lang, { flag: use.given, command: fullName(command) })}${use.nearest ? say('didYouMean', lang, { nearest: use.nearest }) : ''}`);
      continue;
    }
    const what = use.described ? use.described[lang] : say('seeHelp', lang, { command: fullName(command) });
    const long = use.long && use.long !== use.given ? ` (${use.long})` : '';
    lines.push(`• \`${shown}\`${long}: ${what}${use.scope === 'global' ? say('globalOption', lang) : ''}`);
  }
  return lines;
}

/** The cheat-sheet card of one command: summary, usage, what a pasted line says, flags and examples. */
function commandBlocks(command: Command, lang: Lang, explanation: Explanation | undefined): Block[] {
  const blocks: Block[] = [
    { type: 'text', text: `**${fullName(command)}**: ${command.summary[lang]}` },
    { type: 'code', lang: 'sh', code: command.usage },
  ];
  const explained = explanation ? explanationLines(explanation, command, lang) : [];
  if (explained.length) blocks.push({ type: 'text', text: [say('commandLineMeaning', lang), ...explained].join('\n') });
  if (command.flags.length) {
    blocks.push({ type: 'text', text: say('flagsTitle', lang) });
    blocks.push({ type: 'fields', fields: command.flags.map((f) => ({ name: f.short ? `${f.short}, ${f.flag}` : f.flag, value: f[lang] })) });
  }
  blocks.push({ type: 'text', text: say('examplesTitle', lang) });
  blocks.push({ type: 'code', lang: 'sh', code: command.examples.map((e) => `# ${e[lang]}\n${e.run}`).join('\n\n') });
  return blocks;
}

/** Note sections a command links to, in the asker's language first. */
function linkedSources(command: Command, lang: Lang, resolve: (ref: Ref) => RefTarget | undefined): Source[] {
  const sections = command.see.map(resolve).filter((t): t is Extract<RefTarget, { kind: 'section' }> => t?.kind === 'section');
  const ordered = [...sections.filter((s) => s.note.lang === lang), ...sections.filter((s) => s.note.lang !== lang)];
  return ordered.slice(0, SOURCE_LIMIT).map(({ note, section }) => ({
    note: note.path,
    noteTitle: note.title,
    section: section.headings,
    line: section.line,
    score: 1,
    ...(note.url ? { url: note.url } : {}),
  }));
}

/** How much of the ignored rest of a pasted line the note shows: enough to recognise it. */
const IGNORED_SHOWN = 80;

/** The note under a card saying what was left off a pasted line; backticks would end its code span early. */
function ignoredNote(ignored: string, lang: Lang): Block {
  const shown = ignored.length > IGNORED_SHOWN ? `${ignored.slice(0, IGNORED_SHOWN)}…` : ignored;
  return { type: 'text', text: say('ignoredAfterSeparator', lang, { ignored: shown.replaceAll('`', "'") }) };
}

/**
 * Turns a lookup into a reply: the best command's card with up to three other candidates as suggestions,
 * or an honest "no such command" naming the nearest ones; what a pasted line had after its first command is
 * named as ignored. An empty query gets the lookup's help, an over-long one is refused.
 */
export function lookupReply(lookup: Lookup, lang: Lang, resolve: (ref: Ref) => RefTarget | undefined): Reply {
  if (lookup.tooLong) return textReply('error', lang, say('lookupTooLong', lang, { length: lookup.query.length, limit: MAX_QUESTION_LENGTH }));
  const reply = lookup.lookedUp ? cardOrNotFound(lookup, lang, resolve) : lookupHelp(lookup.tool, lang);
  return lookup.ignored ? { ...reply, blocks: [...reply.blocks, ignoredNote(lookup.ignored, lang)] } : reply;
}

function lookupHelp(tool: Tool, lang: Lang): Reply {
  const examples = EXAMPLE_LOOKUPS[tool][lang].map((query): Suggestion => ({ label: query, intent: { type: 'lookup', tool, query } }));
  return textReply('help', lang, say('lookupHelp', lang, { tool: `/${tool}` }), examples);
}

function cardOrNotFound(lookup: Lookup, lang: Lang, resolve: (ref: Ref) => RefTarget | undefined): Reply {
  const [best, ...others] = lookup.matches;
  if (!best) {
    const nearest = lookup.nearest;
    const key = lookup.commandLine ? 'noSuchCommand' : nearest.length ? 'noCommandMatchWithSuggestions' : 'noCommandMatch';
    const lines = nearest.map((c) => `• \`${fullName(c)}\`: ${c.summary[lang]}`);
    return {
      kind: 'not-found',
      lang,
      blocks: [{ type: 'text', text: [say(key, lang, { tool: lookup.tool, query: lookup.lookedUp }), ...lines].join('\n') }],
      sources: [],
      suggestions: nearest.map(lookUpAgain),
      actions: [],
    };
  }
  const command = best.command;
  const blocks = commandBlocks(command, lang, lookup.explanation);
  if (others.length) {
    blocks.push({ type: 'text', text: [say('otherCommands', lang), ...others.map((m) => `• \`${fullName(m.command)}\`: ${m.command.summary[lang]}`)].join('\n') });
  }
  const related = command.see.flatMap((ref) => {
    const target = resolve(ref);
    const named = target?.kind === 'command' ? splitCommandName(target.command) : undefined;
    return named ? [named] : [];
  });
  const suggestions = [...others.map((m) => m.command), ...related]
    .filter((c, i, all) => all.findIndex((o) => o.tool === c.tool && o.path === c.path) === i)
    .map(lookUpAgain);
  return {
    kind: 'answer',
    lang,
    blocks,
    sources: linkedSources(command, lang, resolve),
    suggestions: suggestions.slice(0, 3),
    actions: [{ type: 'feedback', answerId: fullName(command) }],
  };
}
