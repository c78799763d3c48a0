import { describe, expect, it, vi } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { tempFolder } from '../helpers.js';

// The real caps are thousands of files: the same rules, tried on a few.
vi.mock('../../src/knowledge/limits.js', async (importOriginal) => {
  const { LIMITS } = await importOriginal<typeof import('../../src/knowledge/limits.js')>();
  return { LIMITS: { ...LIMITS, notesPerFolder: 3, entriesPerFolder: 8 } };
});

const note = (title: string) => `---\ntitle: ${title}\n---\n\nPods run containers; ${title} says so.\n`;

describe('loadKnowledge: caps on the folder', () => {
  it('reads the first notes of a folder with too many and names the first it left out', () => {
    const dir = tempFolder({ 'a.md': note('A'), 'b.md': note('B'), 'c/d.md': note('D'), 'e.md': note('E'), 'f.md': note('F') });
    const result = loadKnowledge(dir);
    expect(result.ok && result.value.notes.map((n) => n.path)).toEqual(['a.md', 'b.md', 'c/d.md']);
    expect(result.ok && result.value.problems).toEqual([
      { file: 'e.md', line: 1, severity: 'error', message: 'the folder holds more than 3 notes; this one and those after it were not read' },
    ]);
  });

  it('stops walking a folder with too many entries of any kind, so a huge tree still ends', () => {
    const files = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`img/${i}.png`, '']));
    const dir = tempFolder({ 'a.md': note('A'), ...files, 'z.md': note('Z') });
    const result = loadKnowledge(dir);
    expect(result.ok && result.value.notes.map((n) => n.path)).toEqual(['a.md']);
    expect(result.ok && result.value.problems).toEqual([
      // Past the cap, which entries were read is up to the file system.
      { file: expect.stringMatching(/^img\/\d\.png$/), line: 1, severity: 'error', message: 'the folder holds more than 8 entries; this one and those after it were not read' },
    ]);
  });
});
