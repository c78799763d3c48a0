import { describe, expect, it, vi } from 'vitest';
import { fileStamps, openLibraryCached } from '../../src/library-cache.js';
import { tempFolder } from '../helpers.js';

// The real cap is 10,000 notes: the same rule, tried on a few hundred (the bot's own code is walked too, so not fewer).
vi.mock('../../src/knowledge/limits.js', async (importOriginal) => {
  const { LIMITS } = await importOriginal<typeof import('../../src/knowledge/limits.js')>();
  return { LIMITS: { ...LIMITS, notesPerFolder: 300 } };
});

const notes = (count: number) => tempFolder(Object.fromEntries(Array.from({ length: count }, (_, i) => [`n${i}.md`, `# Note ${i}\n\nPods run containers, says note ${i}.\n`])));

/** How the second of two opens told that the notes were unchanged. */
function checkedBy(dir: string, dataDir: string): string | undefined {
  let by: string | undefined;
  const log = { debug: (fields: { checkedBy?: string }) => (by = fields.checkedBy ?? by), warn: () => {} };
  for (let i = 0; i < 2; i++) {
    by = undefined;
    if (!openLibraryCached(dir, dataDir, log as never).ok) throw new Error(`cannot open ${dir}`);
  }
  return by;
}

describe('stamps of a folder cut at a cap', () => {
  it('are complete within the caps, and not past one', () => {
    expect(fileStamps(notes(3)).complete).toBe(true);
    expect(fileStamps(notes(301)).complete).toBe(false);
  });

  it('are never trusted past a cap: stamps are taken in listing order, which may stop at other files than the loaders', async () => {
    const within = notes(300);
    const past = notes(301);
    // Stamps of files changed within two seconds of being taken are never trusted in any case.
    await new Promise((done) => setTimeout(done, 2100));
    expect(checkedBy(within, tempFolder({}))).toBe('stamps');
    expect(checkedBy(past, tempFolder({}))).toBe('contents');
  });
});
