import type { Passage } from '../knowledge/note.js';
import type { Lang } from '../lang.js';
import { sectionLabel, type Block, type Reply, type Source, type Suggestion } from '../reply.js';
import { coverageOf } from '../search/query.js';
import type { Hit, PassageRef, SearchIndex } from '../search/search-index.js';
import { shapeFit } from './answer-type.js';
import { say } from './messages.js';

/**
 * The share of a question's importance the best passage must cover to be presented as the answer. Below it
 * the bot says the notes do not cover the question. Calibrated on test/eval/questions.jsonl: lower lets
 * off-topic questions through on a shared everyday word, higher turns away real questions phrased loosely.
 */
export const CONFIDENT_COVERAGE = 0.45;
/** A second passage from the same section joins the answer when it scores this close to the best. */
const COMPANION_RATIO = 0.8;
const RELATED_LIMIT = 3;
const CANDIDATES = 50;

/** Final order: retrieval score weighted by how much of the question the passage covers. */
const rank = (hit: Hit) => hit.score * hit.coverage;

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

const introduces = (p: Passage | undefined) => p !== undefined && p.kind !== 'code' && p.kind !== 'table-row' && /[:：]$/.test(p.text);
/** An introduction brings at most this many list items or table rows; a longer list is better cited than pasted. */
const MAX_INTRODUCED = 8;

/** The passages shown for a passage: `list[from..to)` of its section, where `list[at]` is the passage itself. */
interface Shown {
  list: readonly Passage[];
  at: number;
  from: number;
  to: number;
}

/**
 * What is shown for one chosen passage: a paragraph ending in a colon brings the code block, list or
 * table rows it introduces, and a code block or an item of a short list brings its introduction, because
 * either alone reads as half an answer ("相关命令有：" says nothing without the commands).
 */
function shownWith(ref: PassageRef): Shown {
  const list = ref.section.passages;
  const at = list.indexOf(ref.passage);
  const span = (from: number, to: number): Shown => ({ list, at, from, to });
  const next = list[at + 1];
  if (introduces(ref.passage) && next) {
    if (next.kind === 'code') return span(at, at + 2);
    let end = at + 1;
    while (end < list.length && list[end]!.kind === next.kind && end - at <= MAX_INTRODUCED + 1) end++;
    if ((next.kind === 'list-item' || next.kind === 'table-row') && end - at - 1 <= MAX_INTRODUCED) return span(at, end);
  }
  if (ref.passage.kind === 'code' && introduces(list[at - 1])) return span(at - 1, at + 1);
  if (ref.passage.kind === 'list-item') {
    // One item of a short introduced list ("集群的上限：" then its items) reads best with its siblings.
    let first = at;
    while (first > 0 && list[first - 1]!.kind === 'list-item') first--;
    let end = at + 1;
    while (end < list.length && list[end]!.kind === 'list-item') end++;
    if (introduces(list[first - 1]) && end - first <= MAX_INTRODUCED) return span(first - 1, end);
  }
  return span(at, at + 1);
}

/**
 * The clauses covered by everything shown with a passage: an introduction and the list it introduces are
 * read as one answer ("注入方式包括：" then Secret, ConfigMap), so they are judged as one. `masks` holds the
 * candidates' clause masks by passage id; passages of a section have consecutive ids.
 */
function shownMask(hit: Hit, { at, from, to }: Shown, masks: ReadonlyMap<number, number>): number {
  let mask = hit.clauseMask;
  for (let k = from; k < to; k++) mask |= masks.get(hit.passageId - at + k) ?? 0;
  return mask;
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
  return { label: sectionLabel({ noteTitle: ref.note.title, section: ref.section.headings }), ask: heading };
}

/** Distinct sections among `hits`, best first, preferring the asker's language, excluding `exclude`. */
function relatedSections(index: SearchIndex, hits: Hit[], lang: Lang, exclude: Set<number>): Suggestion[] {
  const seen = new Set(exclude);
  const refs = hits.map((h) => index.passages[h.passageId]!);
  const ordered = [...refs.filter((r) => r.note.lang === lang), ...refs.filter((r) => r.note.lang !== lang)];
  const out: Suggestion[] = [];
  for (const ref of ordered) {
    if (out.length === RELATED_LIMIT) break;
    if (seen.has(ref.sectionId)) continue;
    seen.add(ref.sectionId);
    out.push(suggestionOf(ref));
  }
  return out;
}

/**
 * Answers a question from the notes: the passage that answers it (not its whole section), its source, and
 * up to three related sections; or an honest "not in the notes" with the nearest sections as suggestions.
 */
export function answerQuestion(index: SearchIndex, question: string, lang: Lang): Reply {
  const { hits: found, clauses } = index.search(question, lang, CANDIDATES);
  const fit = shapeFit(question, clauses);
  const masks = new Map(found.map((h) => [h.passageId, h.clauseMask]));
  const hits = found.map((hit) => {
    const ref = index.passages[hit.passageId]!;
    const { factor, covers } = fit(ref.passage);
    const mask = shownMask(hit, shownWith(ref), masks) | covers;
    return { hit: mask === hit.clauseMask ? hit : { ...hit, coverage: coverageOf(clauses, mask) }, factor };
  });
  const shaped = new Map(hits.map(({ hit, factor }) => [hit, rank(hit) * factor]));
  const ranked = hits.map((h) => h.hit).filter((h) => h.topical && h.coverage > 0).sort((a, b) => shaped.get(b)! - shaped.get(a)!);
  const best = ranked[0];

  if (!best || best.coverage < CONFIDENT_COVERAGE) {
    const suggestions = relatedSections(index, ranked, lang, new Set());
    return {
      kind: 'not-found',
      lang,
      blocks: [{ type: 'text', text: say(suggestions.length ? 'notFoundWithSuggestions' : 'notFound', lang) }],
      sources: [],
      suggestions,
      actions: [],
    };
  }

  const bestRef = index.passages[best.passageId]!;
  const chosen = [bestRef];
  const runnerUp = ranked[1];
  if (runnerUp && shaped.get(runnerUp)! >= COMPANION_RATIO * shaped.get(best)!) {
    const ref = index.passages[runnerUp.passageId]!;
    if (ref.sectionId === bestRef.sectionId) chosen.push(ref);
  }
  chosen.sort((a, b) => a.passage.line - b.passage.line);
  const shown = chosen.map(shownWith).flatMap(({ list, from, to }) => list.slice(from, to));
  const passages = [...new Set(shown)];

  return {
    kind: 'answer',
    lang,
    blocks: passages.map(passageBlock),
    sources: [sourceOf(bestRef, best.score)],
    suggestions: relatedSections(index, ranked.slice(1), bestRef.note.lang, new Set([bestRef.sectionId])),
    actions: [{ type: 'feedback', answerId: `${bestRef.note.path}#L${bestRef.passage.line}` }],
  };
}
