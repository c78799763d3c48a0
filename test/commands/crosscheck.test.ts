import { beforeAll, describe, expect, it } from 'vitest';
import type { Command, Flag, Tool } from '../../src/commands/catalog.js';
import { loadCatalog, type Catalog } from '../../src/commands/load.js';
import { shippedCatalogDir } from '../../src/paths.js';
import { isInstalled, kubectlPaths, readGlobalHelp, readHelp, type HelpPage } from '../../scripts/installed-help.js';

const catalog: Catalog = loadCatalog(shippedCatalogDir);
const installed: Record<Tool, boolean> = { kubectl: await isInstalled('kubectl'), docker: await isInstalled('docker') };
for (const tool of ['kubectl', 'docker'] as const) {
  if (!installed[tool]) console.warn(`${tool} is not installed here: the catalog cannot be checked against its --help.`);
}

/** Long flags named in an example command line (`--replicas=3` gives `--replicas`). */
const exampleFlags = (run: string) => [...run.matchAll(/(?:^|\s)(--[a-z0-9][a-z0-9-]*)/g)].map((m) => m[1]!);

function checkFlag(where: string, flag: Flag, page: HelpPage): string[] {
  if (!page.flags.has(flag.flag)) return [`${where}: ${flag.flag} is not in its --help`];
  const short = page.flags.get(flag.flag);
  if (flag.short && flag.short !== short) return [`${where}: ${flag.flag} has short form "${short || 'none'}", not ${flag.short}`];
  return [];
}

function checkCommand(command: Command, page: HelpPage, global: HelpPage): string[] {
  const where = `${command.tool} ${command.path}`;
  const problems: string[] = [];
  if (command.usage !== page.usage) problems.push(`${where}: usage should be "${page.usage}", not "${command.usage}"`);
  for (const flag of command.flags) problems.push(...checkFlag(where, flag, page));
  for (const example of command.examples) {
    if (!example.run.startsWith(`${command.tool} ${command.path}`)) problems.push(`${where}: example "${example.run}" does not run this command`);
    for (const flag of exampleFlags(example.run)) {
      if (!page.flags.has(flag) && !global.flags.has(flag)) problems.push(`${where}: example uses ${flag}, which it does not have`);
    }
  }
  return problems;
}

describe.each(['kubectl', 'docker'] as const)('the %s catalog against the installed binary', (tool) => {
  const commands = catalog.commands.filter((c) => c.tool === tool);
  let global: HelpPage;
  let pages: Map<string, HelpPage | undefined>;

  beforeAll(async () => {
    if (!installed[tool]) return;
    global = (await readGlobalHelp(tool))!;
    pages = new Map(await Promise.all(commands.map(async (c) => [c.path, await readHelp(tool, c.path)] as const)));
  }, 60_000);

  it.runIf(installed[tool])('loads without problems', () => {
    expect(catalog.problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual([]);
    expect(commands.length).toBeGreaterThan(0);
  });

  it.runIf(installed[tool])('lists only paths the binary has, with their real usage, flags and example flags', () => {
    const problems = commands.flatMap((c) => {
      const page = pages.get(c.path);
      return page ? checkCommand(c, page, global) : [`${tool} ${c.path}: the installed ${tool} has no such command`];
    });
    problems.push(...catalog.globalFlags[tool].flatMap((f) => checkFlag(`${tool} global flags`, f, global)));
    expect(problems).toEqual([]);
  });

  it.runIf(installed[tool])('has every real flag of each command in flags.json (npm run sync-flags)', () => {
    const asPairs = (page: HelpPage) => Object.fromEntries(page.flags);
    const lists = catalog.flagLists?.[tool];
    expect(lists, 'knowledge/commands/flags.json is missing').toBeDefined();
    expect(Object.fromEntries(lists!.global.map(([long, short]) => [long, short ?? '']))).toEqual(asPairs(global));
    for (const command of commands) {
      const listed = lists!.commands[command.path]?.map(([long, short]) => [long, short ?? '']);
      expect(Object.fromEntries(listed ?? []), `${tool} ${command.path}`).toEqual(asPairs(pages.get(command.path)!));
    }
  });
});

it.runIf(installed.kubectl)('the kubectl catalog covers every command path the installed kubectl lists', async () => {
  const listed = new Set(catalog.commands.filter((c) => c.tool === 'kubectl').map((c) => c.path));
  const paths = await kubectlPaths();
  expect(paths.length).toBeGreaterThan(100);
  expect(paths.filter((p) => !listed.has(p))).toEqual([]);
}, 60_000);
