import { describe, expect, it } from 'vitest';
import { digestReply, gatherDigest } from '../../src/digest/digest.js';
import { plainText } from '../../src/reply.js';
import type { QuestionEntry, Store } from '../../src/store/store.js';
import { openTestStore } from '../helpers.js';

const DAY = 86_400_000;
const since = Date.parse('2026-11-30T00:00:00Z'); // a Monday
const until = since + 7 * DAY;
const inWeek = since + 2 * DAY;

function ask(store: Store, question: string, answered: boolean, at = inWeek, topSource?: string): void {
  const entry: QuestionEntry = { question, lang: /[\u4e00-\u9fff]/.test(question) ? 'zh' : 'en', answered, at, ...(topSource ? { topSource } : {}) };
  store.logQuestion(entry);
}

describe('the maintainers digest', () => {
  it('gathers the week: unanswered wordings grouped, answers voted down with their question, and the counts', async () => {
    const store = openTestStore();
    for (let i = 0; i < 3; i++) ask(store, 'deployment 怎么回滚', false);
    ask(store, '怎么回滚 deployment', false);
    ask(store, 'what is a sidecar container', false);
    ask(store, 'what is a sidecar container', false);
    ask(store, 'where do core dumps go', false);
    ask(store, 'apiserver 默认端口', true, inWeek, 'zh/apiserver.md#L12');
    ask(store, 'how to scale a deployment', true, inWeek, 'en/scale.md#L3');
    ask(store, 'how to drain a node', true, since - DAY, 'en/drain.md#L8'); // the week before: not counted
    store.recordFeedback({ answerId: 'zh/apiserver.md#L12', vote: -1, voter: 'a', at: inWeek });
    store.recordFeedback({ answerId: 'zh/apiserver.md#L12', vote: -1, voter: 'b', at: inWeek });
    store.recordFeedback({ answerId: 'en/scale.md#L3', vote: 1, voter: 'a', at: inWeek });
    await store.flush();

    const digest = await gatherDigest(store, since, until);
    expect(digest.activity).toEqual({ answered: 2, notFound: 7 });
    expect(digest.unanswered.map((g) => [g.question, g.count, g.wordings.length])).toEqual([
      ['deployment 怎么回滚', 4, 2],
      ['what is a sidecar container', 2, 1],
      ['where do core dumps go', 1, 1],
    ]);
    expect(digest.downVoted).toEqual([{ answerId: 'zh/apiserver.md#L12', question: 'apiserver 默认端口', down: 2, up: 0 }]);

    const en = plainText(digestReply(digest, 'en', 'UTC'));
    expect(en).toContain("Maintainers' digest, 2026-11-30 to 2026-12-06");
    expect(en).toContain('2 questions answered, 7 not found in the notes.');
    expect(en).toContain('4× deployment 怎么回滚 (2 wordings)');
    expect(en).toMatch(/👎 2 👍 0 {2}`zh\/apiserver\.md#L12` {2}“apiserver 默认端口”/);
    expect(en).not.toContain('scale.md');
    const zh = digestReply(digest, 'zh', 'UTC');
    expect(zh.kind).toBe('digest');
    expect(plainText(zh)).toContain('回答了 2 个问题，7 个问题笔记里没有答案。');
    expect(plainText(zh)).toContain('被点了 👎 的回答');
    await store.close();
  });

  it('keeps the ten most asked groups', async () => {
    const store = openTestStore();
    const topics = ['etcd', 'kubelet', 'ingress', 'helm', 'istio', 'calico', 'coredns', 'kustomize', 'argo', 'flux', 'velero', 'keda'];
    topics.forEach((topic, i) => {
      for (let n = 0; n <= i; n++) ask(store, `${topic} backup strategy`, false);
    });
    await store.flush();
    const digest = await gatherDigest(store, since, until);
    expect(digest.unanswered).toHaveLength(10);
    expect(digest.unanswered[0]).toMatchObject({ question: 'keda backup strategy', count: 12 });
    expect(digest.unanswered.map((g) => g.question)).not.toContain('etcd backup strategy');
    await store.close();
  });

  it('says in one line that a week was empty', async () => {
    const store = openTestStore();
    ask(store, 'asked the week before', false, since - DAY);
    await store.flush();
    const digest = await gatherDigest(store, since, until);
    const reply = digestReply(digest, 'en', 'Asia/Shanghai');
    expect(reply.blocks).toHaveLength(1);
    expect(plainText(reply)).toBe("📋 Maintainers' digest, 2026-11-30 to 2026-12-07: nobody asked anything and no answer got a 👎.");
    expect(plainText(digestReply(digest, 'zh', 'UTC')).split('\n')).toHaveLength(1);
    await store.close();
  });
});
