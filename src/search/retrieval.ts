import type { InvertedIndex, Postings } from './inverted-index.js';
import type { RankingParams } from './params.js';
import type { Alternative } from './query.js';

const LONE_HAN = /^[\u3400-\u9fff\uf900-\ufaff]$/;

/** Whether a word of a phrasing must be in a document for the phrasing to match there (see {@link planClauses}). */
export const isRequiredWord = (term: string) => !LONE_HAN.test(term);

/** One phrasing of a clause as retrieval walks it: each word's postings with its score factor. */
interface PlannedPhrasing {
  lists: Postings[];
  factors: number[];
  /** 1 where the word must be in a document for the phrasing to match there. */
  required: Uint8Array;
  /** How many words are required. */
  known: number;
}

/** A clause of the question, ready to score: the phrasings worth walking. */
interface PlannedClause {
  bit: number;
  phrasings: PlannedPhrasing[];
}

/**
 * The phrasings of each clause that retrieval walks, with their postings looked up once.
 * In a large collection a translation that is everywhere ("container" for 容器), or one past the clause's
 * budget of postings, costs a long walk and ranks little: the asker's own words (the first phrasing)
 * always count, and cover the clause already.
 * A several-word phrasing ("api server", 历史+版本) needs all its words, except a lone Han character (the
 * 层 of "init 层"): notes index Chinese as pairs, so 层 exists only inside pairs such as 层放.
 */
function planClauses(index: InvertedIndex, clauses: readonly { alternatives: readonly Alternative[] }[], params: RankingParams['retrieval']): PlannedClause[] {
  const commonLimit = Math.max(params.commonTranslationMinDf, index.size * params.commonTranslationShare);
  const planned: PlannedClause[] = [];
  for (let bit = 0; bit < clauses.length; bit++) {
    const clause: PlannedClause = { bit, phrasings: [] };
    let budget = params.clausePostingsBudget;
    clauses[bit]!.alternatives.forEach((alternative, a) => {
      let cost = 0;
      let widest = 0;
      for (const t of alternative.tokens) {
        const df = index.documentFrequency(t);
        cost += df;
        widest = Math.max(widest, df);
      }
      if (a > 0 && (cost > budget || widest > commonLimit)) return;
      budget -= cost;
      const phrasing: PlannedPhrasing = { lists: [], factors: [], required: new Uint8Array(alternative.tokens.length), known: 0 };
      for (const term of alternative.tokens) {
        const list = index.postings(term);
        // A lone word missing from the index means no match; a missing lone Han character is skipped.
        const required = alternative.tokens.length === 1 || isRequiredWord(term) ? 1 : 0;
        if (!list) {
          if (required) return;
          continue;
        }
        const factor = index.idf(term) * alternative.weight;
        phrasing.required[phrasing.lists.length] = required;
        phrasing.known += required;
        phrasing.lists.push(list);
        phrasing.factors.push(factor);
      }
      if (phrasing.lists.length > 0) clause.phrasings.push(phrasing);
    });
    planned.push(clause);
  }
  return planned;
}

/**
 * Sums clause scores over documents, taking for each clause the best of its phrasings, and records which
 * clauses each document matched. Arrays are reused across questions (stamped by epoch) so a question costs
 * only the postings it touches; they are typed because emptying and regrowing plain arrays of tens of
 * thousands of numbers per question feeds the GC.
 */
class ClauseAccumulator {
  readonly total: Float64Array;
  readonly mask: Uint32Array;
  readonly stamp: Uint32Array;
  /** Documents touched since `reset`: the first `touchedCount` entries. */
  readonly touched: Int32Array;
  touchedCount = 0;
  epoch = 0;
  private readonly best: Float64Array;
  private readonly bestStamp: Uint32Array;
  private readonly bestTouched: Int32Array;
  private bestEpoch = 0;
  /** A several-word phrasing's score and count of required words per document, until all its words are walked. */
  private readonly phraseScore: Float64Array;
  private readonly words: Uint8Array;
  private readonly wordsStamp: Uint32Array;
  private readonly wordsTouched: Int32Array;
  private wordsEpoch = 0;

  constructor(size: number) {
    this.total = new Float64Array(size);
    this.mask = new Uint32Array(size);
    this.stamp = new Uint32Array(size);
    this.touched = new Int32Array(size);
    this.best = new Float64Array(size);
    this.bestStamp = new Uint32Array(size);
    this.bestTouched = new Int32Array(size);
    this.phraseScore = new Float64Array(size);
    this.words = new Uint8Array(size);
    this.wordsStamp = new Uint32Array(size);
    this.wordsTouched = new Int32Array(size);
  }

  reset(): void {
    this.epoch++;
    this.touchedCount = 0;
  }

  has(doc: number): boolean {
    return this.stamp[doc] === this.epoch;
  }

  /** Walks every posting of the clause's phrasings and adds the clause's score to each document it is in. */
  add(clause: PlannedClause): void {
    if (clause.phrasings.length === 1 && clause.phrasings[0]!.lists.length === 1) {
      this.addWord(clause.bit, clause.phrasings[0]!.lists[0]!, clause.phrasings[0]!.factors[0]!);
      return;
    }
    const { best, bestStamp, bestTouched } = this;
    const bestEpoch = ++this.bestEpoch;
    let bestCount = 0;
    for (const phrasing of clause.phrasings) {
      if (phrasing.lists.length > 1) {
        bestCount = this.addPhrase(phrasing, bestEpoch, bestCount);
        continue;
      }
      // A one-word phrasing's score is final per document: fold it into the clause's best at once.
      const { docs, impacts } = phrasing.lists[0]!;
      const factor = phrasing.factors[0]!;
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i]!;
        const score = factor * impacts[i]!;
        if (bestStamp[doc] !== bestEpoch) {
          bestStamp[doc] = bestEpoch;
          best[doc] = score;
          bestTouched[bestCount++] = doc;
        } else if (score > best[doc]!) best[doc] = score;
      }
    }
    const { total, mask, stamp, touched, epoch } = this;
    const bitMask = 1 << clause.bit;
    let count = this.touchedCount;
    for (let i = 0; i < bestCount; i++) {
      const doc = bestTouched[i]!;
      if (stamp[doc] !== epoch) {
        stamp[doc] = epoch;
        total[doc] = best[doc]!;
        mask[doc] = bitMask;
        touched[count++] = doc;
      } else {
        total[doc]! += best[doc]!;
        mask[doc]! |= bitMask;
      }
    }
    this.touchedCount = count;
  }

  /** A clause of one word, the most common kind: its scores go straight into the totals, with no best to keep. */
  private addWord(bit: number, { docs, impacts }: Postings, factor: number): void {
    const { total, mask, stamp, touched, epoch } = this;
    const bitMask = 1 << bit;
    let count = this.touchedCount;
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i]!;
      const score = factor * impacts[i]!;
      if (stamp[doc] !== epoch) {
        stamp[doc] = epoch;
        total[doc] = score;
        mask[doc] = bitMask;
        touched[count++] = doc;
      } else {
        total[doc]! += score;
        mask[doc]! |= bitMask;
      }
    }
    this.touchedCount = count;
  }

  /** A several-word phrasing: a document's best word score, kept only where all required words are. */
  private addPhrase({ lists, factors, required, known }: PlannedPhrasing, bestEpoch: number, bestCount: number): number {
    const { best, bestStamp, bestTouched, words, wordsStamp, wordsTouched } = this;
    const scores = this.phraseScore;
    const wordsEpoch = ++this.wordsEpoch;
    let count = 0;
    for (let w = 0; w < lists.length; w++) {
      const { docs, impacts } = lists[w]!;
      const factor = factors[w]!;
      const need = required[w]!;
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i]!;
        const score = factor * impacts[i]!;
        if (wordsStamp[doc] !== wordsEpoch) {
          wordsStamp[doc] = wordsEpoch;
          scores[doc] = score;
          words[doc] = need;
          wordsTouched[count++] = doc;
        } else {
          if (score > scores[doc]!) scores[doc] = score;
          words[doc]! += need;
        }
      }
    }
    for (let i = 0; i < count; i++) {
      const doc = wordsTouched[i]!;
      if (words[doc] !== known) continue;
      if (bestStamp[doc] !== bestEpoch) {
        bestStamp[doc] = bestEpoch;
        best[doc] = scores[doc]!;
        bestTouched[bestCount++] = doc;
      } else if (scores[doc]! > best[doc]!) best[doc] = scores[doc]!;
    }
    return bestCount;
  }
}

/**
 * The best `limit` of the ids offered, best first, the lower id first on a tie (so the order never depends
 * on the order they were offered in); in two typed arrays kept from question to question, so a question that
 * offers thousands of passages allocates nothing until it hands back its few winners.
 */
class TopScores {
  private members = new Int32Array(0);
  private scores = new Float64Array(0);
  private count = 0;
  private limit = 0;

  reset(limit: number): this {
    if (this.members.length < limit) {
      this.members = new Int32Array(limit);
      this.scores = new Float64Array(limit);
    }
    this.count = 0;
    this.limit = limit;
    return this;
  }

  /** The score an offer must beat to be kept: -Infinity until `limit` are held. */
  floor(): number {
    return this.count === this.limit && this.limit > 0 ? this.scores[this.limit - 1]! : -Infinity;
  }

  offer(id: number, score: number): void {
    const { members: ids, scores, limit } = this;
    if (limit === 0) return;
    if (this.count === limit && (score < scores[limit - 1]! || (score === scores[limit - 1]! && id > ids[limit - 1]!))) return;
    let at = this.count < limit ? this.count++ : limit - 1;
    while (at > 0 && (scores[at - 1]! < score || (scores[at - 1] === score && ids[at - 1]! > id))) {
      ids[at] = ids[at - 1]!;
      scores[at] = scores[at - 1]!;
      at--;
    }
    ids[at] = id;
    scores[at] = score;
  }

  ids(): number[] {
    return Array.from(this.members.subarray(0, this.count));
  }
}

/** The `k` best-scoring touched documents, without sorting them all (common headings touch thousands). */
function topTouched(hits: ClauseAccumulator, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < hits.touchedCount; i++) {
    const doc = hits.touched[i]!;
    const score = hits.total[doc]!;
    if (best.length === k && score <= hits.total[best[k - 1]!]!) continue;
    let at = best.length;
    while (at > 0 && hits.total[best[at - 1]!]! < score) at--;
    best.splice(at, 0, doc);
    if (best.length > k) best.pop();
  }
  return best;
}

/**
 * What retrieval found for a question: its best passages (by their own match plus a share of their
 * section's), and the matches of any passage or section, which span scoring reads around those passages.
 * Only valid until the next question: the scores live in arrays retrieval reuses.
 */
export interface SearchResult {
  /** Passage ids, best first. */
  passages: number[];
  /** A passage's own match (0 when none); its masks hold one bit per clause of the question it matched. */
  bodyScore(passageId: number): number;
  bodyMask(passageId: number): number;
  /** The match of a section's note title and headings. */
  headingScore(sectionId: number): number;
  headingMask(sectionId: number): number;
}

/** What retrieval searches: the two indexes and, per passage, its section and language. */
export interface RetrievalParts {
  bodyIndex: InvertedIndex;
  headingIndex: InvertedIndex;
  sections: readonly { first: number; end: number }[];
  passageSection: Int32Array;
  /** Each passage's language, as a number. */
  passageLang: Uint8Array;
  params: RankingParams;
}

/**
 * Finds a question's best passages: every clause's postings are walked into the passages' totals, then each
 * passage touched is weighed with its section's headings and its language.
 */
export class Retrieval {
  private readonly passagesHit: ClauseAccumulator;
  private readonly sectionsHit: ClauseAccumulator;
  private readonly top = new TopScores();

  constructor(private readonly parts: RetrievalParts) {
    this.passagesHit = new ClauseAccumulator(parts.passageSection.length);
    this.sectionsHit = new ClauseAccumulator(parts.sections.length);
  }

  search(clauses: readonly { alternatives: readonly Alternative[] }[], lang: number, limit: number): SearchResult {
    const passagesHit = this.passagesHit;
    const sectionsHit = this.sectionsHit;
    passagesHit.reset();
    sectionsHit.reset();
    const result: SearchResult = {
      passages: [],
      // Numbers, not match objects: span scoring asks for every passage around the candidates.
      bodyScore: (p) => (passagesHit.has(p) ? passagesHit.total[p]! : 0),
      bodyMask: (p) => (passagesHit.has(p) ? passagesHit.mask[p]! : 0),
      headingScore: (s) => (sectionsHit.has(s) ? sectionsHit.total[s]! : 0),
      headingMask: (s) => (sectionsHit.has(s) ? sectionsHit.mask[s]! : 0),
    };
    if (clauses.length === 0) return result;
    const { bodyIndex, headingIndex, sections, passageSection, passageLang, params } = this.parts;
    const { retrieval, answer } = params;
    for (const clause of planClauses(bodyIndex, clauses, retrieval)) passagesHit.add(clause);
    for (const clause of planClauses(headingIndex, clauses, retrieval)) sectionsHit.add(clause);

    const { total: headingTotal, stamp: headingStamp } = sectionsHit;
    const headingEpoch = sectionsHit.epoch;
    let headingMax = 0;
    for (let i = 0; i < sectionsHit.touchedCount; i++) headingMax = Math.max(headingMax, headingTotal[sectionsHit.touched[i]!]!);
    headingMax *= retrieval.headingWeight;
    const score = (p: number, body: number) => {
      const s = passageSection[p]!;
      const heading = headingStamp[s] === headingEpoch ? retrieval.headingWeight * headingTotal[s]! : 0;
      return (body + heading) * (passageLang[p] === lang ? 1 : answer.otherLanguageFactor);
    };
    const top = this.top.reset(limit);
    const { total, touched, touchedCount } = passagesHit;
    for (let i = 0; i < touchedCount; i++) {
      const p = touched[i]!;
      // Most passages a question touches share one common word: even the best headings could not lift them
      // into the best, which is told from their own total without looking up their section.
      if (total[p]! + headingMax < top.floor()) continue;
      top.offer(p, score(p, total[p]!));
    }
    // Passages of the sections whose headings match best are candidates on their headings alone.
    for (const s of topTouched(sectionsHit, retrieval.headingSections)) {
      for (let p = sections[s]!.first; p < sections[s]!.end; p++) if (!passagesHit.has(p)) top.offer(p, score(p, 0));
    }
    result.passages = top.ids();
    return result;
  }
}
