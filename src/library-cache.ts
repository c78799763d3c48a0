import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Catalog } from './commands/load.js';
import { walkFolder } from './knowledge/files.js';
import { readCappedBytes } from './knowledge/text-file.js';
import type { Note } from './knowledge/note.js';
import { assembleLibrary, librarySources, openLibrary, type Library } from './library.js';
import type { Logger } from './log.js';
import { packageRoot } from './paths.js';
import type { Problem } from './problem.js';
import { fail, ok, type Result } from './result.js';
import { SearchIndex, SearchIndexSnapshotSchema } from './search/search-index.js';
import { makePrivateFolder } from './store/private-files.js';
import { decodeSnapshot, encodeSnapshot, writePrivateFileAtomically } from './snapshot-file.js';
import { TipSchema } from './tips/tip.js';

/** This module's folder: `src/` under the tests, `dist/src/` once built. All of its code is in the key. */
const CODE_DIR = dirname(fileURLToPath(import.meta.url));
const CODE_FILE = /\.(js|ts)$/;
/** Notes, and the YAML and JSON of catalogs, tips and glossaries. */
const KNOWLEDGE_FILE = /\.(md|markdown|txt|ya?ml|json)$/i;

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * A hash of everything a library of `dir` is made from: the bot's version, its code, and the path and bytes
 * of every file of the notes folder and of the shipped catalog, tips and glossary it uses. Any change to
 * one of them makes a new key, so a saved library is only ever loaded for exactly what it was built from.
 */
export function libraryKey(dir: string): string {
  // This hashes every note on every start: sha256, which CPUs with SHA instructions run about twice as fast as sha512.
  const hash = createHash('sha256');
  const version = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version?: unknown }).version;
  hash.update(`version ${String(version)}\0`);
  const addFolder = (role: string, folder: string, pattern: RegExp) => {
    hash.update(`${role} ${relative(dir, folder)}\0`);
    if (!existsSync(folder)) return hash.update('missing\0');
    const listing = walkFolder(folder, pattern);
    if (!listing.ok) return hash.update(`unreadable ${listing.error}\0`);
    // What the loaders skip is hashed as the reason they give, which is all a library keeps of it: a 20 MB
    // note is refused unread, so it is not read here either.
    for (const problem of listing.value.problems) hash.update(`skipped ${problem.file}\0${problem.message}\0`);
    for (const { name, real } of listing.value.files) {
      const bytes = readCappedBytes(real);
      if (!bytes.ok) hash.update(`${name}\0unread ${bytes.error}\0`);
      else hash.update(`${name}\0${bytes.value.length}\0`).update(bytes.value);
    }
  };
  addFolder('code', CODE_DIR, CODE_FILE);
  const sources = librarySources(dir);
  addFolder('notes', dir, KNOWLEDGE_FILE);
  addFolder('catalog', sources.catalogDir, KNOWLEDGE_FILE);
  addFolder('tips', sources.tipsDir, KNOWLEDGE_FILE);
  for (const folder of sources.glossaryDirs) addFolder('glossary', folder, KNOWLEDGE_FILE);
  return hash.digest('hex');
}

/** One file per notes folder: a folder's new library replaces its old one instead of piling up beside it. */
export const libraryCacheFile = (dir: string, dataDir: string): string => join(dataDir, 'cache', `library-${sha(resolve(dir)).slice(0, 16)}.bin`);

/** Notes, catalog and problems are vouched for by the digest and the key, not field by field: they are what
 * this code wrote, and checking every field of thousands of notes would cost most of a load. */
const written = <T>() => z.custom<T>((value) => typeof value === 'object' && value !== null);

const LibrarySnapshotSchema = z.object({
  library: z.object({
    notes: z.array(written<Note>()),
    catalog: written<Catalog>(),
    tips: z.array(TipSchema),
    problems: z.array(written<Problem>()),
  }),
  index: SearchIndexSnapshotSchema,
});

function loadSaved(dir: string, file: string, key: string): Result<Library> {
  let bytes: Buffer<ArrayBuffer>;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    return fail((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'none saved yet' : (error as Error).message);
  }
  const tree = decodeSnapshot(bytes, key);
  if (!tree.ok) return tree;
  const parsed = LibrarySnapshotSchema.safeParse(tree.value);
  if (!parsed.success) return fail(`unexpected data at ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
  const { library, index } = parsed.data;
  const searchIndex = SearchIndex.fromSnapshot(library.notes, index);
  if (!searchIndex.ok) return searchIndex;
  return ok(assembleLibrary(dir, { ...library, index: searchIndex.value }));
}

function save(library: Library, file: string, key: string): Result<void> {
  try {
    makePrivateFolder(dirname(file));
  } catch (error) {
    return fail(`cannot create ${dirname(file)}: ${(error as Error).message}`);
  }
  const { notes, catalog, tips, problems, index } = library;
  return writePrivateFileAtomically(file, encodeSnapshot(key, { library: { notes, catalog, tips, problems }, index: index.toSnapshot() }));
}

/**
 * `openLibrary(dir)`, loaded from the library saved under `dataDir` when that was built from exactly these
 * files by exactly this code, else built and saved for next time. A saved library that cannot be used is
 * rebuilt, never trusted; one that cannot be saved costs only the next start's time.
 */
export function openLibraryCached(dir: string, dataDir: string, log?: Pick<Logger, 'debug' | 'warn'>): Result<Library> {
  const key = keyOf(dir);
  // A folder that cannot be read has nothing to cache; openLibrary says what is wrong with it.
  if (key === undefined) return openLibrary(dir);
  const file = libraryCacheFile(dir, dataDir);
  const saved = loadSaved(dir, file, key);
  if (saved.ok) {
    log?.debug({ file }, 'saved index loaded');
    return saved;
  }
  log?.debug({ file, reason: saved.error }, 'saved index not used; building it');
  const built = openLibrary(dir);
  // Notes edited while they were being read would be saved under the key of their earlier text.
  if (built.ok && keyOf(dir) === key) {
    const written = save(built.value, file, key);
    if (!written.ok) log?.warn({ file }, `${written.error}; answers are unaffected, but the next start will index the notes again`);
  }
  return built;
}

function keyOf(dir: string): string | undefined {
  try {
    return libraryKey(dir);
  } catch {
    return undefined;
  }
}
