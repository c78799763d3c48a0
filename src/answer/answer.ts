import type { Passage } from '../knowledge/note.js';
import type { Lang } from '../lang.js';
import { sectionLabel, type Block, type Reply, type Source, type Suggestion } from '../reply.js';
import type { Query } from '../search/query.js';
import type { ClauseContribution, PassageRef, SearchIndex } from '../search/search-index.js';
import { say } from './messages.js';
import { rankSpans, type Span, type SpanFactors } from './span.js';

function passageBlock(passage: Passage): Block {
  switch (passage.kind) {
    case 'code':
      return { type: 'code', lang: passage.lang, code: passage.code };
    case 'table-row':
      return {
        type: 'fields',
        fields: passage.header.map((name, i) => ({ name, value: passage.cells[i] ?? '' })).filter((f) => f.name || f.value),
      };
    default:
      return { type: 'text', text: passage.text };
  }
}

function sourceOf(ref: PassageRef, score: number): Source {
  return {
    note: ref.note.path,
    noteTitle: ref.note.title,
    section: ref.section.headings,
    line: ref.passage.line,
    score: Math.round(score * 100) / 100,
    ...(ref.note.url ? { url: ref.note.url } : {}),
  };
}

function suggestionOf(ref: PassageRef): Suggestion {
  const heading = ref.section.headings.at(-1) ?? ref.note.title;
  return { label: sectionLabel({ noteTitle: ref.note.title, section: ref.section.headings }), intent: { type: 'ask', text: heading } };
}

/** An answer's id: the note and line of the passage it cites, which its votes and "show all" refer to. */
const answerIdOf = (ref: PassageRef) => `${ref.note.path}#L${ref.passage.line}`;

/** Up to `related` sections among `spans`, preferring the asker's language, other than `exclude`. */
function relatedSections(index: SearchIndex, spans: readonly Span[], lang: Lang, exclude?: Span): Suggestion[] {
  const refs = spans.filter((s) => s !== exclude).map((s) => index.passages[s.bestPassage]!);
  const ordered = [...refs.filter((r) => r.note.lang === lang), ...refs.filter((r) => r.note.lang !== lang)];
  return ordered.slice(0, index.params.answer.related).map(suggestionOf);
}

/** The spans a question's retrieval leads to: the best span of each section its best passages are in. */
function candidateSpans(index: SearchIndex, query: Query): Span[] {
  const result = index.search(query);
  const sections = new Set(result.passages.map((id) => index.passages[id]!.sectionId));
  return rankSpans(index, query, result, sections);
}

/**
 * The span to answer with, or none when the best one does not cover enough of the question. A span in the
 * asker's language wins when it is confident and not far behind: the same fact in the other language's
 * notes is a fallback, said as such.
 */
function chooseSpan(index: SearchIndex, query: Query, spans: readonly Span[]): Span | undefined {
  const { confidentCoverage, ownLanguageRatio } = index.params.answer;
  const best = spans[0];
  if (!best || best.coverage < confidentCoverage) return undefined;
  if (index.passages[best.first]!.note.lang === query.lang) return best;
  const own = spans.find((s) => s.coverage >= confidentCoverage && index.passages[s.first]!.note.lang === query.lang);
  return own && own.score >= ownLanguageRatio * best.score ? own : best;
}

/**
 * Answers a question from the notes: the span of a section that answers it, its source, and up to three
 * related sections; or an honest "not in the notes" with the nearest sections as suggestions.
 */
export function answerQuery(index: SearchIndex, query: Query): Reply {
  const spans = candidateSpans(index, query);
  const chosen = chooseSpan(index, query, spans);
  const { lang } = query;
  if (!chosen) {
    const suggestions = relatedSections(index, spans, lang);
    return {
      kind: 'not-found',
      lang,
      blocks: [{ type: 'text', text: say(suggestions.length ? 'notFoundWithSuggestions' : 'notFound', lang) }],
      sources: [],
      suggestions,
      actions: [],
    };
  }

  const start = index.passages[chosen.first]!;
  const cited = index.passages[chosen.bestPassage]!;
  const blocks = index.passages.slice(chosen.first, chosen.end).map((ref) => passageBlock(ref.passage));
  const fallback = start.note.lang !== lang && index.hasLanguage(lang);
  const section = index.sectionPassages(chosen.sectionId);
  const answerId = answerIdOf(cited);
  const partial = chosen.first > section.first || chosen.end < section.end;
  return {
    kind: 'answer',
    lang,
    blocks: fallback ? [{ type: 'text', text: say('fromOtherLanguage', lang) }, ...blocks] : blocks,
    // The passage that matched best is where the fact is: that line is cited and voted on.
    sources: [sourceOf(cited, chosen.score)],
    suggestions: relatedSections(index, spans, start.note.lang, chosen),
    actions: [{ type: 'feedback', answerId }, ...(partial ? [{ type: 'more' as const, answerId }] : [])],
  };
}

/**
 * The whole section an answer showed part of, found by the answer's id; after a reload that removed it, a
 * sentence saying so. Its buttons vote on the same answer.
 */
export function sectionReply(index: SearchIndex, answerId: string, lang: Lang): Reply {
  const cited = index.passages.find((ref) => answerIdOf(ref) === answerId);
  if (!cited) return { kind: 'not-found', lang, blocks: [{ type: 'text', text: say('sectionGone', lang) }], sources: [], suggestions: [], actions: [] };
  const { first, end } = index.sectionPassages(cited.sectionId);
  return {
    kind: 'answer',
    lang,
    blocks: index.passages.slice(first, end).map((ref) => passageBlock(ref.passage)),
    sources: [sourceOf(cited, 1)],
    suggestions: [],
    actions: [{ type: 'feedback', answerId }],
  };
}

/** Why a span ranked where it did: every factor of its score and every clause's part in its match. */
export interface SpanExplanation {
  note: string;
  section: string;
  lines: [number, number];
  lang: Lang;
  score: number;
  chosen: boolean;
  factors: SpanFactors;
  clauses: ClauseContribution[];
}

export interface Explanation {
  question: string;
  lang: Lang;
  asks: { shapes: string[]; list: boolean; tool?: string };
  clauses: { text: string; importance: number; topical: boolean; phrasings: string[] }[];
  candidates: SpanExplanation[];
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** The account behind `ask --explain`: how the question was read and how its top `limit` spans scored. */
export function explainQuery(index: SearchIndex, query: Query, limit = 5): Explanation {
  const spans = candidateSpans(index, query);
  const chosen = chooseSpan(index, query, spans);
  const shown = chosen && !spans.slice(0, limit).includes(chosen) ? [...spans.slice(0, limit - 1), chosen] : spans.slice(0, limit);
  return {
    question: query.text,
    lang: query.lang,
    asks: { shapes: query.shapes.map((s) => s.shape.name), list: query.asksForList, ...(query.tool ? { tool: query.tool } : {}) },
    clauses: query.clauses.map((c) => ({
      text: c.text,
      importance: round(c.importance),
      topical: c.topical,
      phrasings: c.alternatives.map((a) => `${a.tokens.join(' ')} x${round(a.weight)}`),
    })),
    candidates: shown.map((span) => {
      const first = index.passages[span.first]!;
      const last = index.passages[span.end - 1]!;
      return {
        note: first.note.path,
        section: sectionLabel({ noteTitle: first.note.title, section: first.section.headings }),
        lines: [first.passage.line, last.passage.line],
        lang: first.note.lang,
        score: round(span.score),
        chosen: span === chosen,
        factors: Object.fromEntries(Object.entries(span.factors).map(([k, v]) => [k, round(v)])) as unknown as SpanFactors,
        clauses: spanContributions(index, query, span),
      };
    }),
  };
}

/** Each clause's best match over the span's passages (its headings' match is the same for all of them). */
function spanContributions(index: SearchIndex, query: Query, span: Span): ClauseContribution[] {
  let best: ClauseContribution[] | undefined;
  for (let id = span.first; id < span.end; id++) {
    const own = index.explain(query, id);
    best = best ? best.map((c, i) => (own[i]!.body > c.body ? own[i]! : c)) : own;
  }
  return best ?? [];
}
