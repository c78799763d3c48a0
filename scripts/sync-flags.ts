/**
 * Writes knowledge/commands/flags.json: every flag each catalog command accepts, read from the installed
 * kubectl and docker. The catalog describes only the flags that matter; this list lets a pasted command line
 * be checked for flags that do not exist. Run it after upgrading kubectl or docker: `npm run sync-flags`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlagLists } from '../src/commands/catalog.js';
import { loadCatalog } from '../src/commands/load.js';
import { shippedCatalogDir } from '../src/paths.js';
import { readGlobalHelp, readHelp, type HelpPage } from './installed-help.js';

const pairs = (page: HelpPage) => [...page.flags].map(([long, short]) => (short ? [long, short] : [long])).sort((a, b) => a[0]!.localeCompare(b[0]!));

const catalog = loadCatalog(shippedCatalogDir);
const lists: FlagLists = { kubectl: { global: [], commands: {} }, docker: { global: [], commands: {} } };
for (const tool of ['kubectl', 'docker'] as const) {
  const global = await readGlobalHelp(tool);
  if (!global) throw new Error(`${tool} is not installed here; cannot read its flags.`);
  lists[tool].global = pairs(global) as FlagLists['kubectl']['global'];
  for (const command of catalog.commands.filter((c) => c.tool === tool)) {
    const page = await readHelp(tool, command.path);
    if (page) lists[tool].commands[command.path] = pairs(page) as FlagLists['kubectl']['global'];
  }
}
const file = join(shippedCatalogDir, 'flags.json');
// One command per line keeps the file short and its diffs readable after an upgrade.
const json = JSON.stringify(lists, null, 1).replace(/\[\s+("[^"]+")(?:,\s+("[^"]+"))?\s+\]/g, (_, a: string, b?: string) => `[${a}${b ? `, ${b}` : ''}]`);
writeFileSync(file, `${json.replace(/\[\s+(\[[^\n]*?\])(,\s+\[[^\n]*?\])*\s*\]/g, (m) => m.replace(/\s+/g, ' '))}\n`);
console.log(`wrote ${file}: ${Object.keys(lists.kubectl.commands).length} kubectl and ${Object.keys(lists.docker.commands).length} docker commands`);
