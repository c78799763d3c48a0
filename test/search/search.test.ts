import { describe, expect, it } from 'vitest';
import { answerQuestion } from '../../src/answer/answer.js';
import { plainText } from '../../src/reply.js';
import { damerauLevenshtein } from '../../src/search/spelling.js';
import { indexOf, shippedIndex, tempFolder } from '../helpers.js';

describe('answers from the shipped notes', () => {
  it('answers "apiserver 默认端口" with the 6443 passage', () => {
    const reply = answerQuestion(shippedIndex(), 'apiserver 默认端口', 'zh');
    expect(reply.kind).toBe('answer');
    expect(plainText(reply)).toContain('6443');
    expect(reply.sources[0]!.note).toMatch(/^zh\//);
  });

  it('answers "how do I roll back to a revision" with the --to-revision line from the English note', () => {
    const reply = answerQuestion(shippedIndex(), 'how do I roll back to a revision', 'en');
    expect(plainText(reply)).toContain('--to-revision');
    expect(reply.sources[0]!.note).toMatch(/^en\//);
  });

  it('shows a table row as header/value fields', () => {
    const reply = answerQuestion(shippedIndex(), 'which port does the kubelet API use', 'en');
    expect(JSON.stringify(reply.blocks)).toContain('10250');
  });

  it('repairs typos against the notes vocabulary', () => {
    const reply = answerQuestion(shippedIndex(), 'statefullset pod names', 'en');
    expect(reply.kind).toBe('answer');
    expect(reply.sources[0]!.section.join(' ').toLowerCase()).toContain('name');
    expect(damerauLevenshtein('deploymnet', 'deployment', 2)).toBe(1);
  });

  it('declines off-topic questions honestly', () => {
    for (const q of ['明天北京会下雨吗', 'write me a poem about autumn', 'how do I enable Istio mutual TLS']) {
      expect(answerQuestion(shippedIndex(), q, /[\u4e00-\u9fff]/.test(q) ? 'zh' : 'en').kind, q).toBe('not-found');
    }
  });

  it('lists at most 3 related sections, none of them the answer\'s own', () => {
    const reply = answerQuestion(shippedIndex(), 'Pod 重启策略有哪些', 'zh');
    expect(reply.suggestions.length).toBeLessThanOrEqual(3);
    const own = reply.sources[0]!.section.at(-1);
    expect(reply.suggestions.every((s) => s.ask !== own)).toBe(true);
  });
});

describe('ranking', () => {
  const note = (lang: string, body: string) => `---\ntitle: ${lang} note\nlang: ${lang}\n---\n${body}`;

  it('prefers the note in the asker\'s language when both answer', () => {
    const index = indexOf(
      tempFolder({
        'zh.md': note('zh', '## 回滚 rollback\n\n`kubectl rollout undo` 回滚 Deployment 到上一个版本。'),
        'en.md': note('en', '## Rollback\n\n`kubectl rollout undo` rolls a Deployment back to the previous version.'),
      }),
    );
    expect(answerQuestion(index, 'roll back a deployment', 'en').sources[0]!.note).toBe('en.md');
    expect(answerQuestion(index, 'Deployment 怎么回滚', 'zh').sources[0]!.note).toBe('zh.md');
  });

  it('answers an English question from a Chinese-only note through the glossary', () => {
    const index = indexOf(tempFolder({ 'zh.md': note('zh', '## 端口\n\n| 端口 | 用途 |\n| --- | --- |\n| 6443 | API server |\n| 10250 | Kubelet API |\n\n镜像拉取策略默认取决于标签。') }));
    expect(plainText(answerQuestion(index, 'which port is the kubelet', 'en'))).toContain('10250');
  });

  it('brings the list a paragraph introduces with a colon', () => {
    const body = '## 滚动更新\n\n滚动更新进行中可以用这些命令控制：\n\n- `kubectl rollout pause` 暂停\n- `kubectl rollout resume` 继续\n\n另一段无关的话。';
    const text = plainText(answerQuestion(indexOf(tempFolder({ 'zh.md': note('zh', body) })), '滚动更新进行中怎么控制', 'zh'));
    expect(text).toContain('rollout pause');
    expect(text).toContain('rollout resume');
    expect(text).not.toContain('无关');
  });

  it('prefers the passage with a command when the question asks for one', () => {
    const body = '## Images\n\nAn image is built from a Dockerfile, one layer per instruction.\n\nBuild it from the Dockerfile folder with `docker build -t <tag> .` and a tag.';
    const text = plainText(answerQuestion(indexOf(tempFolder({ 'en.md': note('en', body) })), 'what is the command to build an image from a dockerfile', 'en'));
    expect(text).toContain('docker build -t');
  });

  it('carries the note url into the source', () => {
    const index = indexOf(tempFolder({ 'a.md': '---\ntitle: A\nurl: https://example.com/a\n---\n## Probes\n\nA livenessProbe restarts a stuck container.' }));
    expect(answerQuestion(index, 'what does a liveness probe do', 'en').sources[0]!.url).toBe('https://example.com/a');
  });
});
