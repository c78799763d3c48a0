import type { Lang } from '../lang.js';
import type { Note, Passage, Section } from '../knowledge/note.js';
import { InvertedIndex } from './inverted-index.js';
import { buildQuery, coverageOf, type Clause, type Vocabulary } from './query.js';
import { SpellingIndex } from './spelling.js';
import { EVERYDAY_WORDS, GLOSSARY } from './glossary.js';
import { tokenize } from './tokenize.js';

/** A passage with the section and note it belongs to. */
export interface PassageRef {
  note: Note;
  section: Section;
  sectionId: number;
  passage: Passage;
}

export interface Hit {
  passageId: number;
  score: number;
  /** Share of the question's importance this passage (with its headings) covers, 0..1. */
  coverage: number;
  /** Which clauses of the question the passage (with its headings) matched, one bit per clause. */
  clauseMask: number;
  /** The passage matched at least one Kubernetes idea of the question, not only everyday words. */
  topical: boolean;
}

export interface SearchResult {
  clauses: Clause[];
  hits: Hit[];
}

/** How much a section's headings add to each of its passages' scores. */
const HEADING_WEIGHT = 0.7;
/** A note in the other language is a fallback, not an equal. */
const OTHER_LANGUAGE_FACTOR = 0.8;
/** Sections whose headings match are searched in full, but only this many, to bound the work per question. */
const HEADING_SECTIONS = 20;
const MAX_CLAUSES = 30;

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

  run(index: InvertedIndex, clauses: Clause[]): void {
    const epoch = ++this.epoch;
    const commonLimit = Math.max(COMMON_TRANSLATION_MIN_DF, index.size * COMMON_TRANSLATION_SHARE);
    this.touchedCount = 0;
    const { best, bestStamp, bestTouched, total, mask, stamp, touched } = this;
    clauses.forEach((clause, bit) => {
      const bestEpoch = ++this.bestEpoch;
      this.bestCount = 0;
      let budget = CLAUSE_POSTINGS_BUDGET;
      for (const [a, alternative] of clause.alternatives.entries()) {
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
    });
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
/** A translated phrasing is skipped when one of its words is in more than this share of the documents... */
const COMMON_TRANSLATION_SHARE = 0.01;
/** ...and in more than this many: a team's own notes are far below it, so only documentation-sized sets skip. */
const COMMON_TRANSLATION_MIN_DF = 2000;
/** Postings one clause may walk over all its phrasings; a team's notes never reach it. */
const CLAUSE_POSTINGS_BUDGET = 20_000;
const GLOSSARY_TERMS = new Set([...GLOSSARY, ...EVERYDAY_WORDS].flatMap((group) => group.flatMap((phrase) => tokenize(phrase))));

/**
 * The retrieval core: every passage of every note in a BM25 index of its own words, every section in a
 * second index of its note title and heading path. A passage's score is its own match plus a share of its
 * section's headings' match, so "StatefulSet 拓扑状态" finds a passage under that heading even when the
 * passage itself never repeats those words.
 */
export class SearchIndex {
  readonly passages: PassageRef[] = [];
  private readonly sections: { first: number; end: number }[] = [];
  private readonly bodyIndex = new InvertedIndex();
  private readonly headingIndex = new InvertedIndex();
  private readonly spelling = new SpellingIndex();
  private readonly vocabulary: Vocabulary;
  private passageAccumulator!: ClauseAccumulator;
  private sectionAccumulator!: ClauseAccumulator;
  /** Each passage's section and note language, in flat arrays: the scoring loop visits tens of thousands
   * of passages per question, and chasing each one's objects would cost more than scoring it. */
  private passageSection!: Int32Array;
  private passageLang!: Uint8Array;

  constructor(notes: readonly Note[]) {
    for (const note of notes) {
      for (const section of note.sections) {
        const sectionId = this.sections.length;
        const first = this.passages.length;
        for (const passage of section.passages) {
          this.passages.push({ note, section, sectionId, passage });
          this.bodyIndex.add(tokenize(passageText(passage)));
        }
        this.sections.push({ first, end: this.passages.length });
        this.headingIndex.add(tokenize([note.title, ...section.headings].join(' ')));
      }
    }
    this.bodyIndex.finish();
    this.headingIndex.finish();
    const noteTerms = new Set([...this.bodyIndex.terms(), ...this.headingIndex.terms()]);
    for (const term of noteTerms) {
      this.spelling.add(term, this.bodyIndex.documentFrequency(term) + this.headingIndex.documentFrequency(term));
    }
    // Glossary words are spelt right even when the notes never use them: "rollbak" is "rollback", which the
    // glossary then finds as 回滚 in a Chinese note. They rank below the notes' own words on a tie.
    for (const term of GLOSSARY_TERMS) if (!noteTerms.has(term)) this.spelling.add(term, 0);
    this.passageSection = Int32Array.from(this.passages, (p) => p.sectionId);
    this.passageLang = Uint8Array.from(this.passages, (p) => LANG_CODE[p.note.lang]);
    this.passageAccumulator = new ClauseAccumulator(this.passages.length);
    this.sectionAccumulator = new ClauseAccumulator(this.sections.length);
    const isKnown = (t: string) => this.bodyIndex.documentFrequency(t) > 0 || this.headingIndex.documentFrequency(t) > 0;
    this.vocabulary = {
      isKnown,
      idf: (t) => (this.bodyIndex.documentFrequency(t) > 0 ? this.bodyIndex.idf(t) : this.headingIndex.idf(t)),
      unknownImportance: this.bodyIndex.maxIdf() * 1.0,
      correct: (w) => this.spelling.correct(w),
      isHeadingTerm: (t) => this.headingIndex.documentFrequency(t) > 0,
    };
  }

  get sectionCount(): number {
    return this.sections.length;
  }

  /** The best `limit` passages for a question, preferring notes in `lang`. */
  search(question: string, lang: Lang, limit = 10): SearchResult {
    const clauses = buildQuery(question, this.vocabulary).slice(0, MAX_CLAUSES);
    if (clauses.length === 0) return { clauses, hits: [] };
    const passagesHit = this.passageAccumulator;
    const sectionsHit = this.sectionAccumulator;
    passagesHit.run(this.bodyIndex, clauses);
    sectionsHit.run(this.headingIndex, clauses);

    const topicalMask = clauses.reduce((mask, c, bit) => (c.topical ? mask | (1 << bit) : mask), 0);

    const top: Hit[] = [];
    const { passageSection, passageLang } = this;
    const askedLang = LANG_CODE[lang];
    const consider = (passageId: number) => {
      const s = passageSection[passageId]!;
      const inSection = sectionsHit.has(s);
      const inBody = passagesHit.has(passageId);
      const body = inBody ? passagesHit.total[passageId]! : 0;
      const heading = inSection ? sectionsHit.total[s]! : 0;
      const languageFactor = passageLang[passageId] === askedLang ? 1 : OTHER_LANGUAGE_FACTOR;
      const score = (body + HEADING_WEIGHT * heading) * languageFactor;
      if (top.length === limit && score <= top[top.length - 1]!.score) return;
      const mask = (inBody ? passagesHit.mask[passageId]! : 0) | (inSection ? sectionsHit.mask[s]! : 0);
      const hit = { passageId, score, coverage: coverageOf(clauses, mask), clauseMask: mask, topical: (mask & topicalMask) !== 0 };
      let at = top.length;
      while (at > 0 && top[at - 1]!.score < score) at--;
      top.splice(at, 0, hit);
      if (top.length > limit) top.pop();
    };

    for (let i = 0; i < passagesHit.touchedCount; i++) consider(passagesHit.touched[i]!);
    for (const s of topSections(sectionsHit, HEADING_SECTIONS)) {
      const { first, end } = this.sections[s]!;
      for (let p = first; p < end; p++) if (!passagesHit.has(p)) consider(p);
    }
    return { clauses, hits: top };
  }
}
