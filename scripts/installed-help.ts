import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Tool } from '../src/commands/catalog.js';

const run = promisify(execFile);

/** What an installed binary's `--help` says about one command path. */
export interface HelpPage {
  usage: string;
  /** Long flags mapped to their one-letter form, or '' when there is none. */
  flags: Map<string, string>;
  subcommands: string[];
}

const FLAG_LINE: Record<Tool, RegExp> = {
  kubectl: /^\s+(?:-([A-Za-z0-9]), )?--([a-z0-9][a-z0-9-]*)=/,
  docker: /^\s+(?:-([A-Za-z0-9]), )?--([a-z0-9][a-z0-9-]*)(?:\s|$)/,
};

/** Whether `tool` can be run here; the cross-check says so plainly when it cannot. */
export async function isInstalled(tool: Tool): Promise<boolean> {
  try {
    await run(tool, tool === 'kubectl' ? ['version', '--client'] : ['--version']);
    return true;
  } catch {
    return false;
  }
}

async function helpText(tool: Tool, args: string[]): Promise<string | undefined> {
  try {
    return (await run(tool, args, { env: { ...process.env, KUBECONFIG: '/dev/null' } })).stdout;
  } catch {
    return undefined;
  }
}

/** Reads `tool <path> --help`; undefined when the binary does not know the path. */
export async function readHelp(tool: Tool, path: string): Promise<HelpPage | undefined> {
  const text = await helpText(tool, [...(path ? path.split(' ') : []), '--help']);
  return text === undefined ? undefined : parseHelp(tool, path, text);
}

/** The options every command accepts: `kubectl options`, or the top of `docker --help`. */
export async function readGlobalHelp(tool: Tool): Promise<HelpPage | undefined> {
  const text = await helpText(tool, tool === 'kubectl' ? ['options'] : ['--help']);
  return text === undefined ? undefined : parseHelp(tool, '', text);
}

function parseHelp(tool: Tool, path: string, text: string): HelpPage | undefined {
  const lines = text.split('\n');
  const usageAt = lines.findIndex((l) => /^Usage:/.test(l));
  const usage = (tool === 'kubectl' ? lines[usageAt + 1] : lines[usageAt]?.replace(/^Usage:/, ''))?.trim() ?? '';
  // docker answers `docker nosuch --help` with its top-level page; a real path's usage names it.
  if (tool === 'docker' && path && !usage.startsWith(`docker ${path}`)) return undefined;
  const flags = new Map<string, string>();
  const subcommands: string[] = [];
  let inCommands = false;
  for (const line of lines) {
    const flag = FLAG_LINE[tool].exec(line);
    if (flag) flags.set(`--${flag[2]}`, flag[1] ? `-${flag[1]}` : '');
    if (/^[A-Za-z].*Commands.*:$/.test(line)) inCommands = true;
    else if (/^\S/.test(line)) inCommands = false;
    else if (inCommands && /^ {2}[a-z]/.test(line)) subcommands.push(line.trim().split(/\s+/)[0]!);
  }
  return { usage, flags, subcommands: subcommands.filter((s) => s !== 'help') };
}

/** Every command path the installed kubectl lists, found by walking `--help` from the top. */
export async function kubectlPaths(): Promise<string[]> {
  const paths: string[] = [];
  const walk = async (path: string): Promise<void> => {
    const page = await readHelp('kubectl', path);
    if (!page) return;
    if (path) paths.push(path);
    await Promise.all(page.subcommands.map((sub) => walk(path ? `${path} ${sub}` : sub)));
  };
  await walk('');
  return paths.sort();
}
