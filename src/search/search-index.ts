import { z } from 'zod';
import type { Lang } from '../lang.js';
import type { Note, Passage, Section } from '../knowledge/note.js';
import { fail, ok, type Result } from '../result.js';
import { Glossary, GlossarySnapshotSchema } from './glossary.js';
import { InvertedIndex, InvertedIndexSnapshotSchema } from './inverted-index.js';
import { RANKING, type RankingParams } from './params.js';
import { parseQuery, type Alternative, type Query, type Vocabulary } from './query.js';
import { SpellingIndex, SpellingSnapshotSchema, type SpellingLimits } from './spelling.js';
import { isRequiredWord, Retrieval, type SearchResult } from './retrieval.js';
import { tokenize } from './tokenize.js';

/** A passage with the section and note it belongs to. */
export interface PassageRef {
  note: Note;
  section: Section;
  sectionId: number;
  passage: Passage;
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
  private readonly retrieval: Retrieval;
  /** Each passage's section and note language, in flat arrays: the scoring loop visits tens of thousands
   * of passages per question, and chasing each one's objects would cost more than scoring it. */
  private readonly passageSection: Int32Array;
  private readonly passageLang: Uint8Array;
  /** The languages the notes are written in. */
  private readonly languages: ReadonlySet<Lang>;
  /** Each passage's length in characters: what it costs to read, worked out once. */
  private readonly passageLength: Int32Array<ArrayBuffer>;

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
    const { bodyIndex, headingIndex, sections, passageSection, passageLang } = this;
    this.retrieval = new Retrieval({ bodyIndex, headingIndex, sections, passageSection, passageLang, params });
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
    return this.retrieval.search(query.clauses, LANG_CODE[query.lang], limit);
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
      if (impact === 0 && isRequiredWord(term)) complete = false;
      score = Math.max(score, impact * index.idf(term) * alternative.weight);
    }
    if (complete && score > best.score) best = { score, phrase: alternative.tokens.join(' ') };
  }
  return best;
}
