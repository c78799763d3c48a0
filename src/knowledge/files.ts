import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Files under `dir` whose name matches `pattern`, recursively and in a stable order, so that every load of
 * the same folder numbers passages, commands and tips the same way. Hidden entries and node_modules are skipped.
 */
export function listFiles(dir: string, pattern: RegExp): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(folder, entry.name);
      const isDir = entry.isDirectory() || (entry.isSymbolicLink() && statSync(path).isDirectory());
      if (isDir) walk(path);
      else if (pattern.test(entry.name)) files.push(path);
    }
  };
  walk(dir);
  return files;
}
