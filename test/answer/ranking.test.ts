import { describe, expect, it } from 'vitest';
import { explainQuery } from '../../src/answer/answer.js';
import { plainText } from '../../src/reply.js';
import { RANKING, type RankingParams } from '../../src/search/params.js';
import { answerQuestion, indexOf, tempFolder } from '../helpers.js';

const note = (lang: string, body: string, title = `${lang} note`) => `---\ntitle: ${title}\nlang: ${lang}\n---\n${body}`;
/** RANKING with some numbers changed, to show what a rule does by turning it off. */
const withParams = (change: (p: RankingParams) => RankingParams) => change(RANKING);

describe("the asker's language first", () => {
  const zh = note('zh', '## 探针\n\nlivenessProbe 探测失败时，kubelet 会杀掉并重启容器。');
  const en = note('en', '## Probes\n\nWhen a livenessProbe fails, the kubelet kills the container and restarts it.\n\n## Init containers\n\nInit containers run to completion, one after another, before the app containers start.');

  it('answers each language from its own notes when both hold the fact', () => {
    const index = indexOf(tempFolder({ 'zh/probe.md': zh, 'en/probe.md': en }));
    const zhReply = answerQuestion(index, 'livenessProbe 失败了会怎样', 'zh');
    expect(zhReply.sources[0]!.note).toBe('zh/probe.md');
    expect(plainText(zhReply)).not.toContain('英文笔记');
    expect(answerQuestion(index, 'what happens when a livenessProbe fails', 'en').sources[0]!.note).toBe('en/probe.md');
  });

  it('falls back to the other language only when its own notes lack the fact, and says so', () => {
    const index = indexOf(tempFolder({ 'zh/probe.md': zh, 'en/probe.md': en }));
    const reply = answerQuestion(index, 'init 容器是按什么顺序运行的', 'zh');
    expect(reply.sources[0]!.note).toBe('en/probe.md');
    expect(plainText(reply)).toMatch(/^（中文笔记里没有这一点，以下摘自英文笔记。）/);
  });

  it('does not say the notes lack a language when there are no notes in it at all', () => {
    const index = indexOf(tempFolder({ 'en/probe.md': en }));
    const reply = answerQuestion(index, 'livenessProbe 失败了会怎样', 'zh');
    expect(reply.kind).toBe('answer');
    expect(plainText(reply)).not.toContain('英文笔记');
  });

  it("keeps the asker's language when its answer is close, and not when the ratio forbids it", () => {
    const files = { 'zh/probe.md': zh, 'en/probe.md': en };
    const question = 'livenessProbe fails kubelet kills container restarts 会怎样';
    const strict = indexOf(tempFolder(files), withParams((p) => ({ ...p, answer: { ...p.answer, otherLanguageFactor: 1, ownLanguageRatio: 1.01 } })));
    expect(answerQuestion(strict, question, 'zh').sources[0]!.note).toBe('en/probe.md');
    expect(answerQuestion(indexOf(tempFolder(files)), question, 'zh').sources[0]!.note).toBe('zh/probe.md');
  });
});

describe('span coverage', () => {
  it('prefers one passage that holds the whole question to a list whose items each share one word', () => {
    const body =
      '## 常用命令\n\n- `kubectl create -f` 从文件创建对象\n- `kubectl get pods` 列出所有 Pod\n- `kubectl rename` 改名字\n- `kubectl rollout status statefulset` 看 StatefulSet 的进度\n\n' +
      '## StatefulSet\n\nStatefulSet 创建出来的实例名字带有固定的序号，例如 web-0、web-1。';
    const files = { 'zh.md': note('zh', body) };
    const question = 'statefulset 创建的 pod 名字是什么样的';
    expect(plainText(answerQuestion(indexOf(tempFolder(files)), question, 'zh'))).toContain('web-0');
    const spread = indexOf(tempFolder(files), withParams((p) => ({ ...p, span: { ...p.span, spreadCoverage: 1 } })));
    expect(plainText(answerQuestion(spread, question, 'zh'))).not.toContain('web-0');
  });
});

describe('off-topic stays off', () => {
  // Enough other passages that 配置 is as rare a word as it would be in a real notes folder.
  const others = Array.from({ length: 100 }, (_, i) => `## 第 ${i} 节\n\n第 ${i} 节的内容与 kubelet 无关。`).join('\n\n');
  const body = `## 配置\n\nkubelet 的配置文件默认在 /var/lib/kubelet/config.yaml，改完要重启 kubelet。\n\n${others}`;

  it('declines a question whose only overlap with the notes is an everyday word', () => {
    const index = indexOf(tempFolder({ 'zh.md': note('zh', body) }));
    expect(answerQuestion(index, '火锅底料怎么配置才好吃', 'zh').kind).toBe('not-found');
    expect(answerQuestion(index, 'kubelet 的配置文件在哪', 'zh').kind).toBe('answer');
  });

  it('takes a Latin name in a heading as a topic, and a Chinese pair in a heading only when the glossary knows it', () => {
    const index = indexOf(tempFolder({ 'zh.md': note('zh', `## 历程 etcd 与 consul\n\netcd 用 raft 保证一致。\n\n${others}`) }));
    expect(index.parse('历程', 'zh').clauses[0]!.topical).toBe(false);
    expect(index.parse('consul', 'zh').clauses[0]!.topical).toBe(true);
    expect(index.parse('配置', 'zh').clauses[0]!.topical).toBe(true);
  });

  it('weighs an unknown whole Chinese word as the subject the notes lack', () => {
    // Weighed as a stray character pair, 火锅 and 底料 leave 配置 enough of the question to answer.
    const pairs = indexOf(tempFolder({ 'zh.md': note('zh', body) }), withParams((p) => ({ ...p, query: { ...p.query, unknownHanWordFactor: 0 } })));
    expect(answerQuestion(pairs, '火锅底料怎么配置才好吃', 'zh').kind).toBe('answer');
  });
});

describe('explain', () => {
  it("shows each clause's and each factor's part for the top candidates", () => {
    const index = indexOf(tempFolder({ 'en.md': note('en', '## Ports\n\nThe kube-apiserver listens on port 6443.\n\n## Other\n\nThe kubelet listens on 10250.') }));
    const explanation = explainQuery(index, index.parse('which port does the apiserver use', 'en'));
    expect(explanation.clauses.map((c) => c.text)).toEqual(['port', 'apiserver']);
    const [top] = explanation.candidates;
    expect(top).toMatchObject({ note: 'en.md', lines: [7, 7], chosen: true });
    expect(Object.keys(top!.factors)).toEqual(['relevance', 'coverage', 'language', 'context', 'shape', 'tool', 'cut', 'length']);
    const product = Object.values(top!.factors).reduce((a, b) => a * b, 1);
    expect(top!.score).toBeCloseTo(product, 2);
    expect(top!.clauses.find((c) => c.clause === 'apiserver')!.body).toBeGreaterThan(0);
    expect(explanation.candidates.filter((c) => c.chosen)).toHaveLength(1);
  });
});

describe('spelling repair', () => {
  it('repairs a five-letter typo, and not a four-letter one', () => {
    const others = Array.from({ length: 30 }, (_, i) => `## Part ${i}\n\nPart ${i} is about something else entirely.`).join('\n\n');
    const files = { 'en.md': note('en', `## Namespaces\n\nCreate a namespace with \`kubectl create namespace dev\`.\n\n${others}`) };
    expect(answerQuestion(indexOf(tempFolder(files)), 'how do I creat a namespace', 'en').kind).toBe('answer');
    const strict = indexOf(tempFolder(files), withParams((p) => ({ ...p, query: { ...p.query, spelling: { ...p.query.spelling, minLength: 6 } } })));
    expect(strict.parse('how do I creat a namespace', 'en').clauses.map((c) => c.text)).toEqual(['creat', 'namespace']);
    expect(indexOf(tempFolder(files)).parse('how do I creat a namespace', 'en').clauses.map((c) => c.text)).toEqual(['create', 'namespace']);
    // Four letters stay as typed: "pert" is not "part".
    expect(indexOf(tempFolder(files)).parse('pert of a namespace', 'en').clauses.map((c) => c.text)).toEqual(['pert', 'namespace']);
  });
});

describe('asked-for shapes', () => {
  it('takes a list as covering the word a question uses for its members ("what values")', () => {
    const body = '## Image pulls\n\nimagePullPolicy decides when the kubelet pulls the image.\n\n- Always\n- IfNotPresent\n- Never\n\n## Other\n\nNothing here.';
    const index = indexOf(tempFolder({ 'en.md': note('en', body) }));
    const query = index.parse('what values can imagePullPolicy take', 'en');
    expect(query.shapes.map((s) => s.shape.name)).toEqual(['list']);
    for (const asks of ['list the pod condition types', 'Pod 有哪些状态', 'which modes does kube-proxy have']) expect(index.parse(asks, 'en').asksForList, asks).toBe(true);
    expect(index.parse('which port does the kubelet use', 'en').asksForList).toBe(false);
    const chosen = explainQuery(index, query).candidates.find((c) => c.chosen)!;
    expect(chosen.factors.coverage).toBe(1);
    expect(plainText(answerQuestion(index, 'what values can imagePullPolicy take', 'en'))).toContain('IfNotPresent');
  });
});
