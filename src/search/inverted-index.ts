/** One term's postings: ascending document numbers and, for each, its BM25 weight before idf. */
export interface Postings {
  docs: Int32Array;
  impacts: Float32Array;
}

/**
 * A BM25 inverted index over numbered documents. When building ends, each term's postings are frozen into
 * two typed arrays: the documents, and each document's term-frequency-and-length factor of BM25 worked out
 * once. A question then only multiplies by idf and adds, in a tight loop over typed arrays, which keeps
 * tens of thousands of documentation sections fast to search and small in the heap.
 */
export class InvertedIndex {
  private readonly termIds = new Map<string, number>();
  private building: number[][] = [];
  private postingLists: Postings[] = [];
  private readonly lengths: number[] = [];
  private readonly k1 = 1.2;
  private readonly b = 0.75;

  get size(): number {
    return this.lengths.length;
  }

  /** Adds the next document; its id is the number of documents added before it. */
  add(tokens: readonly string[]): number {
    const doc = this.lengths.length;
    this.lengths.push(tokens.length);
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
    const total = this.lengths.reduce((a, b) => a + b, 0);
    const averageLength = Math.max(1, total / Math.max(1, this.lengths.length));
    const { k1, b, lengths } = this;
    this.postingLists = this.building.map((list) => {
      const docs = new Int32Array(list.length / 2);
      const impacts = new Float32Array(list.length / 2);
      for (let i = 0; i < docs.length; i++) {
        const doc = list[2 * i]!;
        const tf = list[2 * i + 1]!;
        docs[i] = doc;
        impacts[i] = (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * lengths[doc]!) / averageLength));
      }
      return { docs, impacts };
    });
    this.building = [];
  }

  documentFrequency(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.postingLists[id]!.docs.length;
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
    return id === undefined ? undefined : this.postingLists[id];
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
