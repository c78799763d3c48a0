import { existsSync } from 'node:fs';
import type { Node } from 'yaml';
import type { z } from 'zod';
import type { Problem } from '../problem.js';
import { walkFolder } from './files.js';
import { readTextFile } from './text-file.js';
import { yaml } from './yaml.js';

/** One item of a YAML list, with the line it starts on so problems can point at it. */
export interface YamlItem {
  value: unknown;
  line: number;
}

/** A YAML file's top-level map and the items of one list inside it, or the problem that stopped the read. */
export interface YamlList {
  top?: Record<string, unknown>;
  items: YamlItem[];
  problems: Problem[];
}

/**
 * Reads a YAML data file whose `listKey` holds a list of entries. Each entry is returned with its line so the
 * caller can validate entries one by one and skip only the bad ones.
 */
export function readYamlList(file: string, source: string, listKey: string): YamlList {
  const { isMap, isSeq, LineCounter, parseDocument } = yaml();
  const counter = new LineCounter();
  const doc = parseDocument(source, { lineCounter: counter });
  const lineOf = (node: Node | null | undefined) => (node?.range ? counter.linePos(node.range[0]).line : 1);
  const yamlError = doc.errors[0];
  if (yamlError) {
    const reason = yamlError.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    return { items: [], problems: [{ file, line: yamlError.linePos?.[0].line ?? 1, severity: 'error', message: `invalid YAML: ${reason}` }] };
  }
  if (!isMap(doc.contents)) {
    return { items: [], problems: [{ file, line: 1, severity: 'error', message: `expected a map with a "${listKey}" list` }] };
  }
  const list = doc.contents.get(listKey, true);
  const top = doc.toJS() as Record<string, unknown>;
  if (list === undefined) return { top, items: [], problems: [] };
  if (!isSeq(list)) {
    return { top, items: [], problems: [{ file, line: lineOf(list as Node), severity: 'error', message: `"${listKey}" must be a list` }] };
  }
  const values = top[listKey] as unknown[];
  return { top, items: list.items.map((node, i) => ({ value: values[i], line: lineOf(node as Node) })), problems: [] };
}

/**
 * Every `*.yaml` file under `dir` (none when it is missing) read as a `listKey` list, named relative to `dir`.
 * Problems reading a file are listed with it, and entries of the folder that were skipped (a broken symlink,
 * a pipe, a file too big or not UTF-8) with their own names; the caller validates the items.
 */
export function readYamlFolder(dir: string, listKey: string): (YamlList & { file: string })[] {
  if (!existsSync(dir)) return [];
  const listing = walkFolder(dir, /\.ya?ml$/i);
  if (!listing.ok) return [{ file: '.', items: [], problems: [{ file: '.', line: 1, severity: 'error', message: `folder ${listing.error}` }] }];
  const skipped = listing.value.problems.map((problem) => ({ file: problem.file, items: [], problems: [problem] }));
  return [
    ...skipped,
    ...listing.value.files.map(({ name, real }) => {
      const source = readTextFile(real);
      if (!source.ok) return { file: name, items: [], problems: [{ file: name, severity: 'error' as const, ...source.error }] };
      return { file: name, ...readYamlList(name, source.value, listKey) };
    }),
  ];
}

/** The first zod issue as a sentence naming the field, e.g. `summary.zh: must be written in Chinese`. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const where = issue.path.join('.');
  return where ? `${where}: ${issue.message}` : issue.message;
}
