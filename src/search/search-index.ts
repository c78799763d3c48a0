import { z } from 'zod';
import type { Lang } from '../lang.js';
import type { Note, Passage, Section } from '../knowledge/note.js';
import { fail, ok, type Result } from '../result.js';
import { Glossary, GlossarySnapshotSchema } from './glossary.js';
import { InvertedIndex, InvertedIndexSnapshotSchema } from './inverted-index.js';
import { RANKING, type RankingParams } from './params.js';
import { parseQuery, type Alternative, type Query, type Vocabulary } from './query.js';
import { SpellingIndex, SpellingSnapshotSchema, type SpellingLimits } from './spelling.js';
import { tokenize } from './tokenize.js';

/** A passage with the section and note it belongs to. */
export interface PassageRef {
  note: Note;
  section: Section;
  sectionId: number;
  passage: Passage;
}

/**
 * What retrieval found for a question: its best passages (by their own match plus a share of their
 * section's), and the matches of any passage or section, which span scoring reads around those passages.
 * Only valid until the index answers its next question: the scores live in arrays it reuses.
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

/** Each clause's best alternative in a passage's words and in its section's headings: what `--explain` shows. */
export interface ClauseContribution {
  clause: string;
  importance: number;
  topical: boolean;
  body: number;
  heading: number;
  /** The phrasing that matched best (in the passage, else in the headings). */
  matched?: string;
}

export function passageText(passage: Passage): string {
  switch (passage.kind) {
    case 'code':
      return passage.code;
    case 'table-row':
      return `${passage.header.join(' ')} ${passage.cells.join(' ')}`;
    default:
      return passage.text;
  }
}

/**
 * Sums per-clause scores over documents, taking for each clause the best of its alternatives, and records
 * which clauses each document matched. Arrays are reused across questions (stamped by epoch) so a question
 * costs only the postings it touches.
 */
class ClauseAccumulator {
  readonly total: Float64Array;
  readonly mask: Uint32Array;
  readonly stamp: Uint32Array;
  /** Documents touched by the last run: the first `touchedCount` entries. Typed and reused, because
   * emptying and regrowing a plain array of tens of thousands of numbers per question feeds the GC. */
  readonly touched: Int32Array;
  touchedCount = 0;
  epoch = 0;
  private readonly best: Float64Array;
  private readonly bestStamp: Uint32Array;
  private readonly bestTouched: Int32Array;
  private bestCount = 0;
  private bestEpoch = 0;
  private readonly alt: Float64Array;
  private readonly altStamp: Uint32Array;
  private readonly altTouched: Int32Array;
  private readonly altWords: Uint8Array;
  private altEpoch = 0;

  constructor(size: number) {
    this.total = new Float64Array(size);
    this.mask = new Uint32Array(size);
    this.stamp = new Uint32Array(size);
    this.touched = new Int32Array(size);
    this.best = new Float64Array(size);
    this.bestStamp = new Uint32Array(size);
    this.bestTouched = new Int32Array(size);
    this.alt = new Float64Array(size);
    this.altStamp = new Uint32Array(size);
    this.altTouched = new Int32Array(size);
    this.altWords = new Uint8Array(size);
  }

  run(index: InvertedIndex, clauses: readonly { alternatives: readonly Alternative[] }[], params: RankingParams['retrieval']): void {
    const epoch = ++this.epoch;
    const commonLimit = Math.max(params.commonTranslationMinDf, index.size * params.commonTranslationShare);
    this.touchedCount = 0;
    const { best, bestStamp, bestTouched, total, mask, stamp, touched } = this;
    for (let bit = 0; bit < clauses.length; bit++) {
      const { alternatives } = clauses[bit]!;
      const bestEpoch = ++this.bestEpoch;
      this.bestCount = 0;
      let budget = params.clausePostingsBudget;
      for (let a = 0; a < alternatives.length; a++) {
        const alternative = alternatives[a]!;
        // In a large collection a translation that is everywhere ("container" for 容器), or one past the
        // clause's budget of postings, costs a long walk and ranks little: the asker's own words (the first
        // phrasing) always count, and cover the clause already.
        let cost = 0;
        let widest = 0;
        for (const t of alternative.tokens) {
          const df = index.documentFrequency(t);
          cost += df;
          widest = Math.max(widest, df);
        }
        if (a > 0 && (cost > budget || widest > commonLimit)) continue;
        budget -= cost;
        if (alternative.tokens.length > 1) {
          this.addPhrase(index, alternative.tokens, alternative.weight, bestEpoch);
          continue;
        }
        // A one-word phrasing's score is final per document: fold it into the clause's best at once.
        const term = alternative.tokens[0]!;
        const list = index.postings(term);
        if (!list) continue;
        const factor = index.idf(term) * alternative.weight;
        const { docs, impacts } = list;
        let count = this.bestCount;
        for (let i = 0; i < docs.length; i++) {
          const doc = docs[i]!;
          const score = factor * impacts[i]!;
          if (bestStamp[doc] !== bestEpoch) {
            bestStamp[doc] = bestEpoch;
            best[doc] = score;
            bestTouched[count++] = doc;
          } else if (score > best[doc]!) best[doc] = score;
        }
        this.bestCount = count;
      }
      const bitMask = 1 << bit;
      let count = this.touchedCount;
      for (let i = 0; i < this.bestCount; i++) {
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
  }

  has(doc: number): boolean {
    return this.stamp[doc] === this.epoch;
  }

  /**
   * A several-word phrasing ("api server", 历史+版本) matches a document only when all its words are there,
   * and scores as its best word there: a sum would let a phrasing outscore a one-word spelling of the same
   * idea, and let a document holding half of it cover the clause. A word the index lacks means no match,
   * except a lone Han character (the 层 of "init 层"): notes index Chinese as pairs, so 层 exists only
   * inside pairs such as 层放.
   */
  private addPhrase(index: InvertedIndex, tokens: readonly string[], weight: number, bestEpoch: number): void {
    const { alt, altStamp, altTouched, altWords, best, bestStamp, bestTouched } = this;
    const altEpoch = ++this.altEpoch;
    let altCount = 0;
    let known = 0;
    for (const term of tokens) {
      const list = index.postings(term);
      const required = LONE_HAN.test(term) ? 0 : 1;
      if (!list) {
        if (required) return;
        continue;
      }
      known += required;
      const factor = index.idf(term) * weight;
      const { docs, impacts } = list;
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i]!;
        const score = factor * impacts[i]!;
        if (altStamp[doc] !== altEpoch) {
          altStamp[doc] = altEpoch;
          alt[doc] = score;
          altWords[doc] = required;
          altTouched[altCount++] = doc;
        } else {
          if (score > alt[doc]!) alt[doc] = score;
          altWords[doc]! += required;
        }
      }
    }
    let count = this.bestCount;
    for (let i = 0; i < altCount; i++) {
      const doc = altTouched[i]!;
      if (altWords[doc] !== known) continue;
      if (bestStamp[doc] !== bestEpoch) {
        bestStamp[doc] = bestEpoch;
        best[doc] = alt[doc]!;
        bestTouched[count++] = doc;
      } else if (alt[doc]! > best[doc]!) best[doc] = alt[doc]!;
    }
    this.bestCount = count;
  }
}

/**
 * The best `limit` of the ids offered, best first, a later id placed after an earlier one of the same score;
 * in two typed arrays kept from question to question, so a question that offers tens of thousands of
 * passages allocates nothing until it hands back its few winners.
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

  offer(id: number, score: number): void {
    const { members: ids, scores, limit } = this;
    if (limit === 0 || (this.count === limit && score <= scores[limit - 1]!)) return;
    let at = this.count < limit ? this.count++ : limit - 1;
    while (at > 0 && scores[at - 1]! < score) {
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
function topSections(hits: ClauseAccumulator, k: number): number[] {
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

const LONE_HAN = /^[\u3400-\u9fff\uf900-\ufaff]$/;
const LANG_CODE: Record<Lang, number> = { zh: 0, en: 1 };

/** What indexing the notes produced, everything but the notes themselves: what a saved library keeps. */
export const SearchIndexSnapshotSchema = z.object({
  body: InvertedIndexSnapshotSchema,
  heading: InvertedIndexSnapshotSchema,
  spelling: SpellingSnapshotSchema,
  glossary: GlossarySnapshotSchema,
  passageLength: z.instanceof(Int32Array),
});
export type SearchIndexSnapshot = z.infer<typeof SearchIndexSnapshotSchema>;

/** The costly part of an index, built from its notes or loaded from a snapshot of them. */
interface IndexParts {
  bodyIndex: InvertedIndex;
  headingIndex: InvertedIndex;
  spelling: SpellingIndex;
  passageLength: Int32Array<ArrayBuffer>;
}

function buildParts(notes: readonly Note[], glossary: Glossary, limits: SpellingLimits): IndexParts {
  const bodyIndex = new InvertedIndex();
  const headingIndex = new InvertedIndex();
  const lengths: number[] = [];
  for (const note of notes) {
    for (const section of note.sections) {
      for (const passage of section.passages) {
        const text = passageText(passage);
        bodyIndex.add(tokenize(text));
        lengths.push(text.length);
      }
      headingIndex.add(tokenize([note.title, ...section.headings].join(' ')));
    }
  }
  bodyIndex.finish();
  headingIndex.finish();
  const spelling = new SpellingIndex(limits);
  const noteTerms = new Set([...bodyIndex.terms(), ...headingIndex.terms()]);
  for (const term of noteTerms) spelling.add(term, bodyIndex.documentFrequency(term) + headingIndex.documentFrequency(term));
  // Glossary words are spelt right even when the notes never use them: "rollbak" is "rollback", which the
  // glossary then finds as 回滚 in a Chinese note. They rank below the notes' own words on a tie.
  for (const term of glossary.words) if (!noteTerms.has(term)) spelling.add(term, 0);
  return { bodyIndex, headingIndex, spelling, passageLength: Int32Array.from(lengths) };
}

/**
 * The retrieval core: every passage of every note in a BM25 index of its own words, every section in a
 * second index of its note title and heading path. A passage's score is its own match plus a share of its
 * section's headings' match, so "StatefulSet 拓扑状态" finds a passage under that heading even when the
 * passage itself never repeats those words.
 */
export class SearchIndex {
  readonly passages: PassageRef[] = [];
  private readonly sections: { first: number; end: number }[] = [];
  private readonly bodyIndex: InvertedIndex;
  private readonly headingIndex: InvertedIndex;
  private readonly spelling: SpellingIndex;
  private readonly vocabulary: Vocabulary;
  private readonly passageAccumulator: ClauseAccumulator;
  private readonly sectionAccumulator: ClauseAccumulator;
  /** Each passage's section and note language, in flat arrays: the scoring loop visits tens of thousands
   * of passages per question, and chasing each one's objects would cost more than scoring it. */
  private readonly passageSection: Int32Array;
  private readonly passageLang: Uint8Array;
  /** The languages the notes are written in. */
  private readonly languages: ReadonlySet<Lang>;
  /** Each passage's length in characters: what it costs to read, worked out once. */
  private readonly passageLength: Int32Array<ArrayBuffer>;
  /** The best passages of the question being answered, reused across questions. */
  private readonly topPassages = new TopScores();

  /** Indexes `notes`; `parts` are given only by `fromSnapshot`, already checked against the notes. */
  constructor(
    notes: readonly Note[],
    private readonly glossary: Glossary,
    readonly params: RankingParams = RANKING,
    parts: IndexParts = buildParts(notes, glossary, params.query.spelling),
  ) {
    for (const note of notes) {
      for (const section of note.sections) {
        const sectionId = this.sections.length;
        const first = this.passages.length;
        for (const passage of section.passages) this.passages.push({ note, section, sectionId, passage });
        this.sections.push({ first, end: this.passages.length });
      }
    }
    ({ bodyIndex: this.bodyIndex, headingIndex: this.headingIndex, spelling: this.spelling, passageLength: this.passageLength } = parts);
    // Filled by a loop: `from` with a mapping function walks the passages as an iterator, which took 60 ms of
    // each load of a documentation-sized library (110,000 passages).
    this.passageSection = new Int32Array(this.passages.length);
    this.passageLang = new Uint8Array(this.passages.length);
    for (let i = 0; i < this.passages.length; i++) {
      this.passageSection[i] = this.passages[i]!.sectionId;
      this.passageLang[i] = LANG_CODE[this.passages[i]!.note.lang];
    }
    this.languages = new Set(notes.map((n) => n.lang));
    this.passageAccumulator = new ClauseAccumulator(this.passages.length);
    this.sectionAccumulator = new ClauseAccumulator(this.sections.length);
    const isKnown = (t: string) => this.bodyIndex.documentFrequency(t) > 0 || this.headingIndex.documentFrequency(t) > 0;
    this.vocabulary = {
      isKnown,
      idf: (t) => (this.bodyIndex.documentFrequency(t) > 0 ? this.bodyIndex.idf(t) : this.headingIndex.idf(t)),
      unknownImportance: this.bodyIndex.maxIdf(),
      correct: (w) => this.spelling.correct(w),
      isHeadingTerm: (t) => this.headingIndex.documentFrequency(t) > 0,
    };
  }

  toSnapshot(): SearchIndexSnapshot {
    return {
      body: this.bodyIndex.toSnapshot(),
      heading: this.headingIndex.toSnapshot(),
      spelling: this.spelling.toSnapshot(),
      glossary: this.glossary.toSnapshot(),
      passageLength: this.passageLength,
    };
  }

  /** The index `new SearchIndex(notes, ...)` would build, from its snapshot, or why the snapshot does not fit the notes. */
  static fromSnapshot(notes: readonly Note[], snapshot: SearchIndexSnapshot, params: RankingParams = RANKING): Result<SearchIndex> {
    let sections = 0;
    let passages = 0;
    for (const note of notes) {
      sections += note.sections.length;
      for (const section of note.sections) passages += section.passages.length;
    }
    const bodyIndex = InvertedIndex.fromSnapshot(snapshot.body);
    if (!bodyIndex.ok) return fail(`passage index: ${bodyIndex.error}`);
    const headingIndex = InvertedIndex.fromSnapshot(snapshot.heading);
    if (!headingIndex.ok) return fail(`heading index: ${headingIndex.error}`);
    const spelling = SpellingIndex.fromSnapshot(params.query.spelling, snapshot.spelling);
    if (!spelling.ok) return fail(spelling.error);
    if (bodyIndex.value.size !== passages || snapshot.passageLength.length !== passages || headingIndex.value.size !== sections) {
      return fail(`the index covers ${bodyIndex.value.size} passages and ${headingIndex.value.size} sections, the notes hold ${passages} and ${sections}`);
    }
    const glossary = Glossary.fromSnapshot(snapshot.glossary);
    if (!glossary.ok) return glossary;
    const parts = { bodyIndex: bodyIndex.value, headingIndex: headingIndex.value, spelling: spelling.value, passageLength: snapshot.passageLength };
    return ok(new SearchIndex(notes, glossary.value, params, parts));
  }

  /** Whether any note is written in `lang`: only then can its notes be said to lack a fact. */
  hasLanguage(lang: Lang): boolean {
    return this.languages.has(lang);
  }

  get sectionCount(): number {
    return this.sections.length;
  }

  /** A passage's length in characters. */
  lengthOf(passageId: number): number {
    return this.passageLength[passageId]!;
  }

  /** Passage ids `[first, end)` of a section, in the note's order. */
  sectionPassages(sectionId: number): { first: number; end: number } {
    return this.sections[sectionId]!;
  }

  /** Reads a question against this index's vocabulary and glossary. */
  parse(text: string, lang: Lang): Query {
    return parseQuery(text, lang, this.vocabulary, this.glossary, this.params);
  }

  /**
   * The best `limit` passages for a question, by their own match plus a share of their section's headings',
   * a note in the other language counting less.
   */
  search(query: Query, limit = this.params.retrieval.candidates): SearchResult {
    const { clauses } = query;
    const passagesHit = this.passageAccumulator;
    const sectionsHit = this.sectionAccumulator;
    const result: SearchResult = {
      passages: [],
      // Numbers, not match objects: span scoring asks for every passage around the candidates.
      bodyScore: (p) => (passagesHit.has(p) ? passagesHit.total[p]! : 0),
      bodyMask: (p) => (passagesHit.has(p) ? passagesHit.mask[p]! : 0),
      headingScore: (s) => (sectionsHit.has(s) ? sectionsHit.total[s]! : 0),
      headingMask: (s) => (sectionsHit.has(s) ? sectionsHit.mask[s]! : 0),
    };
    if (clauses.length === 0) return result;
    const { retrieval, answer } = this.params;
    passagesHit.run(this.bodyIndex, clauses, retrieval);
    sectionsHit.run(this.headingIndex, clauses, retrieval);

    const { passageSection, passageLang } = this;
    const askedLang = LANG_CODE[query.lang];
    const top = this.topPassages.reset(limit);
    const { total: bodyTotal, stamp: bodyStamp, touched } = passagesHit;
    const { total: headingTotal, stamp: headingStamp } = sectionsHit;
    const bodyEpoch = passagesHit.epoch;
    const headingEpoch = sectionsHit.epoch;
    const score = (passageId: number) => {
      const s = passageSection[passageId]!;
      const body = bodyStamp[passageId] === bodyEpoch ? bodyTotal[passageId]! : 0;
      const heading = headingStamp[s] === headingEpoch ? headingTotal[s]! : 0;
      const languageFactor = passageLang[passageId] === askedLang ? 1 : answer.otherLanguageFactor;
      return (body + retrieval.headingWeight * heading) * languageFactor;
    };
    for (let i = 0; i < passagesHit.touchedCount; i++) {
      const passageId = touched[i]!;
      top.offer(passageId, score(passageId));
    }
    for (const s of topSections(sectionsHit, retrieval.headingSections)) {
      const { first, end } = this.sections[s]!;
      for (let p = first; p < end; p++) if (bodyStamp[p] !== bodyEpoch) top.offer(p, score(p));
    }
    result.passages = top.ids();
    return result;
  }

  /**
   * Each clause's contribution to one passage's match and to its section's: the slow, exact account behind
   * `ask --explain`, never on the answering path.
   */
  explain(query: Query, passageId: number): ClauseContribution[] {
    const sectionId = this.passageSection[passageId]!;
    return query.clauses.map((clause) => {
      const body = bestAlternative(this.bodyIndex, clause.alternatives, passageId);
      const heading = bestAlternative(this.headingIndex, clause.alternatives, sectionId);
      const matched = body.score > 0 ? body.phrase : heading.score > 0 ? heading.phrase : undefined;
      return {
        clause: clause.text,
        importance: round(clause.importance),
        topical: clause.topical,
        body: round(body.score),
        heading: round(heading.score),
        ...(matched ? { matched } : {}),
      };
    });
  }
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** A clause's best phrasing in one document, scored as retrieval scores it (a phrase needs all its words). */
function bestAlternative(index: InvertedIndex, alternatives: readonly Alternative[], doc: number): { score: number; phrase?: string } {
  let best: { score: number; phrase?: string } = { score: 0 };
  for (const alternative of alternatives) {
    let score = 0;
    let complete = true;
    for (const term of alternative.tokens) {
      const impact = index.impact(term, doc);
      if (impact === 0 && !LONE_HAN.test(term)) complete = false;
      score = Math.max(score, impact * index.idf(term) * alternative.weight);
    }
    if (complete && score > best.score) best = { score, phrase: alternative.tokens.join(' ') };
  }
  return best;
}
