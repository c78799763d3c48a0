import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadKnowledge } from '../src/knowledge/load.js';
import { openLibrary, type Library } from '../src/library.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import type { Store } from '../src/store/store.js';
import { answerQuery } from '../src/answer/answer.js';
import type { Lang } from '../src/lang.js';
import { shippedGlossaryDir, shippedKnowledgeDir } from '../src/paths.js';
import type { Reply } from '../src/reply.js';
import { Glossary, loadGlossary } from '../src/search/glossary.js';
import type { RankingParams } from '../src/search/params.js';
import { SearchIndex } from '../src/search/search-index.js';

export const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** A throwaway folder holding the given files (path -> content). */
export function tempFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-notes-bot-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

let glossary: Glossary | undefined;
/** The shipped glossary, loaded once per test file. */
export const shippedGlossary = (): Glossary => (glossary ??= new Glossary(loadGlossary([shippedGlossaryDir]).groups));

/** The notes under `dir` indexed with the shipped glossary (and, to test a rule, other ranking parameters). */
export function indexOf(dir: string, params?: RankingParams): SearchIndex {
  const knowledge = loadKnowledge(dir);
  if (!knowledge.ok) throw new Error(knowledge.error);
  return new SearchIndex(knowledge.value.notes, shippedGlossary(), params);
}

/** One question answered from an index, read in the given language. */
export const answerQuestion = (index: SearchIndex, question: string, lang: Lang): Reply => answerQuery(index, index.parse(question, lang));

let shipped: SearchIndex | undefined;
/** The shipped notes, indexed once per test file. */
export const shippedIndex = (): SearchIndex => (shipped ??= indexOf(shippedKnowledgeDir));

/** Everything the bot knows from `dir`: notes, and its own or the shipped catalog and tips. */
export function libraryOf(dir: string): Library {
  const library = openLibrary(dir);
  if (!library.ok) throw new Error(library.error);
  return library.value;
}

let shippedLib: Library | undefined;
/** The shipped knowledge, loaded once per test file. */
export const shippedLibrary = (): Library => (shippedLib ??= libraryOf(shippedKnowledgeDir));

/** A real SQLite store in `dir` (a fresh folder unless given). */
export function openTestStore(dir = tempFolder({})): Store {
  const store = openSqliteStore(dir);
  if (!store.ok) throw new Error(store.error);
  return store.value;
}
