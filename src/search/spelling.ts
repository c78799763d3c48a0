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
 * What `add` built, flat: working out every term's deletions is most of the cost of a documentation-sized
 * vocabulary. Variant i lists the terms `members[offsets[i]..offsets[i + 1])`, by their place in `terms`.
 */
export const SpellingSnapshotSchema = z.object({
  terms: z.array(z.string()),
  frequencies: z.instanceof(Int32Array),
  variants: z.array(z.string()),
  offsets: z.instanceof(Int32Array),
  members: z.instanceof(Int32Array),
});
export type SpellingSnapshot = z.infer<typeof SpellingSnapshotSchema>;

export class SpellingIndex {
  constructor(private readonly limits: SpellingLimits) {}

  private readonly variants = new Map<string, string[]>();
  private readonly frequency = new Map<string, number>();

  add(term: string, documentFrequency: number): void {
    if (term.length < 4 || !/^[a-z][a-z0-9]*$/.test(term)) return;
    this.frequency.set(term, documentFrequency);
    for (const variant of deletions(term)) {
      const list = this.variants.get(variant);
      if (list) {
        if (list[list.length - 1] !== term) list.push(term);
      } else this.variants.set(variant, [term]);
    }
  }

  toSnapshot(): SpellingSnapshot {
    const terms = [...this.frequency.keys()];
    const place = new Map(terms.map((t, i) => [t, i]));
    const offsets = new Int32Array(this.variants.size + 1);
    const members: number[] = [];
    let v = 0;
    for (const list of this.variants.values()) {
      for (const term of list) members.push(place.get(term)!);
      offsets[++v] = members.length;
    }
    return { terms, frequencies: Int32Array.from(terms, (t) => this.frequency.get(t)!), variants: [...this.variants.keys()], offsets, members: Int32Array.from(members) };
  }

  static fromSnapshot(limits: SpellingLimits, snapshot: SpellingSnapshot): Result<SpellingIndex> {
    const { terms, frequencies, variants, offsets, members } = snapshot;
    if (frequencies.length !== terms.length || offsets.length !== variants.length + 1 || offsets[0] !== 0 || offsets[variants.length] !== members.length) {
      return fail(`spelling arrays do not match ${terms.length} terms and ${variants.length} variants`);
    }
    const index = new SpellingIndex(limits);
    terms.forEach((t, i) => index.frequency.set(t, frequencies[i]!));
    for (let v = 0; v < variants.length; v++) {
      const list: string[] = [];
      for (let i = offsets[v]!; i < offsets[v + 1]!; i++) {
        const term = terms[members[i]!];
        if (term === undefined) return fail(`spelling variant ${v} names a term that does not exist`);
        list.push(term);
      }
      if (list.length === 0) return fail(`spelling variant ${v} lists no term`);
      index.variants.set(variants[v]!, list);
    }
    return ok(index);
  }

  /** The most frequent known term closest to `word`, or undefined when nothing is near enough. */
  correct(word: string): string | undefined {
    if (word.length < this.limits.minLength || !/^[a-z][a-z0-9]*$/.test(word) || this.frequency.has(word)) return undefined;
    const maxDistance = word.length >= this.limits.twoEditsFrom ? 2 : 1;
    let best: string | undefined;
    let bestDistance = Infinity;
    let bestFrequency = -1;
    for (const variant of deletions(word)) {
      for (const term of this.variants.get(variant) ?? []) {
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
