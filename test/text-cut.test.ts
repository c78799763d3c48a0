import { describe, expect, it } from 'vitest';
import { splitText, truncate } from '../src/text-cut.js';

const halfPair = /[\ud800-\udbff]$|^[\udc00-\udfff]/;

describe('truncate', () => {
  it('keeps text within the limit and marks the cut', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('0123456789', 5)).toBe('0123…');
  });

  it('never ends in half of an emoji or a CJK character outside the BMP', () => {
    for (const unit of ['😀', '𠀀']) {
      for (let max = 2; max <= 12; max++) {
        const cut = truncate(`a${unit.repeat(8)}`, max);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(cut.slice(0, -1)).not.toMatch(halfPair);
        expect(cut.endsWith('…')).toBe(true);
      }
    }
  });
});

describe('splitText', () => {
  it('cuts at line breaks, then at a space, then at the limit', () => {
    expect(splitText('aaa\nbbb\nccc', 7)).toEqual(['aaa\nbbb', 'ccc']);
    expect(splitText('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(splitText('x'.repeat(10), 4)).toEqual(['xxxx', 'xxxx', 'xx']);
  });

  it('keeps the indentation after a line break and drops pieces of only whitespace', () => {
    expect(splitText('spec:\n  replicas: 3\n  selector: {}', 20)).toEqual(['spec:\n  replicas: 3', '  selector: {}']);
    expect(splitText(`${'a'.repeat(6)}\n\n\n\n\n\n\n${'b'.repeat(6)}`, 6)).toEqual(['aaaaaa', 'bbbbbb']);
  });

  it('loses only the whitespace at a cut', () => {
    const text = `${'word '.repeat(30)}\n${'x'.repeat(70)}`;
    const parts = splitText(text, 60);
    expect(parts.every((p) => p.length <= 60)).toBe(true);
    expect(parts.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
    expect(parts[0]!.endsWith('word')).toBe(true);
  });

  it('never splits a surrogate pair, whatever the limit', () => {
    for (const text of ['😀'.repeat(10), `x${'😀'.repeat(10)}`, `滚动更新${'𠀀'.repeat(9)}回滚`]) {
      for (let max = 2; max <= 9; max++) {
        const parts = splitText(text, max);
        expect(parts.join('')).toBe(text);
        for (const part of parts) {
          expect(part.length).toBeLessThanOrEqual(max);
          expect(part).not.toMatch(halfPair);
        }
      }
    }
  });
});
