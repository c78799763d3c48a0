import { opendirSync, readlinkSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { Problem } from '../problem.js';
import { fail, ok, type Result } from '../result.js';
import { LIMITS } from './limits.js';

export interface FoundFile {
  /** The file's path relative to the folder walked, with forward slashes: its name in messages and citations. */
  name: string;
  /** The file itself, every symlink on the way resolved: what gets opened. */
  real: string;
}

export interface Listing {
  files: FoundFile[];
  /** Entries that were skipped (broken or outward symlinks, unreadable folders, pipes...), each with why. */
  problems: Problem[];
  /** The walk stopped at a cap on entries or notes: which files it saw before then depends on its order. */
  cut: boolean;
}

const describe = (error: unknown) => (error as Error).message;

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * How a walk lists each folder's entries: `sorted` by name, so that every load numbers what it reads the same
 * way; or as the file system `listed` them, which is the same while the folder is and needs no collation (the
 * first comparison of names in a process costs about 10 ms), for walks that only tell whether anything changed.
 */
export type WalkOrder = 'sorted' | 'listed';

/**
 * At most `max` entries of a folder: a folder of a million files is not read whole into memory. (Which
 * entries a folder with more gives is up to the file system; walking stops there anyway.)
 */
function readFolder(folder: string, max: number, order: WalkOrder): Dirent[] {
  const dir = opendirSync(folder);
  try {
    const entries: Dirent[] = [];
    for (let entry = dir.readSync(); entry && entries.length < max; entry = dir.readSync()) entries.push(entry);
    return order === 'sorted' ? entries.sort((a, b) => a.name.localeCompare(b.name)) : entries;
  } finally {
    dir.closeSync();
  }
}

/**
 * Files under `root` whose name matches `pattern`, recursively and (`sorted` unless told otherwise) in a stable
 * order, so that every load of the same folder numbers passages, commands and tips the same way. Hidden entries and node_modules are
 * skipped. Symlinks are followed only to files and folders inside `root`, and never back into a folder they
 * are in; only regular files are listed, so nothing that blocks or never ends (a FIFO, /dev/zero) is opened.
 * Everything skipped for a reason is in `problems`; only a `root` that cannot be walked at all is a failure,
 * given as the words that finish "Folder <root> ...".
 */
export function walkFolder(root: string, pattern: RegExp, order: WalkOrder = 'sorted'): Result<Listing> {
  let rootReal: string;
  let rootStats: Stats;
  try {
    rootReal = realpathSync(root);
    rootStats = statSync(rootReal);
  } catch (error) {
    return fail((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${describe(error)})`);
  }
  if (!rootStats.isDirectory()) return fail('is not a folder');

  const files: FoundFile[] = [];
  const problems: Problem[] = [];
  const nameOf = (path: string) => relative(root, path).split(sep).join('/');
  const skip = (path: string, message: string) => problems.push({ file: nameOf(path), line: 1, severity: 'error', message });
  const withinRoot = (real: string) => {
    const rel = relative(rootReal, real);
    return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
  };
  const shown = (real: string) => relative(rootReal, real).split(sep).join('/') || '.';
  // Folders on the way down, by device and inode: a link back to one of them would be walked forever.
  const ancestors = new Set<string>();
  const idOf = (stats: Stats) => `${stats.dev}:${stats.ino}`;
  let entriesLeft = LIMITS.entriesPerFolder;
  let stopped = false;

  const follow = (path: string): { real: string; stats: Stats } | string => {
    let real: string;
    try {
      real = realpathSync(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return `symlink to ${readlinkSync(path)}, which does not exist`;
      if (code === 'ELOOP') return 'symlink that leads back to itself (a loop)';
      return `symlink that cannot be followed (${describe(error)})`;
    }
    if (!withinRoot(real)) return `symlink to ${real}, outside the knowledge folder: only links within it are followed`;
    try {
      return { real, stats: statSync(real) };
    } catch (error) {
      return `symlink that cannot be followed (${describe(error)})`;
    }
  };

  const walk = (folder: string, real: string, stats: Stats, entries: Dirent[]) => {
    ancestors.add(idOf(stats));
    for (const entry of entries) {
      if (stopped) break;
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(folder, entry.name);
      if (entriesLeft-- === 0) {
        stopped = true;
        skip(path, `the folder holds more than ${LIMITS.entriesPerFolder} entries; this one and those after it were not read`);
        break;
      }
      if (!entry.isSymbolicLink() && !entry.isDirectory() && !pattern.test(entry.name)) continue;
      let target: { real: string; stats: Stats } | string;
      if (entry.isSymbolicLink()) target = follow(path);
      else {
        const entryReal = join(real, entry.name);
        try {
          target = { real: entryReal, stats: statSync(entryReal) };
        } catch (error) {
          target = `cannot be read (${describe(error)})`;
        }
      }
      if (typeof target === 'string') {
        skip(path, target);
      } else if (target.stats.isDirectory()) {
        if (ancestors.has(idOf(target.stats))) {
          skip(path, `symlink to ${shown(target.real)}, a folder it is in: following it would go round in circles`);
          continue;
        }
        let inner: Dirent[];
        try {
          inner = readFolder(path, entriesLeft + 1, order);
        } catch (error) {
          skip(path, `folder cannot be read (${describe(error)})`);
          continue;
        }
        walk(path, target.real, target.stats, inner);
      } else if (pattern.test(entry.name)) {
        if (!target.stats.isFile()) skip(path, `is ${kindOf(target.stats)}, not a regular file`);
        else if (files.length === LIMITS.notesPerFolder) {
          stopped = true;
          skip(path, `the folder holds more than ${LIMITS.notesPerFolder} notes; this one and those after it were not read`);
        } else files.push({ name: nameOf(path), real: target.real });
      }
    }
    ancestors.delete(idOf(stats));
  };

  let entries: Dirent[];
  try {
    entries = readFolder(rootReal, entriesLeft + 1, order);
  } catch (error) {
    return fail(`cannot be read (${describe(error)})`);
  }
  walk(root, rootReal, rootStats, entries);
  return ok({ files, problems, cut: stopped });
}

/**
 * The paths (under `dir`) of the files `walkFolder` finds, for data folders whose readers report problems per
 * file. A `dir` that cannot be walked throws, as reading a folder that is not there always has.
 */
export function listFiles(dir: string, pattern: RegExp): string[] {
  const listing = walkFolder(dir, pattern);
  if (!listing.ok) throw new Error(`Folder ${dir} ${listing.error}`);
  return listing.value.files.map((f) => join(dir, f.name));
}
