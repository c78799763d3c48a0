import type { Passage } from '../knowledge/note.js';
import type { RankingParams } from '../search/params.js';
import { coverageOf, type Query } from '../search/query.js';
import type { SearchResult } from '../search/retrieval.js';
import { passageText, type SearchIndex } from '../search/search-index.js';
import { TOOLS } from '../search/shapes.js';

/**
 * What an answer shows is a span: consecutive passages of one section, scored as one unit under a reading
 * budget. One passage alone is often half an answer ("there are three ways:" without the ways, one item of
 * a list of six, a command without the sentence that says what it does), and a whole section is often too
 * much. Scoring every span that fits the budget lets the words of the question, the shape it asks for and
 * the cost of cutting the text at each end decide together, so an introduction comes with its list, a
 * code block with its introduction and a short section whole, without a rule for each.
 */
export interface Span {
  sectionId: number;
  /** Passage ids `[first, end)`. */
  first: number;
  end: number;
  score: number;
  /** Share of the question's importance the span with its headings covers, 0..1. */
  coverage: number;
  /** The passage of the span whose own words matched best (the span's first when none matched). */
  bestPassage: number;
  factors: SpanFactors;
}

/** Each factor of a span's score, for `--explain`: score = relevance x the rest. */
export interface SpanFactors {
  /** The best passage's match + `restWeight` x the other passages' + `headingWeight` x the headings'. */
  relevance: number;
  coverage: number;
  language: number;
  /** In a follow-up: whether the span is in the note the conversation's last answer came from. */
  context: number;
  shape: number;
  tool: number;
  /** What cutting the text at the span's two ends costs. */
  cut: number;
  length: number;
}

/** What span scoring needs of one passage, worked out once per question for the candidate sections. */
interface PassageFacts {
  passage: Passage;
  body: number;
  mask: number;
  /** The share of the question this passage with its headings covers on its own. */
  coverage: number;
  cost: number;
  /** Bit i: the passage has the question's i-th asked-for shape. */
  shapes: number;
  /** The tool of the first command the passage shows, if any. */
  tool?: string;
}

const ANNOUNCES = /[:：]\s*$/;
const TOOL_IN_TEXT = /`(\w+)\s[^`]*`/;

function factsOf(index: SearchIndex, query: Query, result: SearchResult, id: number, headingMask: number, codeCost: number): PassageFacts {
  const { passage } = index.passages[id]!;
  const code = passage.kind === 'code';
  const length = index.lengthOf(id);
  const mask = result.bodyMask(id);
  const facts: PassageFacts = { passage, body: result.bodyScore(id), mask, coverage: 0, cost: code ? Math.min(length, codeCost) : length, shapes: 0 };
  // Only a question that asks for a shape or names a tool needs the passage's text.
  if (query.shapes.length > 0 || query.tool) {
    const text = passageText(passage);
    facts.shapes = query.shapes.reduce((bits, { shape }, i) => (shape.has(text, passage.kind) ? bits | (1 << i) : bits), 0);
    const command = code ? text.trim().split(/\s/)[0] : TOOL_IN_TEXT.exec(text)?.[1];
    if (command && (TOOLS as readonly string[]).includes(command)) facts.tool = command;
  }
  const shapeCovers = query.shapes.reduce((mask, { covers }, i) => (facts.shapes & (1 << i) ? mask | covers : mask), 0);
  facts.coverage = coverageOf(query.clauses, mask | headingMask | shapeCovers);
  return facts;
}

/** What is lost by ending a span between `before` and `after` (either missing: a section's edge). */
function cutCost(before: Passage | undefined, after: Passage | undefined, query: Query, cut: RankingParams['span']['cut']): number {
  if (!before || !after) return 0;
  if (before.kind !== 'code' && before.kind !== 'table-row' && ANNOUNCES.test(before.text)) return cut.introduction;
  if (after.kind === 'code' && before.kind !== 'code') return cut.codeIntroduction;
  if (before.kind === after.kind && (before.kind === 'list-item' || before.kind === 'table-row')) {
    return query.asksForList ? cut.siblingsAsked : cut.siblings;
  }
  return cut.paragraphs;
}

/**
 * The best span of each given section, best first. Spans that match no topical clause of the question are
 * never candidates: an everyday word alone cannot carry an answer.
 */
export function rankSpans(index: SearchIndex, query: Query, result: SearchResult, sectionIds: Iterable<number>): Span[] {
  const params = index.params;
  const spans: Span[] = [];
  for (const sectionId of sectionIds) {
    const span = bestSpanOf(index, query, result, sectionId, params);
    if (span) spans.push(span);
  }
  return spans.sort((a, b) => b.score - a.score);
}

/**
 * The passages of a section worth looking at: those within a reading budget of a passage that matched (a
 * span holding none of them only has the headings to go on), or the section's opening when only its
 * headings matched.
 */
function window(index: SearchIndex, result: SearchResult, first: number, end: number, budget: number): { from: number; to: number; last: number } {
  let lo = -1;
  let hi = -1;
  for (let id = first; id < end; id++) {
    if (result.bodyScore(id) > 0) {
      if (lo < 0) lo = id;
      hi = id;
    }
  }
  const reach = (start: number) => {
    let at = start;
    for (let cost = 0; at < end && (cost += index.lengthOf(at)) <= budget; ) at++;
    return Math.min(end, at + 1);
  };
  if (lo < 0) return { from: first, to: first + 1, last: reach(first) };
  let from = lo;
  for (let cost = 0; from > first && (cost += index.lengthOf(from - 1)) <= budget; ) from--;
  const to = hi + 1;
  return { from, to, last: reach(to) };
}

function bestSpanOf(index: SearchIndex, query: Query, result: SearchResult, sectionId: number, params: RankingParams): Span | undefined {
  const { span: spanParams, answer, retrieval } = params;
  const section = index.sectionPassages(sectionId);
  // Spans start in [from, to) and end by `last`: a span with none of the matched passages has only the
  // headings to go on, so it can never beat one of the same section that has one.
  const { from, to, last } = window(index, result, section.first, section.end, spanParams.budget);
  const heading = { score: result.headingScore(sectionId), mask: result.headingMask(sectionId) };
  const facts: PassageFacts[] = [];
  for (let id = from; id < last; id++) facts.push(factsOf(index, query, result, id, heading.mask, spanParams.codeCost));
  const { note } = index.passages[from]!;
  const language = note.lang === query.lang ? 1 : answer.otherLanguageFactor;
  const context = query.inNote === note.path ? params.conversation.sameNoteFactor : 1;
  const passageAt = (id: number) => (id >= section.first && id < section.end ? index.passages[id]!.passage : undefined);
  // cutBefore[i]: the cost of a span edge just before facts[i]; one more entry for the edge after the last.
  const cutBefore = Array.from({ length: facts.length + 1 }, (_, i) => cutCost(passageAt(from + i - 1), passageAt(from + i), query, spanParams.cut));
  const starts = to - from;

  // The best span so far as plain numbers: a span improves many times while its section is weighed, and
  // only the winner becomes an object.
  let found = false;
  let bestScore = 0;
  let bestA = 0;
  let bestB = 0;
  let bestTopAt = 0;
  let bestRelevance = 0;
  let bestCoverage = 0;
  let bestShape = 0;
  let bestTool = 0;
  let bestCut = 0;
  let bestLength = 0;
  for (let a = 0; a < starts; a++) {
    let top = 0;
    let topAt = a;
    let sum = 0;
    let mask = heading.mask;
    let alone = 0;
    let shapes = 0;
    let tool: string | undefined;
    let cost = 0;
    for (let b = a; b < facts.length; b++) {
      const f = facts[b]!;
      cost += f.cost;
      if (b > a && cost > spanParams.budget) break;
      sum += f.body;
      if (f.body > top) {
        top = f.body;
        topAt = b;
      }
      mask |= f.mask;
      alone = Math.max(alone, f.coverage);
      shapes |= f.shapes;
      tool ??= f.tool;
      const relevance = top + spanParams.restWeight * (sum - top) + retrieval.headingWeight * heading.score;
      if (relevance <= 0 || (mask & query.topicalMask) === 0) continue;
      let covered = mask;
      for (let s = 0; s < query.shapes.length; s++) if (shapes & (1 << s)) covered |= query.shapes[s]!.covers;
      const coverage = alone + spanParams.spreadCoverage * (coverageOf(query.clauses, covered) - alone);
      const shape = shapes ? answer.shapeBonus : 1;
      const toolFactor = query.tool && tool && tool !== query.tool ? answer.otherToolFactor : 1;
      const cut = (1 - cutBefore[a]!) * (1 - cutBefore[b + 1]!);
      const length = 1 - spanParams.lengthCost * Math.min(1, cost / spanParams.budget);
      const score = relevance * coverage * language * context * shape * toolFactor * cut * length;
      if (found && score <= bestScore) continue;
      found = true;
      bestScore = score;
      bestA = a;
      bestB = b;
      bestTopAt = topAt;
      bestRelevance = relevance;
      bestCoverage = coverage;
      bestShape = shape;
      bestTool = toolFactor;
      bestCut = cut;
      bestLength = length;
    }
  }
  if (!found) return undefined;
  return {
    sectionId,
    first: from + bestA,
    end: from + bestB + 1,
    score: bestScore,
    coverage: bestCoverage,
    bestPassage: from + bestTopAt,
    factors: { relevance: bestRelevance, coverage: bestCoverage, language, context, shape: bestShape, tool: bestTool, cut: bestCut, length: bestLength },
  };
}
