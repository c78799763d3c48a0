import { describe, expect, it } from 'vitest';
import { plainText } from '../../src/reply.js';
import { damerauLevenshtein } from '../../src/search/spelling.js';
import { join } from 'node:path';
import { detectLang } from '../../src/lang.js';
import { RANKING } from '../../src/search/params.js';
import { passageText } from '../../src/search/search-index.js';
import { answerQuestion, fixturesDir, indexOf, shippedIndex, tempFolder } from '../helpers.js';

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
    expect(reply.suggestions.every((s) => s.intent.type === 'ask' && s.intent.text !== own)).toBe(true);
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

  // A paragraph long enough that no span can hold it and the list together.
  const filler = (words: string) => `${words}。`.repeat(60);

  it('brings the list a paragraph introduces with a colon, within the reading budget', () => {
    const body = `## 滚动更新\n\n滚动更新进行中可以用这些命令控制：\n\n- \`kubectl rollout pause\` 暂停\n- \`kubectl rollout resume\` 继续\n\n${filler('另一段无关的话')}`;
    const text = plainText(answerQuestion(indexOf(tempFolder({ 'zh.md': note('zh', body) })), '滚动更新进行中怎么控制', 'zh'));
    expect(text).toContain('rollout pause');
    expect(text).toContain('rollout resume');
    expect(text).not.toContain('无关');
  });

  it('shows a short section whole, and only its matching part of a long one', () => {
    const short = '## 探针\n\nlivenessProbe 失败时 kubelet 重启容器。\n\n探测间隔由 periodSeconds 决定。';
    const shortText = plainText(answerQuestion(indexOf(tempFolder({ 'zh.md': note('zh', short) })), 'livenessProbe 失败会怎样', 'zh'));
    expect(shortText).toContain('periodSeconds');
    const long = `## 探针\n\nlivenessProbe 失败时 kubelet 重启容器。\n\n${filler('探测间隔由 periodSeconds 决定')}`;
    const longText = plainText(answerQuestion(indexOf(tempFolder({ 'zh.md': note('zh', long) })), 'livenessProbe 失败会怎样', 'zh'));
    expect(longText).toBe('livenessProbe 失败时 kubelet 重启容器。');
  });

  it('brings every item of a list when the question asks for the kinds, and one item when it asks for one', () => {
    const items = ['Always 总是重启', 'OnFailure 失败才重启', 'Never 从不重启'].map((i) => `- ${i}，${filler('这一项的细节说明')}`).join('\n');
    const index = indexOf(tempFolder({ 'zh.md': note('zh', `## 重启策略\n\nrestartPolicy 有三种取值：\n\n- Always\n- OnFailure\n- Never\n\n## 细节\n\n${items}`) }));
    const kinds = plainText(answerQuestion(index, 'restartPolicy 有哪些取值', 'zh'));
    expect(kinds).toContain('OnFailure');
    expect(kinds).toContain('Never');
    const one = answerQuestion(index, 'OnFailure 失败才重启的细节', 'zh');
    expect(plainText(one)).toContain('OnFailure 失败才重启');
    expect(plainText(one)).not.toContain('Never 从不重启');
  });

  it('shows a code block with the sentence that introduces it', () => {
    const body = `## Build\n\n${filler('Images are layers of files')}\n\nTo build and tag the image from the current folder, run:\n\n\`\`\`bash\ndocker build -t web:1.0 .\n\`\`\``;
    const reply = answerQuestion(indexOf(tempFolder({ 'en.md': note('en', body) })), 'how do I tag the image from the current folder', 'en');
    expect(reply.blocks.map((b) => b.type)).toEqual(['text', 'code']);
    expect(plainText(reply)).toContain('docker build -t web:1.0');
    const withoutCut = indexOf(tempFolder({ 'en.md': note('en', body) }), { ...RANKING, span: { ...RANKING.span, cut: { ...RANKING.span.cut, introduction: 0, codeIntroduction: 0 } } });
    expect(answerQuestion(withoutCut, 'how do I tag the image from the current folder', 'en').blocks.map((b) => b.type)).toEqual(['text']);
  });

  it('judges an introduction and its list as the one answer they make', () => {
    const body = '## 配置\n\n容器的配置一般用 projected volume 注入，包括：\n\n- Secret: 保存密码\n- ConfigMap: 普通配置\n\nDocker Volume 把宿主机的目录挂载进容器，容器删掉后数据还在。';
    const reply = answerQuestion(indexOf(tempFolder({ 'zh.md': note('zh', body) })), 'secret 和 configmap 一起挂进容器的那种 volume 叫什么', 'zh');
    expect(plainText(reply)).toContain('projected volume');
  });

  it('prefers the passage with a command when the question asks for one', () => {
    const body = '## Images\n\nAn image is built from a Dockerfile, one layer per instruction.\n\nBuild it from the Dockerfile folder with `docker build -t <tag> .` and a tag.';
    const text = plainText(answerQuestion(indexOf(tempFolder({ 'en.md': note('en', body) })), 'what is the command to build an image from a dockerfile', 'en'));
    expect(text).toContain('docker build -t');
  });

  it('answers a port question with the row of the component, not the row that lists it as a user', () => {
    // In the seed-shaped ports table the etcd row's "used by" column says kube-apiserver.
    const index = indexOf(join(fixturesDir, 'seed-shaped'));
    for (const question of ['apiserver 默认端口', 'what port does kube-apiserver listen on', 'api server port', 'apisever端口多少']) {
      const reply = answerQuestion(index, question, detectLang(question));
      expect(JSON.stringify(reply.blocks), question).toContain('"value":"6443"');
      expect(reply.sources[0]!.line, question).toBe(104);
    }
  });

  it('matches a several-word phrasing only where all its words are', () => {
    const body = '## Network\n\nThe API gateway is a separate product.\n\nOpen each server port on every server before you join it.\n\nA port below 1024 needs root.\n\nA port is TCP or UDP.';
    const index = indexOf(tempFolder({ 'en.md': note('en', body) }));
    // One passage says "API", the other "server": neither is about the API server.
    expect(answerQuestion(index, 'api server port', 'en').kind).toBe('not-found');
    expect(answerQuestion(index, 'which server port to open', 'en').kind).toBe('answer');
  });

  it('ranks passages of equal score by their place in the notes, not by which word of the question found them first', () => {
    // Each passage holds one word of the question, once, in as many words: their scores are equal. "etcd"
    // is the question's first word, so its passage (the later one) is reached first.
    const body = '## Stores\n\nkine keeps state.\n\netcd keeps state.';
    const index = indexOf(tempFolder({ 'en.md': note('en', body) }));
    const result = index.search(index.parse('etcd kine', 'en'));
    const [first, second] = result.passages;
    expect(result.bodyScore(first!)).toBe(result.bodyScore(second!));
    expect(result.passages.map((id) => passageText(index.passages[id]!.passage))).toEqual(['kine keeps state.', 'etcd keeps state.']);
  });

  it('does not answer on plain words alone', () => {
    const body = '## 镜像\n\n镜像的每一层都是文件系统的一份增量，Dockerfile 的每条指令写进新的一层。';
    const index = indexOf(tempFolder({ 'zh.md': note('zh', body) }));
    // "file" and "written" meet 文件 and 写进, but neither says what the question is about.
    expect(answerQuestion(index, 'which file was it written to', 'en').kind).toBe('not-found');
    expect(answerQuestion(index, 'Dockerfile 的指令写进哪里', 'zh').kind).toBe('answer');
  });

  it('takes a passage with the asked-for shape as covering the word for it', () => {
    const body = '## 隔离\n\nPID namespace 让进程看到自己独立的进程号空间。\n\n调用 clone 时传入 `CLONE_NEWPID`，新进程就在新的 PID namespace 里。';
    const reply = answerQuestion(indexOf(tempFolder({ 'zh.md': note('zh', body) })), '调 clone 要带什么 flag', 'zh');
    expect(plainText(reply)).toContain('CLONE_NEWPID');
  });

  it('answers with the command of the tool the question names', () => {
    // The seed-shaped note has both `docker exec -it` and a `kubectl exec -it` line that mentions docker exec.
    const reply = answerQuestion(indexOf(join(fixturesDir, 'seed-shaped')), '想进一个正在跑的 docker 容器里开个 shell 看看', 'zh');
    expect(plainText(reply)).toContain('docker exec -it <container-id>');
    expect(reply.sources[0]!.line).toBe(64);
  });

  it('prefers a passage that gives the reason when asked why', () => {
    const body = '## Pod\n\nContainers are grouped into a Pod that shares one network namespace and one IP.\n\n## Pods\n\nContainers are grouped into a Pod because tightly coupled processes must run on one node.';
    const index = indexOf(tempFolder({ 'en.md': note('en', body) }));
    expect(answerQuestion(index, 'why are containers grouped into a pod', 'en').sources[0]!.line).toBe(11);
    expect(answerQuestion(index, 'are containers grouped into a pod', 'en').sources[0]!.line).toBe(7);
  });

  it('reads a compound and its parts as one word of the question', () => {
    const clauses = shippedIndex().parse('kube-proxy 的 imagePullPolicy', 'zh').clauses.map((c) => c.text);
    expect(clauses).toEqual(['kube-proxy kube proxy', 'imagepullpolicy image pull policy']);
  });

  it('carries the note url into the source', () => {
    const index = indexOf(tempFolder({ 'a.md': '---\ntitle: A\nurl: https://example.com/a\n---\n## Probes\n\nA livenessProbe restarts a stuck container.' }));
    expect(answerQuestion(index, 'what does a liveness probe do', 'en').sources[0]!.url).toBe('https://example.com/a');
  });
});
