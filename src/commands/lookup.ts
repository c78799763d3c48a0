import { cleanInput, MAX_QUESTION_LENGTH } from '../input.js';
import { InvertedIndex } from '../search/inverted-index.js';
import { damerauLevenshtein, SpellingIndex } from '../search/spelling.js';
import { ENGLISH_STOP, stem, tokenizeCommandText } from '../search/tokenize.js';
import type { Command, Flag, Tool } from './catalog.js';
import { firstCommand } from './first-command.js';
import type { Catalog } from './load.js';
import { RESOURCE_NAMES } from './resources.js';

/**
 * Finds catalog commands from what people type after `/kubectl` or `/docker`: a command path (typos and
 * `k`/`kubctl` prefixes included), a pasted command line, or an intent in Chinese or English. A path typed
 * at the start decides; otherwise commands are ranked by BM25 over their path, intents and summaries, with
 * a bonus when the query contains one of a command's intents word for word.
 */

export interface Match {
  command: Command;
  score: number;
}

/** How one flag of a pasted command line reads against the catalog and the binary's real flags. */
export interface FlagUse {
  given: string;
  value?: string;
  /** The long form it stands for, when the command or the tool accepts it. */
  long?: string;
  /** The catalog's description, when it has one. */
  described?: Flag;
  /** `unknown` means the installed binary's help does not list it for this command. */
  scope: 'command' | 'global' | 'unknown';
  /** For an unknown flag: the real one it most resembles. */
  nearest?: string;
}

/** A pasted command line taken apart: which command, on what resource, with which flags. */
export interface Explanation {
  resource?: { given: string; name: string };
  args: string[];
  flags: FlagUse[];
}

export interface Lookup {
  tool: Tool;
  /** What was asked, control characters removed; the whole of it even when only its first command was read. */
  query: string;
  /** Longer than a message may be: not read at all. */
  tooLong: boolean;
  /** What was looked up: the query up to its first shell separator. */
  lookedUp: string;
  /** What followed the first shell separator of a pasted line, from the separator on: not looked up. */
  ignored?: string;
  /** Best first; empty when nothing fits. */
  matches: Match[];
  /** The query named the first match's command path (typed or pasted), rather than describing it. */
  named: boolean;
  /** The query read as a command line: it began with the tool's name or carried flags. */
  commandLine: boolean;
  /** Closest commands when nothing fits well enough to answer. */
  nearest: Command[];
  explanation?: Explanation;
}

const TOOL_ALIASES: Record<Tool, RegExp> = {
  kubectl: /^\/?(kubectl|kubctl|kubeclt|kubecl|kubect|kubetcl|kubeclt|kube-ctl|k|kc|oc)$/,
  docker: /^\/?(docker|dokcer|docekr|doker|dcoker)$/,
};
/** Words a person puts between command words ("create a new secret") that no command path contains. */
const FILLER = new Set(['a', 'an', 'the', 'new', 'my', 'some', 'to', 'of', 'for', 'all']);
const PATH_BONUS = 1000;
const INTENT_PHRASE_BONUS = 6;
const MAX_MATCHES = 4;
/** Least share of the query's weight a command must match to be offered when no path was typed. */
const MIN_COVERAGE = 0.35;
/** Words the catalog never uses are mostly arguments (`redis:7`, a pod's name): they count for less. */
const UNKNOWN_TERM_SHARE = 0.5;
/** A parent such as `create secret` mostly lists its subcommands; a fitting subcommand is the better answer. */
const PARENT_FACTOR = 0.8;

const normalise = (text: string) =>
  ` ${text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()} `;

const sameResource = (a: string, b: string) => RESOURCE_NAMES.has(a) && RESOURCE_NAMES.get(a) === RESOURCE_NAMES.get(b);

const wordsClose = (typed: string, word: string) => {
  if (typed === word || stem(typed) === stem(word) || sameResource(typed, word)) return 0;
  const limit = word.length >= 7 ? 2 : word.length >= 4 ? 1 : 0;
  const d = limit ? damerauLevenshtein(typed, word, limit) : limit + 1;
  return d <= limit ? d : undefined;
};

interface ToolIndex {
  commands: Command[];
  index: InvertedIndex;
  spelling: SpellingIndex;
  /** Each command's intents, normalised for whole-phrase matching. */
  phrases: string[][];
  /** Real flags per command path (long -> short) and the tool's global ones, when known. */
  realFlags?: Map<string, Map<string, string>>;
  globalFlags: Map<string, string>;
  described: Map<string, Flag>;
  /** Commands that have subcommands. */
  parents: Set<Command>;
}

function documentTerms(command: Command): string[] {
  const path = tokenizeCommandText(command.path.replaceAll('-', ' '));
  const intents = tokenizeCommandText([...command.intents.zh, ...command.intents.en].join(' \n '));
  const summary = tokenizeCommandText(`${command.summary.zh} ${command.summary.en}`);
  const flags = command.flags.flatMap((f) => tokenizeCommandText(f.flag));
  return [...path, ...path, ...path, ...intents, ...intents, ...summary, ...flags];
}

const pairsToMap = (pairs: readonly (readonly string[])[]) => new Map(pairs.map(([long, short]) => [long!, short ?? '']));

/** Command paths are short words of their own ("rollout", "taint"): only longer typos are repaired. */
const COMMAND_SPELLING = { minLength: 6, twoEditsFrom: 8 };

function buildToolIndex(catalog: Catalog, tool: Tool): ToolIndex {
  const commands = catalog.commands.filter((c) => c.tool === tool);
  const index = new InvertedIndex();
  for (const command of commands) index.add(documentTerms(command));
  index.finish();
  const spelling = new SpellingIndex(COMMAND_SPELLING);
  for (const term of index.terms()) spelling.add(term, index.documentFrequency(term));
  const lists = catalog.flagLists?.[tool];
  const globalFlags = new Map([
    ...(lists ? pairsToMap(lists.global) : []),
    ...catalog.globalFlags[tool].map((f) => [f.flag, f.short ?? ''] as const),
  ]);
  return {
    commands,
    index,
    spelling,
    phrases: commands.map((c) => [...c.intents.zh, ...c.intents.en].map(normalise)),
    ...(lists ? { realFlags: new Map(Object.entries(lists.commands).map(([path, pairs]) => [path, pairsToMap(pairs)])) } : {}),
    globalFlags,
    described: new Map(catalog.globalFlags[tool].map((f) => [f.flag, f])),
    parents: new Set(commands.filter((c) => commands.some((o) => o.path.startsWith(`${c.path} `)))),
  };
}

/** The words of a query after the tool's name, and whether it read like a command line. */
function splitQuery(query: string, tool: Tool): { words: string[]; typedTool: boolean } {
  const words = query.trim().split(/\s+/).filter(Boolean);
  const typedTool = words.length > 0 && TOOL_ALIASES[tool].test(words[0]!.toLowerCase());
  return { words: typedTool ? words.slice(1) : words, typedTool };
}

interface PathMatch {
  command: Command;
  /** Index in `words` just after the path. */
  end: number;
  edits: number;
}

/** The longest command path the query starts with, allowing typos and a few filler words. */
function matchPath(commands: readonly Command[], words: readonly string[], allowFiller: boolean): PathMatch | undefined {
  const lower = words.map((w) => w.toLowerCase());
  let best: PathMatch | undefined;
  for (const command of commands) {
    const parts = command.path.split(' ');
    let at = 0;
    let edits = 0;
    let matched = true;
    for (const part of parts) {
      while (allowFiller && at < lower.length && FILLER.has(lower[at]!) && lower[at] !== part) at++;
      const word = lower[at];
      if (word === undefined) {
        matched = false;
        break;
      }
      const joined = part.includes('-') && lower[at + 1] !== undefined ? `${word}-${lower[at + 1]}` : undefined;
      const close = wordsClose(word, part);
      if (close !== undefined) {
        edits += close;
        at += 1;
      } else if (joined !== undefined && wordsClose(joined, part) !== undefined) {
        edits += wordsClose(joined, part)!;
        at += 2;
      } else {
        matched = false;
        break;
      }
    }
    if (!matched) continue;
    const better = !best || parts.length > best.command.path.split(' ').length || (parts.length === best.command.path.split(' ').length && edits < best.edits);
    if (better) best = { command, end: at, edits };
  }
  return best;
}

/** Reads what follows the command path on a pasted command line. */
function explain(tool: ToolIndex, command: Command, rest: readonly string[]): Explanation {
  const own = tool.realFlags?.get(command.path);
  const flags: FlagUse[] = [];
  const args: string[] = [];
  let resource: Explanation['resource'];
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (word === '--') {
      args.push(...rest.slice(i + 1));
      break;
    }
    if (!word.startsWith('-') || word === '-') {
      const [type] = word.split('/');
      const name = RESOURCE_NAMES.get(type!.toLowerCase());
      if (!resource && name) resource = { given: type!, name };
      else args.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const given = eq > 0 ? word.slice(0, eq) : word;
    const value = eq > 0 ? word.slice(eq + 1) : rest[i + 1] !== undefined && !rest[i + 1]!.startsWith('-') && given.length === 2 ? rest[++i] : undefined;
    flags.push(readFlag(tool, command, own, given, value));
  }
  return { ...(resource ? { resource } : {}), args, flags };
}

function readFlag(tool: ToolIndex, command: Command, own: Map<string, string> | undefined, given: string, value: string | undefined): FlagUse {
  const findLong = (flags: ReadonlyMap<string, string>) => (given.startsWith('--') ? (flags.has(given) ? given : undefined) : [...flags].find(([, short]) => short === given)?.[0]);
  const described = command.flags.find((f) => f.flag === given || f.short === given);
  const withValue = value === undefined ? {} : { value };
  if (described) return { given, ...withValue, long: described.flag, described, scope: 'command' };
  const ownLong = own && findLong(own);
  if (ownLong) return { given, ...withValue, long: ownLong, scope: 'command' };
  const globalLong = findLong(tool.globalFlags);
  if (globalLong) {
    const globalDescribed = tool.described.get(globalLong);
    return { given, ...withValue, long: globalLong, ...(globalDescribed ? { described: globalDescribed } : {}), scope: 'global' };
  }
  // Without the real flag lists nothing can be called unknown; the flag is passed through as given.
  if (!own) return { given, ...withValue, scope: 'command' };
  const nearest = given.startsWith('--')
    ? [...own.keys()].map((f) => ({ f, d: damerauLevenshtein(given, f, 3) })).filter((x) => x.d <= 3).sort((a, b) => a.d - b.d)[0]?.f
    : undefined;
  return { given, ...withValue, scope: 'unknown', ...(nearest ? { nearest } : {}) };
}

export class CommandIndex {
  /** Each tool's index, built on its first lookup: most questions name no command, and a start should not wait. */
  private readonly tools: Partial<Record<Tool, ToolIndex>> = {};

  constructor(private readonly catalog: Catalog) {}

  private toolIndex(tool: Tool): ToolIndex {
    return (this.tools[tool] ??= buildToolIndex(this.catalog, tool));
  }

  /** How many commands the catalog holds, all tools together. */
  get size(): number {
    return this.catalog.commands.length;
  }

  lookup(tool: Tool, typed: string): Lookup {
    const t = this.toolIndex(tool);
    const query = cleanInput(typed);
    if (query.length > MAX_QUESTION_LENGTH) return { tool, query, tooLong: true, lookedUp: '', matches: [], named: false, commandLine: false, nearest: [] };
    const { command, ignored } = firstCommand(query);
    const { words, typedTool } = splitQuery(command, tool);
    const result: Lookup = { tool, query, tooLong: false, lookedUp: command, ...(ignored ? { ignored } : {}), matches: [], named: false, commandLine: typedTool, nearest: [] };
    if (words.length === 0 || t.commands.length === 0) return result;

    const path = matchPath(t.commands, words, !typedTool);
    const scores = this.rank(t, words.join(' '));
    const rest = path ? words.slice(path.end) : [];
    const commandLine = typedTool || rest.some((w) => w.startsWith('-'));
    result.commandLine = commandLine;
    if (path) {
      // "create secret for pulling images" names `create secret` and describes one of its subcommands.
      const child = commandLine || rest.length === 0 ? undefined : scores.ranked.find((m) => m.command.path.startsWith(`${path.command.path} `));
      const chosen = child && child.score > (scores.ranked.find((m) => m.command === path.command)?.score ?? 0) ? child.command : path.command;
      result.named = true;
      result.matches = [
        { command: chosen, score: PATH_BONUS - path.edits },
        ...scores.ranked.filter((m) => m.command !== chosen).slice(0, MAX_MATCHES - 1),
      ];
      if (commandLine) result.explanation = explain(t, path.command, rest);
      return result;
    }
    const best = scores.ranked[0];
    if (best && (scores.coverage.get(best.command)! >= MIN_COVERAGE || scores.saidIntent.has(best.command))) {
      result.matches = scores.ranked.slice(0, MAX_MATCHES);
    } else {
      result.nearest = typedTool
        ? this.nearestPaths(t, words)
        : scores.ranked.filter((m) => scores.coverage.get(m.command)! > 0).slice(0, 3).map((m) => m.command);
    }
    return result;
  }

  private rank(t: ToolIndex, text: string): { ranked: Match[]; coverage: Map<Command, number>; saidIntent: Set<Command> } {
    const terms = [...new Set(tokenizeCommandText(text))].map((term) => t.spelling.correct(term) ?? term);
    const scores = new Float64Array(t.commands.length);
    const matched = new Float64Array(t.commands.length);
    let total = 0;
    for (const term of new Set(terms)) {
      const weight = ENGLISH_STOP.has(term) ? 0 : t.index.documentFrequency(term) > 0 ? t.index.idf(term) : UNKNOWN_TERM_SHARE * t.index.maxIdf();
      total += weight;
      t.index.forEachScore(term, 1, (doc, score) => {
        scores[doc]! += score;
        matched[doc]! += weight;
      });
    }
    const query = normalise(text);
    const coverage = new Map<Command, number>();
    const saidIntent = new Set<Command>();
    const ranked: Match[] = [];
    t.commands.forEach((command, doc) => {
      const phrase = t.phrases[doc]!.reduce((longest, p) => (p.length > longest && query.includes(p) ? p.length : longest), 0);
      const bonus = phrase ? INTENT_PHRASE_BONUS * (phrase / query.length) : 0;
      if (phrase) saidIntent.add(command);
      const score = (scores[doc]! + bonus) * (t.parents.has(command) ? PARENT_FACTOR : 1);
      coverage.set(command, total ? matched[doc]! / total : 0);
      if (score > 0) ranked.push({ command, score });
    });
    ranked.sort((a, b) => b.score - a.score);
    return { ranked, coverage, saidIntent };
  }

  /**
   * Commands for an autocomplete list as someone types: paths that start with the text first, then the path
   * it spells (typos allowed), then the intent ranking; with nothing typed yet, the catalog in its own order.
   */
  complete(tool: Tool, partial: string, limit: number): Command[] {
    const t = this.toolIndex(tool);
    const { words } = splitQuery(partial, tool);
    const typed = words.join(' ').toLowerCase();
    if (!typed) return t.commands.slice(0, limit);
    const named = matchPath(t.commands, words, true)?.command;
    const ordered = [
      ...t.commands.filter((c) => c.path.startsWith(typed)),
      ...(named ? [named] : []),
      ...this.rank(t, typed).ranked.map((m) => m.command),
    ];
    return [...new Set(ordered)].slice(0, limit);
  }

  /** Commands whose path is spelt most like what was typed, for "no such command". */
  private nearestPaths(t: ToolIndex, words: readonly string[]): Command[] {
    const typed = words.filter((w) => !w.startsWith('-')).slice(0, 3).join(' ').toLowerCase();
    return t.commands
      .map((command) => ({ command, d: damerauLevenshtein(typed.slice(0, command.path.length + 2), command.path, 99) }))
      .sort((a, b) => a.d - b.d)
      .slice(0, 3)
      .map((x) => x.command);
  }
}
