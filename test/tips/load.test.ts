import { describe, expect, it } from 'vitest';
import { shippedTipsDir } from '../../src/paths.js';
import { loadTips } from '../../src/tips/load.js';
import { tempFolder } from '../helpers.js';

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

describe('loading tips', () => {
  it('reports a bad tip with its file and line and loads the rest', () => {
    const dir = tempFolder({
      'a.yaml': [
        'tips:',
        '  - id: good-one',
        '    zh: 先看 rollout history 再回滚。',
        '    en: Look at the rollout history before rolling back.',
        '    try: kubectl rollout history deployment/<name>',
        '    see: ["kubectl rollout history"]',
        '  - id: Bad Id',
        '    zh: 中文',
        '    en: English',
        '    try: x',
        '    see: ["kubectl get"]',
        '  - id: no-chinese',
        '    zh: only English here',
        '    en: English',
        '    try: x',
        '    see: ["kubectl get"]',
      ].join('\n'),
      'b.yaml': 'tips: [\n',
    });
    const { tips, problems } = loadTips(dir);
    expect(tips.map((t) => t.id)).toEqual(['good-one']);
    expect(problems).toEqual([
      expect.objectContaining({ file: 'a.yaml', line: 7, message: expect.stringMatching(/^tip "Bad Id": id: must be kebab-case/) }),
      expect.objectContaining({ file: 'a.yaml', line: 12, message: 'tip "no-chinese": zh: must be written in Chinese' }),
      expect.objectContaining({ file: 'b.yaml', message: expect.stringMatching(/^invalid YAML/) }),
    ]);
  });
});
