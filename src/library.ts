import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadCatalog, type Catalog } from './commands/load.js';
import { CommandIndex } from './commands/lookup.js';
import { loadKnowledge } from './knowledge/load.js';
import type { Note } from './knowledge/note.js';
import { resolveRef, type Ref, type RefTarget } from './knowledge/refs.js';
import { shippedCatalogDir, shippedGlossaryDir, shippedTipsDir } from './paths.js';
import type { Problem } from './problem.js';
import { fail, ok, type Result } from './result.js';
import { Glossary, loadGlossary } from './search/glossary.js';
import { SearchIndex } from './search/search-index.js';
import { loadTips } from './tips/load.js';
import type { Tip } from './tips/tip.js';

/** Everything the bot knows, loaded from one knowledge folder and indexed for answering. */
export interface Library {
  dir: string;
  notes: Note[];
  index: SearchIndex;
  catalog: Catalog;
  commands: CommandIndex;
  tips: Tip[];
  /** Problems in notes, catalog and tips, each naming its file and line; none of them stopped the load. */
  problems: Problem[];
  resolve(ref: Ref): RefTarget | undefined;
}

/** The parts of a library that are read from files or indexed; the lookups over them are made from these. */
export interface LibraryParts {
  notes: Note[];
  index: SearchIndex;
  catalog: Catalog;
  tips: Tip[];
  problems: Problem[];
}

/** The folders besides the notes that a library of `dir` is read from. */
export interface LibrarySources {
  catalogDir: string;
  tipsDir: string;
  glossaryDirs: string[];
}

/** A knowledge folder's own `commands/` or `tips/`, else the shipped ones: a folder holding only notes (the
 * seed note, say) still gets command lookup and tips. */
const ownOrShipped = (dir: string, name: string, shipped: string) => (existsSync(join(dir, name)) ? join(dir, name) : shipped);

export function librarySources(dir: string): LibrarySources {
  return {
    catalogDir: ownOrShipped(dir, 'commands', shippedCatalogDir),
    tipsDir: ownOrShipped(dir, 'tips', shippedTipsDir),
    // The shipped Kubernetes terms hold for every team's notes; a team's own terms come on top of them.
    glossaryDirs: [...new Set([resolve(shippedGlossaryDir), resolve(dir, 'glossary')])],
  };
}

/** Loads the notes under `dir`, then everything else; fails only when there are no usable notes. */
export function openLibrary(dir: string): Result<Library> {
  const knowledge = loadKnowledge(dir);
  return knowledge.ok ? ok(buildLibrary(dir, knowledge.value.notes, knowledge.value.problems)) : fail(knowledge.error);
}

/** Indexes notes already loaded from `dir` and adds the catalog and tips that go with them. */
export function buildLibrary(dir: string, notes: Note[], noteProblems: Problem[] = []): Library {
  const sources = librarySources(dir);
  const catalog = loadCatalog(sources.catalogDir);
  const tips = loadTips(sources.tipsDir);
  const glossary = loadGlossary(sources.glossaryDirs);
  const prefix = (folder: string) => (p: Problem) => ({ ...p, file: `${folder}/${p.file}` });
  return assembleLibrary(dir, {
    notes,
    index: new SearchIndex(notes, new Glossary(glossary.groups)),
    catalog,
    tips: tips.tips,
    problems: [...noteProblems, ...catalog.problems.map(prefix('commands')), ...tips.problems.map(prefix('tips')), ...glossary.problems.map(prefix('glossary'))],
  });
}

/** A library from its parts, however they were obtained: built now or loaded from a saved one. */
export function assembleLibrary(dir: string, parts: LibraryParts): Library {
  const commandNames = new Set(parts.catalog.commands.map((c) => `${c.tool} ${c.path}`));
  // Replies resolve links on every lookup; documentation-sized folders hold thousands of notes.
  const notesByPath = new Map(parts.notes.map((n) => [n.path, n]));
  return { dir, ...parts, commands: new CommandIndex(parts.catalog), resolve: (ref) => resolveRef(ref, notesByPath, commandNames) };
}
