import { describe, expect, it } from 'vitest';
import { parseNote } from '../../src/knowledge/load.js';

const note = (front: string, body = '## Pods\n\nA Pod runs [containers](../containers/) on a node.') => `---\n${front}\n---\n${body}`;

/** The note read from `front`, and its problems as `line: message`. */
function read(front: string, body?: string) {
  const { note: n, problems } = parseNote('en/pods.md', note(front, body));
  expect(problems.every((p) => p.file === 'en/pods.md' && p.severity === 'warning')).toBe(true);
  return { note: n!, problems: problems.map((p) => `${p.line}: ${p.message}`) };
}

describe('front matter: each field checked on its own', () => {
  it('drops a title that is not text, and titles the note from its heading instead', () => {
    const { note: n, problems } = read('title: 123\ntags: [k8s]', '# Pods in depth\n\nA Pod runs containers.');
    expect(n).toMatchObject({ title: 'Pods in depth', tags: ['k8s'] });
    expect(problems).toEqual(['2: front matter field "title" must be text, like title: "Deployments and rollouts" (quote a title that is a number); it was ignored']);
  });

  it('drops a title longer than a heading may be', () => {
    const { note: n, problems } = read(`title: ${'t'.repeat(201)}`);
    expect(n.title).toBe('pods');
    expect(problems).toEqual(['2: front matter field "title" must be at most 200 characters; it was ignored']);
  });

  it('drops a language other than zh or en and takes it from the folder; reads zh-CN as zh', () => {
    const fr = read('title: T\nlang: fr');
    expect(fr.note.lang).toBe('en');
    expect(fr.problems).toEqual(['3: front matter field "lang" must be zh or en (zh-CN, en-US and the like also do); it was ignored']);
    const zh = parseNote('notes/pods.md', note('title: T\nlang: zh-CN'));
    expect(zh.note!.lang).toBe('zh');
    expect(zh.problems).toEqual([]);
  });

  it('drops a date that is not one, and keeps a good one as written', () => {
    for (const date of ['yesterday', '2024-13-45', '2024-02-30', '2024']) {
      const { note: n, problems } = read(`title: T\ndate: ${date}`);
      expect(n.date).toBeUndefined();
      expect(problems).toEqual(['3: front matter field "date" must be a date, like 2026-11-24 or 2026-11-24T10:00:00+08:00; it was ignored']);
    }
    expect(read('title: T\ndate: 2026-11-24T10:00:00+08:00').note.date).toBe('2026-11-24T10:00:00+08:00');
    expect(read('title: T\ndate: 2026-11-24').note.date).toBe('2026-11-24');
  });

  it('drops tags that are not a list of words, and reads one word as one tag', () => {
    for (const tags of ['[1, 2]', '[k8s, {a: b}]', '{a: b}', '[[k8s]]']) {
      const { note: n, problems } = read(`title: T\ntags: ${tags}`);
      expect(n.tags).toEqual([]);
      expect(problems).toEqual(['3: front matter field "tags" must be a list of words, like tags: ["k8s", "deployment"] (quote a tag that is a number); it was ignored']);
    }
    expect(read('title: T\ntags: k8s').note.tags).toEqual(['k8s']);
    expect(read('title: T\ntags:').note.tags).toEqual([]);
  });

  it('drops a url that is not http(s): a javascript: link is never sent out, and relative links lose their target', () => {
    for (const url of ['javascript:alert(1)', 'ftp://example.com/pods', 'data:text/html,hi', 'not a url']) {
      const { note: n, problems } = read(`title: T\nurl: "${url}"`);
      expect(n.url).toBeUndefined();
      expect(n.sections[0]!.passages[0]).toMatchObject({ text: 'A Pod runs containers on a node.' });
      expect(problems).toEqual(['3: front matter field "url" must be a web address starting with http:// or https://; it was ignored']);
    }
    const good = read('title: T\nurl: https://notes.example.com/k8s/pods/');
    expect(good.note.url).toBe('https://notes.example.com/k8s/pods/');
    expect(good.note.sections[0]!.passages[0]).toMatchObject({ text: 'A Pod runs [containers](https://notes.example.com/k8s/containers/) on a node.' });
  });

  it('reads a draft flag written the YAML 1.1 way, and loads a note whose flag is not one', () => {
    expect(parseNote('a.md', note('title: T\ndraft: yes'))).toEqual({ problems: [] });
    expect(parseNote('a.md', note('title: T\ndraft: "true"'))).toEqual({ problems: [] });
    const maybe = read('title: T\ndraft: maybe');
    expect(maybe.note.title).toBe('T');
    expect(maybe.problems).toEqual(['3: front matter field "draft" must be true or false; it was ignored']);
  });

  it('reports each bad field by its own line and keeps the good ones', () => {
    const { note: n, problems } = read('title: Kept\nlang: fr\ndate: soon\ntags: 7\nurl: javascript:alert(1)\nauthor: someone');
    expect(n).toMatchObject({ title: 'Kept', lang: 'en', tags: [] });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['3', '4', '5', '6']);
  });

  it('ignores front matter that is not fields, and still loads the note', () => {
    const { note: n, problems } = read('- a\n- b');
    expect(n.title).toBe('pods');
    expect(problems).toEqual(['2: front matter must be fields, like title: ...; it was ignored']);
  });

  it('skips a note whose front matter is longer than the cap, without reading it as YAML', () => {
    const { note: n, problems } = parseNote('a.md', note(`title: T\ndescription: ${'d'.repeat(9000)}`));
    expect(n).toBeUndefined();
    expect(problems).toEqual([{ file: 'a.md', line: 1, severity: 'error', message: 'front matter is 9022 characters long, over the 8192 it may have' }]);
  });

  it('skips a note whose YAML aliases point nowhere or would fill memory', () => {
    const unresolved = parseNote('a.md', note('title: *nowhere'));
    expect(unresolved).toEqual({ problems: [{ file: 'a.md', line: 1, severity: 'error', message: 'invalid YAML in front matter: Unresolved alias (the anchor must be set before the alias)' }] });
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefg'[i]}`).join(', ')}]`)].join('\n');
    const bomb = parseNote('a.md', note(laughs));
    expect(bomb.note).toBeUndefined();
    expect(bomb.problems[0]).toMatchObject({ line: 1, severity: 'error', message: expect.stringMatching(/^invalid YAML in front matter: Excessive alias count/) });
  });
});
