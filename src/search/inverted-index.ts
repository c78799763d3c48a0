/**
 * A BM25 inverted index over numbered documents. Postings are packed into one Int32Array per term
 * (document, term frequency, document, ...) once building ends, which keeps tens of thousands of
 * documentation sections within a small heap and makes scoring a tight loop over typed arrays.
 */
export class InvertedIndex {
  private readonly termIds = new Map<string, number>();
  private building: number[][] = [];
  private postings: Int32Array[] = [];
  private readonly lengths: number[] = [];
  private averageLength = 1;
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
    this.postings = this.building.map((list) => Int32Array.from(list));
    this.building = [];
    const total = this.lengths.reduce((a, b) => a + b, 0);
    this.averageLength = Math.max(1, total / Math.max(1, this.lengths.length));
  }

  documentFrequency(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.postings[id]!.length / 2;
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

  /** Calls `visit(doc, score)` for every document holding `term`, with its BM25 contribution times `weight`. */
  forEachScore(term: string, weight: number, visit: (doc: number, score: number) => void): void {
    const id = this.termIds.get(term);
    if (id === undefined) return;
    const list = this.postings[id]!;
    const idf = this.idf(term) * weight;
    const { k1, b, averageLength, lengths } = this;
    for (let i = 0; i < list.length; i += 2) {
      const doc = list[i]!;
      const tf = list[i + 1]!;
      const norm = k1 * (1 - b + (b * lengths[doc]!) / averageLength);
      visit(doc, (idf * tf * (k1 + 1)) / (tf + norm));
    }
  }
}
