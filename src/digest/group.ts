import { tokenize } from '../search/tokenize.js';

/** A question as the log counts it: its wording and how often it was asked. */
export interface Asked {
  question: string;
  count: number;
}

/** Wordings of one question, under the one asked most. */
export interface AskedGroup {
  question: string;
  count: number;
  /** Every wording in the group, the most asked first. */
  wordings: string[];
}

/** Two wordings share at least this share of their words (Jaccard) to count as one question. */
const SAME_QUESTION = 0.6;

const wordsOf = (question: string) => new Set(tokenize(question.toLowerCase()));

function similarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * Groups near-identical wordings ("怎么回滚 deployment", "deployment 怎么回滚？", "how to rollback deploy")
 * so a maintainer sees one line per missing answer, counted once across its wordings. Greedy, most asked
 * first: each wording joins the first group whose leading wording shares enough words with it.
 */
export function groupWordings(asked: readonly Asked[]): AskedGroup[] {
  const groups: (AskedGroup & { words: Set<string> })[] = [];
  for (const entry of [...asked].sort((a, b) => b.count - a.count)) {
    const words = wordsOf(entry.question);
    const home = groups.find((g) => similarity(g.words, words) >= SAME_QUESTION);
    if (home) {
      home.count += entry.count;
      home.wordings.push(entry.question);
    } else groups.push({ question: entry.question, count: entry.count, wordings: [entry.question], words });
  }
  return groups.map(({ words: _, ...group }) => group).sort((a, b) => b.count - a.count);
}
