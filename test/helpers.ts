import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadKnowledge } from '../src/knowledge/load.js';
import { openLibrary, type Library } from '../src/library.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import type { Store } from '../src/store/store.js';
import { SearchIndex } from '../src/search/search-index.js';
import { shippedKnowledgeDir } from '../src/paths.js';

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

export function indexOf(dir: string): SearchIndex {
  const knowledge = loadKnowledge(dir);
  if (!knowledge.ok) throw new Error(knowledge.error);
  return new SearchIndex(knowledge.value.notes);
}

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
