import { z } from 'zod';
import { describeIssue, readYamlFolder } from '../knowledge/yaml-items.js';
import type { Problem } from '../problem.js';
import { fail, ok, type Result } from '../result.js';
import { tokenize, tokenizeQuery } from './tokenize.js';

/**
 * Chinese and English name the same Kubernetes ideas differently, and notes in one language must answer
 * questions in the other. The glossary is data (`knowledge/glossary/*.yaml`, and a team's own `glossary/`
 * next to its notes): groups of interchangeable phrasings of one idea within this domain. A question that
 * contains one phrasing also searches for the others, at a lower weight.
 */
const GroupSchema = z.array(z.string().trim().min(1, 'a phrase is empty').max(100, 'a phrase is longer than 100 characters')).min(1, 'a group needs at least one phrase');
const FileSchema = z.object({
  /** Plain words of technical talk: they translate, but never make a question look like it is about Kubernetes. */
  everyday: z.boolean().default(false),
  /** Where the terms come from (attribution), shown nowhere but kept with the data. */
  source: z.string().optional(),
});

export const GlossaryGroupSchema = z.object({ phrases: z.array(z.string()).readonly(), everyday: z.boolean() });
export type GlossaryGroup = z.infer<typeof GlossaryGroupSchema>;

/** A glossary for saving: its groups, and each phrasing's tokens as its `phraseKey`, since tokenizing every
 * phrasing again is most of what making a glossary costs. The keys are one line per phrasing, group after
 * group (no key holds a line break): one string loads far faster than thousands that zod checks one by one. */
export const GlossarySnapshotSchema = z.object({ groups: z.array(GlossaryGroupSchema), keys: z.string() });
export type GlossarySnapshot = z.infer<typeof GlossarySnapshotSchema>;

/** One phrasing of a group, tokenized the way questions are. */
export interface GlossaryPhrase {
  text: string;
  tokens: readonly string[];
}

const SEPARATOR = '\u0001';
export const phraseKey = (tokens: readonly string[]) => tokens.join(SEPARATOR);

/** The glossary's groups indexed for the query builder: by the joined tokens of each phrasing. */
export class Glossary {
  private readonly byKey = new Map<string, number[]>();
  private readonly phrases: GlossaryPhrase[][];
  private readonly everyday: boolean[];
  /** The most tokens any phrasing has: the longest run of question words worth looking up. */
  readonly longestPhrase: number;
  private wordSet: ReadonlySet<string> | undefined;

  /** Tokenizes each phrasing the way questions are; `keys`, the tokens already worked out, come only from `fromSnapshot`. */
  constructor(groups: readonly GlossaryGroup[], keys?: readonly (readonly string[])[]) {
    this.everyday = groups.map((g) => g.everyday);
    this.phrases = groups.map((group, g) =>
      group.phrases.map((text, i) => {
        const key = keys?.[g]![i]!;
        const tokens = key === undefined ? tokenizeQuery(text) : key === '' ? [] : key.split(SEPARATOR);
        if (tokens.length > 0) {
          const key = phraseKey(tokens);
          const list = this.byKey.get(key) ?? [];
          if (!list.includes(g)) list.push(g);
          this.byKey.set(key, list);
        }
        return { text, tokens };
      }),
    );
    this.longestPhrase = Math.max(1, ...this.phrases.flat().map((p) => p.tokens.length));
  }

  /** Every word of every phrasing, as notes are tokenized: spelling repair knows them even when no note does.
   * Worked out when first asked for, which only indexing does: a saved index already holds them. */
  get words(): ReadonlySet<string> {
    return (this.wordSet ??= new Set(this.phrases.flat().flatMap((p) => tokenize(p.text))));
  }

  toSnapshot(): GlossarySnapshot {
    return {
      groups: this.phrases.map((phrases, g) => ({ phrases: phrases.map((p) => p.text), everyday: this.everyday[g]! })),
      keys: this.phrases.flatMap((phrases) => phrases.map((p) => phraseKey(p.tokens))).join('\n'),
    };
  }

  static fromSnapshot(snapshot: GlossarySnapshot): Result<Glossary> {
    const { groups } = snapshot;
    // Counted by the phrasings: a lone key may be empty (a phrasing with no tokens), which '' could not tell from none.
    const phrasings = groups.reduce((sum, group) => sum + group.phrases.length, 0);
    const lines = phrasings === 0 ? [] : snapshot.keys.split('\n');
    if (lines.length !== phrasings) return fail('glossary tokens do not match its phrasings');
    let at = 0;
    return ok(new Glossary(groups, groups.map((group) => lines.slice(at, (at += group.phrases.length)))));
  }

  /** The groups holding a phrasing with exactly these tokens. */
  groupsOf(key: string): readonly number[] | undefined {
    return this.byKey.get(key);
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  phrasesOf(group: number): readonly GlossaryPhrase[] {
    return this.phrases[group]!;
  }

  isEveryday(group: number): boolean {
    return this.everyday[group]!;
  }
}

export interface LoadedGlossary {
  groups: GlossaryGroup[];
  problems: Problem[];
}

/**
 * A phrase that stop words shrink ("set up" is read as "set") would pull its group into every question using
 * the one word left, and one made only of stop words matches nothing: both are reported and dropped.
 */
function phraseProblem(phrase: string): string | undefined {
  const tokens = tokenizeQuery(phrase);
  if (tokens.length === 0) return `"${phrase}" is only stop words, so it can never match`;
  if (/^[\x00-\x7f]+$/.test(phrase) && phrase.trim().split(/\s+/).length > 1 && tokens.length === 1) {
    return `"${phrase}" reads as the one word "${tokens[0]}", which would pull this group into every question using it`;
  }
  return undefined;
}

/**
 * Reads every `*.yaml` under each folder (a missing folder adds nothing). A bad group or phrase is reported
 * with its file and line and skipped; the rest load.
 */
export function loadGlossary(dirs: readonly string[]): LoadedGlossary {
  const result: LoadedGlossary = { groups: [], problems: [] };
  for (const dir of dirs) {
    for (const list of readYamlFolder(dir, 'groups')) {
      const { file } = list;
      result.problems.push(...list.problems);
      const top = FileSchema.safeParse(list.top ?? {});
      if (!top.success) {
        result.problems.push({ file, line: 1, severity: 'error', message: `glossary: ${describeIssue(top.error)}` });
        continue;
      }
      for (const item of list.items) {
        const parsed = GroupSchema.safeParse(item.value);
        if (!parsed.success) {
          result.problems.push({ file, line: item.line, severity: 'error', message: `glossary group: ${describeIssue(parsed.error)}` });
          continue;
        }
        const phrases: string[] = [];
        for (const phrase of parsed.data) {
          const problem = phraseProblem(phrase);
          if (problem) result.problems.push({ file, line: item.line, severity: 'warning', message: `glossary phrase ${problem}; dropped` });
          else if (!phrases.some((p) => p.toLowerCase() === phrase.toLowerCase())) phrases.push(phrase);
        }
        if (phrases.length > 0) result.groups.push({ phrases, everyday: top.data.everyday });
      }
    }
  }
  return result;
}
