import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Walks up from this module to the folder holding package.json, so the same code works from `src/` under
 * vitest and from `dist/src/` once built. */
function findPackageRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** The notes, command catalog and tips that ship with the bot. */
export const shippedKnowledgeDir = join(packageRoot, 'knowledge');

/** The shipped command catalog, used whenever a knowledge folder brings none of its own. */
export const shippedCatalogDir = join(shippedKnowledgeDir, 'commands');

/** The shipped tips of the day. */
export const shippedTipsDir = join(shippedKnowledgeDir, 'tips');

/** The shipped zh<->en glossary; a knowledge folder's own `glossary/` adds to it rather than replacing it. */
export const shippedGlossaryDir = join(shippedKnowledgeDir, 'glossary');
