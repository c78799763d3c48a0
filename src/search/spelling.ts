import { z } from 'zod';
import { fail, ok, type Result } from '../result.js';

/**
 * Corrects misspelt Latin words in questions (`kubctl`, `deploymnet`, `statefullset`) against the index's own
 * vocabulary. Every term is stored under itself and each of its one-letter deletions; a question word is
 * looked up the same way, which finds every term within one edit, a swap of two letters, and many two-edit
 * typos in constant time, whatever the size of the vocabulary (a linear fuzzy scan is far too slow for
 * documentation-sized vocabularies on every question).
 */
export interface SpellingLimits {
  /** Shorter words are never corrected: too often they are a different real word ("stage" is not "state"). */
  minLength: number;
  /** Words at least this long may be two edits away from their fix; shorter ones one. */
  twoEditsFrom: number;
}

/**
 * What `add` was given, flat: the terms (one per line, none holds a line break) and their frequencies. The
 * variants are not saved: working them out is most of the cost of a documentation-sized vocabulary, and
 * only a question with a word the notes lack needs them, so they are worked out then, once.
 */
export const SpellingSnapshotSchema = z.object({
  terms: z.string(),
  frequencies: z.instanceof(Int32Array),
});
export type SpellingSnapshot = z.infer<typeof SpellingSnapshotSchema>;

export class SpellingIndex {
  constructor(private readonly limits: SpellingLimits) {}

  /** Terms in the order they were added, with their document frequencies. */
  private readonly frequency = new Map<string, number>();
  /** Each variant's terms, made from `frequency` on the first correction and kept up to date after. */
  private variants: Map<string, string[]> | undefined;

  add(term: string, documentFrequency: number): void {
    if (term.length < 4 || !/^[a-z][a-z0-9]*$/.test(term) || this.frequency.has(term)) return;
    this.frequency.set(term, documentFrequency);
    if (this.variants) addVariants(this.variants, term);
  }

  toSnapshot(): SpellingSnapshot {
    return { terms: [...this.frequency.keys()].join('\n'), frequencies: Int32Array.from(this.frequency.values()) };
  }

  static fromSnapshot(limits: SpellingLimits, snapshot: SpellingSnapshot): Result<SpellingIndex> {
    const terms = snapshot.terms === '' ? [] : snapshot.terms.split('\n');
    const { frequencies } = snapshot;
    if (frequencies.length !== terms.length) return fail(`spelling lists ${terms.length} terms and ${frequencies.length} frequencies`);
    const index = new SpellingIndex(limits);
    for (let i = 0; i < terms.length; i++) index.add(terms[i]!, frequencies[i]!);
    if (index.frequency.size !== terms.length) return fail('spelling lists a term twice or one it would never correct to');
    return ok(index);
  }

  private variantLists(): Map<string, string[]> {
    if (!this.variants) {
      this.variants = new Map();
      for (const term of this.frequency.keys()) addVariants(this.variants, term);
    }
    return this.variants;
  }

  /** The most frequent known term closest to `word`, or undefined when nothing is near enough. */
  correct(word: string): string | undefined {
    if (word.length < this.limits.minLength || !/^[a-z][a-z0-9]*$/.test(word) || this.frequency.has(word)) return undefined;
    const maxDistance = word.length >= this.limits.twoEditsFrom ? 2 : 1;
    let best: string | undefined;
    let bestDistance = Infinity;
    let bestFrequency = -1;
    const variants = this.variantLists();
    for (const variant of deletions(word)) {
      for (const term of variants.get(variant) ?? []) {
        // People rarely mistype the first letter; a different one means a different word ("topping", "stopping").
        if (term[0] !== word[0]) continue;
        const d = damerauLevenshtein(word, term, maxDistance);
        const f = this.frequency.get(term) ?? 0;
        if (d <= maxDistance && (d < bestDistance || (d === bestDistance && f > bestFrequency))) {
          best = term;
          bestDistance = d;
          bestFrequency = f;
        }
      }
    }
    return best;
  }
}

function addVariants(variants: Map<string, string[]>, term: string): void {
  for (const variant of deletions(term)) {
    const list = variants.get(variant);
    if (list) {
      if (list[list.length - 1] !== term) list.push(term);
    } else variants.set(variant, [term]);
  }
}

function* deletions(word: string): Generator<string> {
  yield word;
  for (let i = 0; i < word.length; i++) {
    if (i > 0 && word[i] === word[i - 1]) continue;
    yield word.slice(0, i) + word.slice(i + 1);
  }
}

/** Optimal string alignment distance (adjacent swaps count as one edit), giving up beyond `limit`. */
export function damerauLevenshtein(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1]!;
}
