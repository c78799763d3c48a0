import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ToolSchema } from '../../src/commands/catalog.js';
import { shippedLibrary } from '../helpers.js';

const QuerySchema = z.object({ id: z.string(), tool: ToolSchema, q: z.string(), expect: z.string().nullable() });
const queries = readFileSync(join(import.meta.dirname, 'commands.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => QuerySchema.parse(JSON.parse(line)));

describe('command lookup eval (test/eval/commands.jsonl)', () => {
  const { commands, catalog } = shippedLibrary();

  it('puts the expected command first for at least 95% of queries, and declines the ones nothing fits', () => {
    const misses: string[] = [];
    for (const q of queries) {
      const lookup = commands.lookup(q.tool, q.q);
      const first = lookup.matches[0]?.command.path ?? null;
      if (first !== q.expect) misses.push(`${q.id} "${q.q}": got ${first ?? 'nothing'}, want ${q.expect ?? 'nothing'}`);
    }
    const accuracy = 1 - misses.length / queries.length;
    console.log(`command lookup: ${(accuracy * 100).toFixed(1)}% top-1 over ${queries.length} queries${misses.length ? `\n  ${misses.join('\n  ')}` : ''}`);
    expect(queries.length).toBeGreaterThanOrEqual(80);
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('finds every catalog command first by its own path', () => {
    const wrong = catalog.commands
      .filter((c) => commands.lookup(c.tool, c.path).matches[0]?.command !== c)
      .map((c) => `${c.tool} ${c.path}`);
    expect(wrong).toEqual([]);
  });
});
