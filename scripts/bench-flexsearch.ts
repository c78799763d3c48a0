/**
 * FlexSearch, the fast full-text library the issue names, as a second yardstick beside the plain BM25
 * reference: the same passages, fed as our tokenizer's terms (so Chinese pairs and English stems are the
 * same words on both sides, and FlexSearch's own Latin encoders cannot favour one language), matched exactly
 * (`Charset.Exact`, strict tokenizing), with `suggest` on so a passage holding some of the question's words
 * counts as ours does. Top five, like the reference.
 */
import { Charset, Index } from 'flexsearch';
import type { Note } from '../src/knowledge/note.js';
import { passageText } from '../src/search/search-index.js';
import { tokenize, tokenizeQuery } from '../src/search/tokenize.js';

export interface FlexSearchYardstick {
  buildMs: number;
  /** Heap and typed arrays the index holds, in bytes, when the caller exposes gc. */
  heap: number;
  search(question: string): number[];
}

export function flexSearchYardstick(notes: readonly Note[], gc: () => void): FlexSearchYardstick {
  gc();
  const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const started = performance.now();
  const index = new Index({ tokenize: 'strict', encoder: Charset.Exact });
  let id = 0;
  for (const note of notes) for (const section of note.sections) for (const passage of section.passages) index.add(id++, tokenize(passageText(passage)).join(' '));
  const buildMs = performance.now() - started;
  gc();
  const heap = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers - heapBefore;
  return {
    buildMs,
    heap,
    search: (question) => index.search(tokenizeQuery(question).join(' '), { limit: 5, suggest: true }) as number[],
  };
}
