import { describe, expect, it } from 'vitest';
import { shippedTipsDir } from '../../src/paths.js';
import { loadTips } from '../../src/tips/load.js';

describe('the shipped tips', () => {
  const { tips, problems } = loadTips(shippedTipsDir);

  it('load without problems', () => {
    expect(problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual([]);
  });

  it('are at least 60, each with its own wording in both languages', () => {
    expect(tips.length).toBeGreaterThanOrEqual(60);
    expect(new Set(tips.map((t) => t.zh)).size).toBe(tips.length);
    expect(new Set(tips.map((t) => t.en)).size).toBe(tips.length);
  });
});
