import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../adapters/slack/render.js';
import { readShareValue, shareValue } from '../../../adapters/slack/share.js';
import type { Reply } from '../../../src/reply.js';

const reply = (blocks: Reply['blocks']): Reply => ({
  kind: 'answer',
  lang: 'zh',
  blocks,
  sources: [{ note: 'zh/07-deployment.md', noteTitle: 'Deployment 与滚动更新', section: ['回滚'], line: 55, score: 2.5 }],
  suggestions: [{ label: 'Deployment › 滚动更新', intent: { type: 'ask', text: '滚动更新' } }],
  actions: [{ type: 'feedback', answerId: 'zh/07-deployment.md#L55' }],
});

/** Text that compresses badly, as a long passage of varied words would. */
const noise = (bytes: number) => randomBytes(bytes).toString('hex');

describe('share button value', () => {
  it('carries the reply and the question and reads back unchanged', () => {
    const original = reply([{ type: 'text', text: '用 `kubectl rollout undo deployment/web --to-revision=2` 回滚到指定版本。' }, { type: 'code', lang: 'bash', code: 'kubectl rollout history deployment/web' }]);
    const value = shareValue(original, '怎么回滚到指定版本');
    expect(value!.length).toBeLessThanOrEqual(LIMITS.buttonValue);
    expect(readShareValue(value!)).toEqual({ ok: true, value: { asked: '怎么回滚到指定版本', reply: original, shortened: false } });
  });

  it('drops suggestions and then trailing blocks to stay within Slack’s limit, and says it did', () => {
    const original = reply(Array.from({ length: 6 }, () => ({ type: 'text' as const, text: noise(300) })));
    const value = shareValue(original, 'q')!;
    expect(value.length).toBeLessThanOrEqual(LIMITS.buttonValue);
    const read = readShareValue(value);
    if (!read.ok) throw new Error(read.error);
    expect(read.value.shortened).toBe(true);
    expect(read.value.reply.suggestions).toEqual([]);
    expect(read.value.reply.blocks.length).toBeGreaterThan(0);
    expect(read.value.reply.blocks).toEqual(original.blocks.slice(0, read.value.reply.blocks.length));
  });

  it('gives no value when not even the first block fits', () => {
    expect(shareValue(reply([{ type: 'text', text: noise(2000) }]), 'q')).toBeUndefined();
  });

  it('refuses a value that is not one it made', () => {
    expect(readShareValue('how do I roll back').ok).toBe(false);
    const forged = shareValue(reply([{ type: 'text', text: 'x' }]), 'q')!;
    expect(readShareValue(forged.slice(0, -8)).ok).toBe(false);
  });
});
