import { describe, expect, it } from 'vitest';
import { EVERYDAY_WORDS, GLOSSARY } from '../../src/search/glossary.js';
import { tokenizeQuery } from '../../src/search/tokenize.js';

const phrases = [...GLOSSARY, ...EVERYDAY_WORDS].flat();

describe('glossary', () => {
  it('has no phrase that stop words shrink to a single other word', () => {
    // "set up" would be read as "set", "per container" as "container", and pull the group into every
    // question that uses the word.
    const shrunk = phrases.filter((p) => /^[\x00-\x7f]+$/.test(p) && p.split(/\s+/).length > 1 && tokenizeQuery(p).length === 1);
    expect(shrunk).toEqual([]);
  });

  it('has no phrase that is only stop words', () => {
    expect(phrases.filter((p) => tokenizeQuery(p).length === 0)).toEqual([]);
  });

  it('is written in lower case, one phrase once per group', () => {
    for (const group of [...GLOSSARY, ...EVERYDAY_WORDS]) {
      expect(group.filter((p) => p !== p.toLowerCase())).toEqual([]);
      expect(new Set(group).size).toBe(group.length);
    }
  });
});
