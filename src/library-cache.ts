import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Catalog } from './commands/load.js';
import { walkFolder, type WalkOrder } from './knowledge/files.js';
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
import type { Tip } from './tips/tip.js';

/** This module's folder: `src/` under the tests, `dist/src/` once built. All of its code is in the key. */
const CODE_DIR = dirname(fileURLToPath(import.meta.url));
const CODE_FILE = /\.(js|ts)$/;
/** Notes, and the YAML and JSON of catalogs, tips and glossaries. */
const KNOWLEDGE_FILE = /\.(md|markdown|txt|ya?ml|json)$/i;

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** Walks everything a library of `dir` is made from, each folder's entries in `order`: `entry` gets each
 * folder's and each skipped entry's description, `file` each file the loaders would read. False when a
 * folder's walk was cut at a cap, so that another order may have seen other files. */
function walkSources(dir: string, order: WalkOrder, entry: (text: string) => void, file: (name: string, real: string) => void): boolean {
  let complete = true;
  const version = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version?: unknown }).version;
  entry(`version ${String(version)}`);
  const addFolder = (role: string, folder: string, pattern: RegExp) => {
    entry(`${role} ${relative(dir, folder)}`);
    if (!existsSync(folder)) return entry('missing');
    const listing = walkFolder(folder, pattern, order);
    if (!listing.ok) return entry(`unreadable ${listing.error}`);
    // What the loaders skip is described by the reason they give, which is all a library keeps of it: a
    // 20 MB note is refused unread, so it is not read here either.
    for (const problem of listing.value.problems) entry(`skipped ${problem.file}\0${problem.message}`);
    for (const { name, real } of listing.value.files) file(name, real);
    if (listing.value.cut) complete = false;
  };
  addFolder('code', CODE_DIR, CODE_FILE);
  const sources = librarySources(dir);
  addFolder('notes', dir, KNOWLEDGE_FILE);
  addFolder('catalog', sources.catalogDir, KNOWLEDGE_FILE);
  addFolder('tips', sources.tipsDir, KNOWLEDGE_FILE);
  for (const folder of sources.glossaryDirs) addFolder('glossary', folder, KNOWLEDGE_FILE);
  return complete;
}

/**
 * A hash of everything a library of `dir` is made from: the bot's version, its code, and the path and bytes
 * of every file of the notes folder and of the shipped catalog, tips and glossary it uses. Any change to
 * one of them makes a new key, so a saved library is only ever loaded for exactly what it was built from.
 */
export function libraryKey(dir: string): string {
  // sha256: CPUs with SHA instructions, most now, run it about twice as fast as sha512.
  const hash = createHash('sha256');
  walkSources(
    dir,
    'sorted',
    (text) => hash.update(`${text}\0`),
    (name, real) => {
      const bytes = readCappedBytes(real);
      if (!bytes.ok) hash.update(`${name}\0unread ${bytes.error}\0`);
      else hash.update(`${name}\0${bytes.value.length}\0`).update(bytes.value);
    },
  );
  return hash.digest('hex');
}

/**
 * The same walk as `libraryKey`, but of each file's inode, size and change times instead of its bytes, and
 * the newest of those times. Writing a file, renaming one over it or changing its mode always sets its
 * ctime to the present, which no tool can set back (touch and tar set only mtime); so while the stamps of a
 * folder are the same, so are its bytes. Only a change in the same clock tick as the stamp was taken could
 * hide, which `newest` lets the caller rule out. Folders are taken as the file system lists them, which stays
 * the same while they do: a listing in another order only costs one check of the bytes. Only a walk that was
 * cut at a cap could stamp other files than the loaders read; `complete` is false then.
 */
export function fileStamps(dir: string): { stamps: string; newest: bigint; complete: boolean } {
  const hash = createHash('sha256');
  let newest = 0n;
  const complete = walkSources(
    dir,
    'listed',
    (text) => hash.update(`${text}\0`),
    (name, real) => {
      const stats = statSync(real, { bigint: true, throwIfNoEntry: false });
      if (!stats) return hash.update(`${name}\0gone\0`);
      for (const time of [stats.mtimeNs, stats.ctimeNs]) if (time > newest) newest = time;
      hash.update(`${name}\0${real}\0${stats.dev}:${stats.ino} ${stats.size} ${stats.mtimeNs} ${stats.ctimeNs} ${stats.mode}\0`);
    },
  );
  return { stamps: hash.digest('hex'), newest, complete };
}

/** One file per notes folder: a folder's new library replaces its old one instead of piling up beside it. */
export const libraryCacheFile = (dir: string, dataDir: string): string => join(dataDir, 'cache', `library-${sha(resolve(dir)).slice(0, 16)}.bin`);

/** Notes, catalog, tips and problems are vouched for by the digest and the key, not field by field: they are
 * what this code wrote, and checking every field of thousands of notes (or of a hundred tips, on a cold start)
 * would cost most of a load. */
const written = <T>() => z.custom<T>((value) => typeof value === 'object' && value !== null);

const LibrarySnapshotSchema = z.object({
  library: z.object({
    notes: z.array(written<Note>()),
    catalog: written<Catalog>(),
    tips: z.array(written<Tip>()),
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
 * Stamps are trusted only for files last changed this long before they were taken: some file systems keep
 * times to the 2 s (FAT), and a change in the same tick as the stamp would not show in it.
 */
const SETTLED_NS = 2_000_000_000n;

/** Which key the bytes of the files had when they had these stamps. */
const StampRecordSchema = z.strictObject({ key: z.string(), stamps: z.string(), takenAt: z.string().regex(/^\d+$/) });
type StampRecord = z.infer<typeof StampRecordSchema>;

function readStampRecord(file: string): StampRecord | undefined {
  try {
    const parsed = StampRecordSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The key of `dir` as it is now, from its files' stamps when they match the record of an earlier start and
 * had settled by then, else from their bytes (with the record for next time); undefined when it cannot be
 * read. Stamps are taken before bytes are read, so a file changed in between is seen as changed next time.
 */
function currentKey(dir: string, stampFile: string): { key: string; by: 'stamps' | 'contents'; record?: StampRecord; unchanged: () => boolean } | undefined {
  try {
    const takenAt = BigInt(Date.now()) * 1_000_000n;
    const { stamps, newest, complete } = fileStamps(dir);
    // Whether the files are still as they were now: by their stamps when all had settled before these were
    // taken (any later change then shows in a ctime), else by their bytes.
    const settled = complete && newest + SETTLED_NS < takenAt;
    const still = (key: string) => () => (settled ? tryOr(() => fileStamps(dir).stamps === stamps) : tryOr(() => libraryKey(dir) === key));
    const saved = readStampRecord(stampFile);
    if (saved && complete && saved.stamps === stamps && newest + SETTLED_NS < BigInt(saved.takenAt)) return { key: saved.key, by: 'stamps', unchanged: still(saved.key) };
    const key = libraryKey(dir);
    return { key, by: 'contents', record: { key, stamps, takenAt: String(takenAt) }, unchanged: still(key) };
  } catch {
    return undefined;
  }
}

const tryOr = (check: () => boolean): boolean => {
  try {
    return check();
  } catch {
    return false;
  }
};

const stampFileOf = (cacheFile: string) => `${cacheFile.slice(0, -'.bin'.length)}.stamps`;

/**
 * The key of what `dir` holds now, told by the stamps recorded beside its saved library when they still
 * hold (a stat per file), else by hashing every file: what a reload compares to skip unchanged notes.
 */
export function currentLibraryKey(dir: string, dataDir: string): string | undefined {
  return currentKey(dir, stampFileOf(libraryCacheFile(dir, dataDir)))?.key;
}

/**
 * `openLibrary(dir)`, loaded from the library saved under `dataDir` when that was built from exactly these
 * files by exactly this code, else built and saved for next time. A saved library that cannot be used is
 * rebuilt, never trusted; one that cannot be saved costs only the next start's time. Whether the notes
 * changed is told by their stamps when they allow it, else by their bytes.
 */
export function openLibraryCached(dir: string, dataDir: string, log?: Pick<Logger, 'debug' | 'warn'>): Result<Library> {
  const file = libraryCacheFile(dir, dataDir);
  const current = currentKey(dir, stampFileOf(file));
  // A folder that cannot be read has nothing to cache; openLibrary says what is wrong with it.
  if (current === undefined) return openLibrary(dir);
  const { key, by, record, unchanged } = current;
  // Best effort: without the record the next start reads the notes' bytes again, and answers the same.
  const remember = () => record && writePrivateFileAtomically(stampFileOf(file), Buffer.from(JSON.stringify(record)));
  const saved = loadSaved(dir, file, key);
  if (saved.ok) {
    log?.debug({ file, checkedBy: by }, 'saved index loaded');
    remember();
    return saved;
  }
  log?.debug({ file, reason: saved.error }, 'saved index not used; building it');
  const built = openLibrary(dir);
  // Notes edited while they were being read would be saved under the key of their earlier text.
  if (built.ok && unchanged()) {
    const written = save(built.value, file, key);
    if (!written.ok) log?.warn({ file }, `${written.error}; answers are unaffected, but the next start will index the notes again`);
    else remember();
  }
  return built;
}
