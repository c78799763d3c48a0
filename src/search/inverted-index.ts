import { z } from 'zod';
import { fail, ok, type Result } from '../result.js';

/** One term's postings: ascending document numbers and, for each, its BM25 weight before idf. */
export interface Postings {
  docs: Int32Array;
  impacts: Float32Array;
}

/**
 * A finished index as flat arrays, for saving: every term's postings back to back in `docs` and `impacts`,
 * term i's at `[offsets[i], offsets[i + 1])`, so loading makes views into the arrays rather than copies.
 */
export const InvertedIndexSnapshotSchema = z.object({
  /** The terms in id order, one per line (no term holds a line break): one string loads far faster than a list
   * of thousands, each of which zod would check on every start. */
  terms: z.string(),
  /** Each document's length in tokens. */
  lengths: z.instanceof(Int32Array),
  offsets: z.instanceof(Int32Array),
  docs: z.instanceof(Int32Array),
  impacts: z.instanceof(Float32Array),
});
export type InvertedIndexSnapshot = z.infer<typeof InvertedIndexSnapshotSchema>;

/**
 * A BM25 inverted index over numbered documents. When building ends, every term's postings are frozen into
 * flat typed arrays: the documents, and each document's term-frequency-and-length factor of BM25 worked out
 * once. A question then only multiplies by idf and adds, in a tight loop over typed arrays, which keeps
 * tens of thousands of documentation sections fast to search and small in the heap. A loaded index keeps
 * the saved arrays as they are; a term's view of them is made the first time a question asks for it.
 */
export class InvertedIndex {
  private readonly termIds = new Map<string, number>();
  private building: number[][] = [];
  private buildingLengths: number[] = [];
  private lengths = new Int32Array(0);
  private offsets = new Int32Array(1);
  private docs = new Int32Array(0);
  private impacts = new Float32Array(0);
  /** Views of `docs` and `impacts` per term, made on first use: a question touches a handful of terms. */
  private readonly views: (Postings | undefined)[] = [];
  private readonly k1 = 1.2;
  private readonly b = 0.75;

  get size(): number {
    // Lengths are gathered in the plain array until `finish` moves them into the typed one.
    return this.buildingLengths.length + this.lengths.length;
  }

  /** Adds the next document; its id is the number of documents added before it. */
  add(tokens: readonly string[]): number {
    const doc = this.buildingLengths.length;
    this.buildingLengths.push(tokens.length);
    const counts = new Map<string, number>();
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const [term, tf] of counts) {
      let id = this.termIds.get(term);
      if (id === undefined) {
        id = this.building.length;
        this.termIds.set(term, id);
        this.building.push([]);
      }
      this.building[id]!.push(doc, tf);
    }
    return doc;
  }

  /** Freezes the index; call once after the last `add`. */
  finish(): void {
    const lengths = Int32Array.from(this.buildingLengths);
    const total = lengths.reduce((a, b) => a + b, 0);
    const averageLength = Math.max(1, total / Math.max(1, lengths.length));
    const { k1, b, building } = this;
    const offsets = new Int32Array(building.length + 1);
    for (let t = 0; t < building.length; t++) offsets[t + 1] = offsets[t]! + building[t]!.length / 2;
    const docs = new Int32Array(offsets[building.length]!);
    const impacts = new Float32Array(docs.length);
    for (let t = 0; t < building.length; t++) {
      const list = building[t]!;
      for (let i = 0, at = offsets[t]!; i < list.length; i += 2, at++) {
        const doc = list[i]!;
        const tf = list[i + 1]!;
        docs[at] = doc;
        impacts[at] = (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * lengths[doc]!) / averageLength));
      }
    }
    this.lengths = lengths;
    this.offsets = offsets;
    this.docs = docs;
    this.impacts = impacts;
    this.building = [];
    this.buildingLengths = [];
  }

  /** The finished index as flat arrays; `fromSnapshot` turns them back into an index answering the same. */
  toSnapshot(): InvertedIndexSnapshot {
    // Copies: a snapshot is the caller's to change, and the index keeps answering from its own arrays.
    const { lengths, offsets, docs, impacts } = this;
    return { terms: [...this.termIds.keys()].join('\n'), lengths: lengths.slice(), offsets: offsets.slice(), docs: docs.slice(), impacts: impacts.slice() };
  }

  /** An index from a snapshot, once its arrays are shown to fit together: a saved file is never trusted. */
  static fromSnapshot(snapshot: InvertedIndexSnapshot): Result<InvertedIndex> {
    const { lengths, offsets, docs, impacts } = snapshot;
    // Counted by the offsets: a lone term may be empty (a word of only underscores), which '' could not tell from none.
    const terms = offsets.length === 1 ? [] : snapshot.terms.split('\n');
    if (offsets.length !== terms.length + 1 || offsets[0] !== 0 || offsets[terms.length] !== docs.length || impacts.length !== docs.length) {
      return fail(`postings offsets do not match ${terms.length} terms and ${docs.length} postings`);
    }
    for (let t = 0; t < terms.length; t++) {
      const start = offsets[t]!;
      const end = offsets[t + 1]!;
      if (end <= start) return fail(`term ${t} has no postings`);
      // Retrieval indexes per-document arrays by these numbers, and `impact` binary-searches them.
      for (let i = start, previous = -1; i < end; previous = docs[i++]!) {
        if (docs[i]! <= previous || docs[i]! >= lengths.length) return fail(`postings of term ${t} are out of order or range`);
      }
    }
    const index = new InvertedIndex();
    for (let t = 0; t < terms.length; t++) index.termIds.set(terms[t]!, t);
    if (index.termIds.size !== terms.length) return fail('a term is listed twice');
    index.lengths = lengths;
    index.offsets = offsets;
    index.docs = docs;
    index.impacts = impacts;
    return ok(index);
  }

  documentFrequency(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.offsets[id + 1]! - this.offsets[id]!;
  }

  /** Inverse document frequency (BM25's, floored at a small positive value so common terms still count). */
  idf(term: string): number {
    const df = this.documentFrequency(term);
    const n = this.lengths.length;
    return Math.max(0.05, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
  }

  /** The largest idf any term can have here: what an unseen term would be worth. */
  maxIdf(): number {
    const n = this.lengths.length;
    return Math.log(1 + (n - 0.5) / 1.5);
  }

  terms(): IterableIterator<string> {
    return this.termIds.keys();
  }

  /** The term's postings; multiply each impact by `idf(term)` for its BM25 score. */
  postings(term: string): Postings | undefined {
    const id = this.termIds.get(term);
    if (id === undefined) return undefined;
    const { offsets } = this;
    return (this.views[id] ??= { docs: this.docs.subarray(offsets[id], offsets[id + 1]), impacts: this.impacts.subarray(offsets[id], offsets[id + 1]) });
  }

  /** The term's BM25 weight before idf in one document (0 when absent), by binary search of its postings. */
  impact(term: string, doc: number): number {
    const list = this.postings(term);
    if (!list) return 0;
    let lo = 0;
    let hi = list.docs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const d = list.docs[mid]!;
      if (d === doc) return list.impacts[mid]!;
      if (d < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  /** Calls `visit(doc, score)` for every document holding `term`, with its BM25 contribution times `weight`. */
  forEachScore(term: string, weight: number, visit: (doc: number, score: number) => void): void {
    const list = this.postings(term);
    if (!list) return;
    const factor = this.idf(term) * weight;
    for (let i = 0; i < list.docs.length; i++) visit(list.docs[i]!, factor * list.impacts[i]!);
  }
}
