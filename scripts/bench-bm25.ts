/**
 * The yardstick for the ask path: plain BM25 over the same passages with the same tokenizer, scoring every
 * passage a question's words occur in and keeping the best five (flat arrays, no sort of all it touched). No glossary, headings, phrases, spelling
 * or answer building: what any search library does, so the bot's ask time can be read as a multiple of it.
 */
import type { Note } from '../src/knowledge/note.js';
import { InvertedIndex } from '../src/search/inverted-index.js';
import { passageText } from '../src/search/search-index.js';
import { tokenize, tokenizeQuery } from '../src/search/tokenize.js';

export interface Bm25Reference {
  /** Milliseconds to index the passages. */
  buildMs: number;
  /** Heap and typed arrays the index holds, in bytes, when the caller exposes gc. */
  heap: number;
  search(question: string): number[];
}

export function bm25Reference(notes: readonly Note[], gc: () => void): Bm25Reference {
  gc();
  const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const started = performance.now();
  const index = new InvertedIndex();
  for (const note of notes) for (const section of note.sections) for (const passage of section.passages) index.add(tokenize(passageText(passage)));
  index.finish();
  const buildMs = performance.now() - started;
  gc();
  const heap = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers - heapBefore;
  const scores = new Float64Array(index.size);
  const touched = new Int32Array(index.size);
  return {
    buildMs,
    heap,
    search(question) {
      let count = 0;
      for (const term of new Set(tokenizeQuery(question))) {
        const list = index.postings(term);
        if (!list) continue;
        const idf = index.idf(term);
        for (let i = 0; i < list.docs.length; i++) {
          const doc = list.docs[i]!;
          if (scores[doc] === 0) touched[count++] = doc;
          scores[doc]! += idf * list.impacts[i]!;
        }
      }
      // The best five by insertion, not a sort of everything touched.
      const best: number[] = [];
      for (let i = 0; i < count; i++) {
        const doc = touched[i]!;
        const score = scores[doc]!;
        if (best.length === 5 && score <= scores[best[4]!]!) continue;
        let at = best.length;
        while (at > 0 && scores[best[at - 1]!]! < score) at--;
        best.splice(at, 0, doc);
        if (best.length > 5) best.pop();
      }
      for (let i = 0; i < count; i++) scores[touched[i]!] = 0;
      return best;
    },
  };
}
