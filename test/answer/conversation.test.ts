import { describe, expect, it } from 'vitest';
import { answerInConversation, type Turn } from '../../src/answer/conversation.js';
import { plainText } from '../../src/reply.js';
import { shippedKnowledgeDir } from '../../src/paths.js';
import { indexOf } from '../helpers.js';

const index = indexOf(shippedKnowledgeDir);

/** Asks each message in turn, as one conversation; returns how each was read and answered. */
function converse(lang: 'zh' | 'en', ...messages: string[]) {
  let previous: Turn | undefined;
  return messages.map((text) => {
    const answered = answerInConversation(index, text, lang, previous);
    previous = answered.turn;
    return { about: answered.about, answer: plainText(answered.reply), answered: answered.reply.kind === 'answer', turn: answered.turn };
  });
}

describe('answering a message in its conversation', () => {
  it('reads a follow-up that names no topic with the last topic, and says which', () => {
    const [first, followUp] = converse('en', 'how do I roll back a Deployment', 'can I go back to one particular revision?');
    expect(first!.turn).toMatchObject({ label: 'Deployment', note: 'en/07-deployment.md' });
    expect(followUp!.about).toBe('Deployment');
    expect(followUp!.answer).toContain('--to-revision');
  });

  it('reads a message that names a topic of another note alone', () => {
    const [, other] = converse('zh', 'Deployment 怎么回滚？', 'cgroup 的接口挂在哪个目录？');
    expect(other!.about).toBeUndefined();
    expect(other!.answer).toContain('/sys/fs/cgroup');
    expect(other!.turn.note).toBe('zh/01-containers-and-images.md');
  });

  it('reads a message that points back as a follow-up, even when it names terms of its own', () => {
    const [, followUp] = converse('en', 'what does a StatefulSet give each pod', 'what happens to its volume when the pod is deleted?');
    expect(followUp!.about).toBe('StatefulSet');
    expect(followUp!.answered).toBe(true);
  });

  it("lets a follow-up's own words decide over the many words a long first question lends it", () => {
    const [, zh] = converse('zh', 'Deployment 滚动更新时 maxSurge 和 maxUnavailable 默认是多少，更新过程中服务会不会中断？', '那怎么回滚？');
    expect(zh!.answer).toContain('rollout undo');
    const [, en] = converse('en', 'during a rolling update of a Deployment, what do maxSurge and maxUnavailable default to, and is there downtime?', 'how do I roll back?');
    expect(en!.about).toBe('Deployment');
    expect(en!.answer).toContain('rollout undo');
  });

  it('reads a first message alone, and remembers what it was about', () => {
    const [first] = converse('zh', 'apiserver 默认监听哪个端口？');
    expect(first!.about).toBeUndefined();
    expect(first!.turn).toMatchObject({ label: 'apiserver', lang: 'zh' });
    expect(first!.answer).toContain('6443');
  });

  it('keeps a turn within the lengths it is read back with', () => {
    const [first] = converse('en', `how do I roll back a deployment ${'replicaset '.repeat(300)}`);
    expect(first!.turn.words.length).toBeLessThanOrEqual(600);
  });
});
