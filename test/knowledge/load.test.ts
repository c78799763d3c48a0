import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadKnowledge, parseNote } from '../../src/knowledge/load.js';
import { fixturesDir, tempFolder } from '../helpers.js';

const note = (front: string, body: string) => `---\n${front}\n---\n${body}`;

describe('parseNote', () => {
  it('reads Hugo front matter and infers Chinese when no lang is given', () => {
    const { note: n, problems } = parseNote('a.md', note('title: 笔记\ntags: ["k8s"]\ndate: 2023-02-10T09:30:19+08:00\ndraft: false', '## 一节\n\n容器共享宿主机的内核。'));
    expect(problems).toEqual([]);
    expect(n).toMatchObject({ title: '笔记', tags: ['k8s'], lang: 'zh', date: '2023-02-10T09:30:19+08:00' });
  });

  it('splits headings into sections with their heading path and line', () => {
    const body = '## 容器部分\n\n### 镜像原理\n\n镜像是 rootfs。\n\n## k8s集群搭建\n\n用 kubeadm。\n';
    const { note: n } = parseNote('a.md', note('title: T\nlang: zh', body));
    expect(n!.sections.map((s) => [s.headings, s.line])).toEqual([
      [['容器部分', '镜像原理'], 7],
      [['k8s集群搭建'], 11],
    ]);
    expect(n!.sections[0]!.passages[0]).toEqual({ kind: 'paragraph', line: 9, text: '镜像是 rootfs。' });
  });

  it('keeps each table row with its header, each list item and each code block with its language', () => {
    const body = [
      '## Ports',
      '',
      '| Protocol | Port |',
      '| --- | --- |',
      '| TCP | 6443 |',
      '| TCP | 10250 |',
      '',
      '* `kubectl get` lists objects;',
      '* `kubectl apply -f x.yaml` applies',
      '  a file.',
      '',
      '```bash',
      'kubeadm init',
      '```',
    ].join('\n');
    const { note: n } = parseNote('en/a.md', note('title: T', body));
    const passages = n!.sections[0]!.passages;
    expect(passages[0]).toEqual({ kind: 'table-row', line: 8, header: ['Protocol', 'Port'], cells: ['TCP', '6443'] });
    expect(passages[2]).toMatchObject({ kind: 'list-item', text: '`kubectl get` lists objects;' });
    expect(passages[3]).toMatchObject({ kind: 'list-item', text: '`kubectl apply -f x.yaml` applies a file.' });
    expect(passages[4]).toEqual({ kind: 'code', line: 15, lang: 'bash', code: 'kubeadm init' });
    expect(n!.lang).toBe('en');
  });

  it('shows an image tag as its alt text, drops HTML comments and Hugo shortcode tags, and keeps line numbers', () => {
    const body = '<img src="x.png" alt="arch" />\n\n<!-- the English original -->\n{{< note >}}\n控制面由三个组件构成。\n{{< /note >}}\n';
    const { note: n } = parseNote('a.md', note('title: T', body));
    expect(n!.sections[0]!.passages).toEqual([
      { kind: 'paragraph', line: 4, text: 'arch' },
      { kind: 'paragraph', line: 8, text: '控制面由三个组件构成。' },
    ]);
  });

  it('names Hugo heading shortcodes in the language of the note, also when only its text tells', () => {
    const body = '## {{% heading "whatsnext" %}}\n\n阅读更多关于 Pod 的内容。';
    expect(parseNote('en/a.md', note('title: T', body)).note!.sections[0]!.headings).toEqual(["What's next"]);
    expect(parseNote('zh/a.md', note('title: T', body)).note!.sections[0]!.headings).toEqual(['接下来']);
    expect(parseNote('a.md', note('title: T', body)).note).toMatchObject({ lang: 'zh', sections: [{ headings: ['接下来'] }] });
  });

  it('resolves relative links against the note url', () => {
    const { note: n } = parseNote('a.md', note('title: T\nurl: https://notes.example.com/k8s/pods/', 'See [probes](../probes/) and [phases](#phases).'));
    expect(n!.sections[0]!.passages[0]).toMatchObject({ text: 'See [probes](https://notes.example.com/k8s/probes/) and phases.' });
  });

  it('does not treat Go templates in code as shortcodes', () => {
    const { note: n } = parseNote('a.md', note('title: T', "```bash\ndocker inspect --format '{{.State.Pid}}' web\n```"));
    expect(n!.sections[0]!.passages[0]).toMatchObject({ code: "docker inspect --format '{{.State.Pid}}' web" });
  });

  it('reports invalid YAML with the line in the file', () => {
    const { note: n, problems } = parseNote('bad.md', note('title: T\ntags: ["a"] extra', 'text'));
    expect(n).toBeUndefined();
    expect(problems[0]).toMatchObject({ file: 'bad.md', line: 3, severity: 'error' });
  });

  it('reports a front matter field of the wrong type by name and line, and loads the note without it', () => {
    const { note: n, problems } = parseNote('bad.md', note('title: T\ndraft: maybe', 'text'));
    expect(n).toMatchObject({ title: 'T' });
    expect(problems[0]).toMatchObject({ line: 3, severity: 'warning' });
    expect(problems[0]!.message).toContain('"draft"');
  });

  it('takes the title from the first heading when there is no front matter', () => {
    const { note: n } = parseNote('plain.md', '# Plain note\n\nSome words about pods.\n');
    expect(n).toMatchObject({ title: 'Plain note', lang: 'en' });
    expect(n!.sections[0]!.headings).toEqual([]);
  });
});

describe('loadKnowledge', () => {
  it('loads the good notes of a folder and reports the broken ones with file and line', () => {
    const result = loadKnowledge(join(fixturesDir, 'broken'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.notes.map((n) => n.path).sort()).toEqual(['good.md', 'unclosed-fence.md']);
    expect(result.value.problems).toEqual([
      expect.objectContaining({ file: 'bad-front-matter.md', line: 3, severity: 'error' }),
      expect.objectContaining({ file: 'unclosed-fence.md', line: 13, severity: 'warning' }),
    ]);
  });

  it('skips drafts', () => {
    const result = loadKnowledge(join(fixturesDir, 'broken'));
    expect(result.ok && result.value.notes.some((n) => n.path === 'draft.md')).toBe(false);
  });

  it('walks sub-folders and takes the language from the folder name', () => {
    const dir = tempFolder({ 'zh/a/b.md': note('title: A', 'Pod is the smallest unit.'), 'en/c.md': note('title: C', '容器是进程。') });
    const result = loadKnowledge(dir);
    expect(result.ok && result.value.notes.map((n) => [n.path, n.lang])).toEqual([
      ['en/c.md', 'en'],
      ['zh/a/b.md', 'zh'],
    ]);
  });

  it('loads a seed-shaped note, including a .txt export with front matter', () => {
    const dir = tempFolder({ 'seed.txt': note('title: K8s\ndraft: false', '## 端口\n\n| 端口 |\n| --- |\n| 6443 |'), 'notes.txt': 'not a note' });
    const result = loadKnowledge(dir);
    expect(result.ok && result.value.notes.map((n) => n.path)).toEqual(['seed.txt']);
  });

  it('says clearly when the folder is missing or empty', () => {
    const missing = loadKnowledge('/no/such/folder');
    expect(missing).toEqual({ ok: false, error: expect.stringContaining('/no/such/folder does not exist') });
    const empty = loadKnowledge(tempFolder({ 'readme.txt': 'hello' }));
    expect(empty.ok).toBe(false);
  });
});
