import { describe, expect, it } from 'vitest';
import { answerQuery } from '../../src/answer/answer.js';
import { readInConversation, type Turn } from '../../src/answer/conversation.js';
import { plainText } from '../../src/reply.js';
import { shippedKnowledgeDir } from '../../src/paths.js';
import { indexOf } from '../helpers.js';

const index = indexOf(shippedKnowledgeDir);

/** Asks each message in turn, as one conversation; returns how each was read and answered. */
function converse(lang: 'zh' | 'en', ...messages: string[]) {
  let previous: Turn | undefined;
  return messages.map((text) => {
    const reading = readInConversation(index, text, lang, previous);
    const reply = answerQuery(index, reading.query);
    const note = reply.kind === 'answer' ? reply.sources[0]?.note : undefined;
    previous = { ...reading.turn, ...(note ? { note } : {}) };
    return { about: reading.about, answer: plainText(reply), answered: reply.kind === 'answer', query: reading.query };
  });
}

describe('reading a message in its conversation', () => {
  it('reads a follow-up that names no topic with the last topic, and says so', () => {
    const [, followUp] = converse('en', 'how do I roll back a deployment', 'can I go back to one particular revision?');
    expect(followUp!.about).toContain('deployment');
    expect(followUp!.answer).toContain('--to-revision');
  });

  it('lets borrowed words steer without counting as much as the message’s own', () => {
    const [, followUp] = converse('en', 'how do I roll back a deployment', 'can I go back to one particular revision?');
    const borrowed = followUp!.query.clauses.find((c) => c.text === 'deployment')!;
    const own = followUp!.query.clauses.find((c) => c.text === 'revision')!;
    expect(borrowed.alternatives[0]!.weight).toBeLessThan(own.alternatives[0]!.weight);
    expect(followUp!.query.inNote).toBe('en/07-deployment.md');
  });

  it('reads a message that names a topic of another note alone', () => {
    const [, other] = converse('zh', 'Deployment 怎么回滚？', 'cgroup 的接口挂在哪个目录？');
    expect(other!.about).toBeUndefined();
    expect(other!.answer).toContain('/sys/fs/cgroup');
  });

  it('reads a message that points back as a follow-up, even when it names terms of its own', () => {
    const [, followUp] = converse('en', 'what does a statefulset give each pod', 'what happens to its volume when the pod is deleted?');
    expect(followUp!.about).toContain('statefulset');
    expect(followUp!.answered).toBe(true);
  });

  it('reads a first message alone', () => {
    const [first] = converse('zh', '怎么回滚？');
    expect(first!.about).toBeUndefined();
    expect(first!.query.inNote).toBeUndefined();
  });
});
