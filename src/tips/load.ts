import { describeIssue, readYamlFolder } from '../knowledge/yaml-items.js';
import type { Problem } from '../problem.js';
import { TipSchema, type Tip } from './tip.js';

export interface Tips {
  tips: Tip[];
  problems: Problem[];
}

/**
 * Loads every `*.yaml` file under `dir` holding a `tips:` list. A bad tip is reported with its file and line
 * and skipped; a duplicate id keeps the first. A missing folder means no tips, which turns the feature off.
 */
export function loadTips(dir: string): Tips {
  const result: Tips = { tips: [], problems: [] };
  const seen = new Map<string, string>();
  for (const list of readYamlFolder(dir, 'tips')) {
    const { file } = list;
    result.problems.push(...list.problems);
    for (const item of list.items) {
      const parsed = TipSchema.safeParse(item.value);
      if (!parsed.success) {
        const id = (item.value as { id?: unknown } | null)?.id;
        result.problems.push({ file, line: item.line, severity: 'error', message: `${typeof id === 'string' ? `tip "${id}"` : 'tip'}: ${describeIssue(parsed.error)}` });
        continue;
      }
      const first = seen.get(parsed.data.id);
      if (first) {
        result.problems.push({ file, line: item.line, severity: 'error', message: `tip id "${parsed.data.id}" is already used at ${first}` });
        continue;
      }
      seen.set(parsed.data.id, `${file}:${item.line}`);
      result.tips.push(parsed.data);
    }
  }
  return result;
}
