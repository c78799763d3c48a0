import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readTextFile } from '../knowledge/text-file.js';
import { describeIssue, readYamlFolder } from '../knowledge/yaml-items.js';
import type { Problem } from '../problem.js';
import { CatalogFileSchema, CommandSchema, FlagListsSchema, GlobalFlagsSchema, type Command, type Flag, type FlagLists, type Tool } from './catalog.js';

export interface Catalog {
  commands: Command[];
  /** Options every command of the tool accepts, so a pasted `-n prod` is explained rather than flagged. */
  globalFlags: Record<Tool, Flag[]>;
  /** Every real flag per command, when `flags.json` is present; without it no flag is called unknown. */
  flagLists?: FlagLists;
  problems: Problem[];
}

const FLAG_LISTS_FILE = 'flags.json';

function readFlagLists(dir: string, catalog: Catalog): void {
  const path = join(dir, FLAG_LISTS_FILE);
  if (!existsSync(path)) return;
  const source = readTextFile(path);
  if (!source.ok) {
    catalog.problems.push({ file: FLAG_LISTS_FILE, severity: 'error', ...source.error });
    return;
  }
  let json: unknown;
  try {
    json = JSON.parse(source.value);
  } catch (error) {
    catalog.problems.push({ file: FLAG_LISTS_FILE, line: 1, severity: 'error', message: `invalid JSON: ${(error as Error).message}` });
    return;
  }
  const parsed = FlagListsSchema.safeParse(json);
  if (parsed.success) catalog.flagLists = parsed.data;
  else catalog.problems.push({ file: FLAG_LISTS_FILE, line: 1, severity: 'error', message: describeIssue(parsed.error) });
}

/**
 * Loads every `*.yaml` catalog file under `dir`. A bad entry is reported with its file and line and skipped;
 * the other entries still load. A missing folder is an empty catalog: command lookup is optional.
 */
export function loadCatalog(dir: string): Catalog {
  const catalog: Catalog = { commands: [], globalFlags: { kubectl: [], docker: [] }, problems: [] };
  if (!existsSync(dir)) return catalog;
  const seen = new Map<string, string>();
  for (const list of readYamlFolder(dir, 'commands')) {
    const { file } = list;
    catalog.problems.push(...list.problems);
    if (!list.top) continue;
    const header = CatalogFileSchema.safeParse({ ...list.top, commands: [] });
    if (!header.success) {
      catalog.problems.push({ file, line: 1, severity: 'error', message: describeIssue(header.error) });
      continue;
    }
    const tool = header.data.tool;
    if (list.top.globalFlags !== undefined) {
      const flags = GlobalFlagsSchema.safeParse(list.top.globalFlags);
      if (flags.success) catalog.globalFlags[tool].push(...flags.data);
      else catalog.problems.push({ file, line: 1, severity: 'error', message: `globalFlags.${describeIssue(flags.error)}` });
    }
    for (const item of list.items) {
      const parsed = CommandSchema.safeParse(item.value);
      const name = typeof (item.value as { path?: unknown })?.path === 'string' ? `"${tool} ${(item.value as { path: string }).path}"` : 'entry';
      if (!parsed.success) {
        catalog.problems.push({ file, line: item.line, severity: 'error', message: `${name}: ${describeIssue(parsed.error)}` });
        continue;
      }
      const key = `${tool} ${parsed.data.path}`;
      const first = seen.get(key);
      if (first) {
        catalog.problems.push({ file, line: item.line, severity: 'error', message: `"${key}" is already defined at ${first}` });
        continue;
      }
      seen.set(key, `${file}:${item.line}`);
      catalog.commands.push({ ...parsed.data, tool });
    }
  }
  readFlagLists(dir, catalog);
  return catalog;
}
