import { describe, expect, it } from 'vitest';
import { ACTION, LIMITS, renderReply } from '../../../adapters/slack/render.js';
import type { Reply } from '../../../src/reply.js';
import { blockTexts, buttons } from './blocks.js';

const reply = (over: Partial<Reply> = {}): Reply => ({
  kind: 'answer',
  lang: 'en',
  blocks: [{ type: 'text', text: 'Use `kubectl rollout undo`, see **the docs** at [Kubernetes](https://kubernetes.io/docs?a=1&b=2).' }],
  sources: [
    { note: 'en/07-deployment.md', noteTitle: 'Deployments', section: ['Rollback'], line: 65, score: 3, url: 'https://example.com/deploy' },
    { note: 'zh/07-deployment.md', noteTitle: 'Deployment 与滚动更新', section: ['回滚'], line: 55, score: 2 },
  ],
  suggestions: [{ label: 'Deployments › Rolling update', intent: { type: 'ask', text: 'Rolling update' } }],
  actions: [{ type: 'feedback', answerId: 'en/07-deployment.md#L65' }],
  ...over,
});

describe('renderReply', () => {
  it('renders the passage, numbered sources with links, suggestion and feedback buttons', () => {
    const message = renderReply(reply());
    const texts = blockTexts(message.blocks);
    expect(texts[0]).toBe('Use `kubectl rollout undo`, see *the docs* at <https://kubernetes.io/docs?a=1&amp;b=2|Kubernetes>.');
    expect(texts).toContain('Sources: 1. <https://example.com/deploy|Deployments › Rollback>  ·  2. Deployment 与滚动更新 › 回滚');
    expect(buttons(message.blocks)).toEqual([
      expect.objectContaining({ action_id: `${ACTION.suggestPrefix}0`, value: JSON.stringify({ type: 'ask', text: 'Rolling update', lang: 'en' }) }),
      expect.objectContaining({ action_id: ACTION.voteUp, value: JSON.stringify({ answerId: 'en/07-deployment.md#L65', lang: 'en' }) }),
      expect.objectContaining({ action_id: ACTION.voteDown }),
    ]);
    expect(message.text).toContain('Use `kubectl rollout undo`');
  });

  it('labels in the reply language and adds a share button when asked', () => {
    const message = renderReply(reply({ lang: 'zh' }), { share: '怎么回滚' });
    expect(blockTexts(message.blocks).some((t) => t.startsWith('来源: 1.'))).toBe(true);
    expect(buttons(message.blocks).at(-1)).toMatchObject({ action_id: ACTION.share, value: '怎么回滚', text: { text: '分享到频道' } });
  });

  it('names who shared an answer, escaping what they asked', () => {
    const message = renderReply(reply(), { sharedBy: { user: 'U123ABC', asked: '<!channel> rollback' } });
    expect(blockTexts(message.blocks)[0]).toBe('<@U123ABC> shared: &lt;!channel&gt; rollback');
  });

  it('escapes code and note text so nothing in them becomes a mention or a link', () => {
    const message = renderReply(
      reply({ blocks: [{ type: 'text', text: 'Ping <!here> or @channel' }, { type: 'code', lang: 'sh', code: 'kubectl get pod <name> && echo ```' }] }),
    );
    const all = JSON.stringify(message);
    expect(all).not.toMatch(/<!here>|<name>|@channel/);
    expect(blockTexts(message.blocks)[1]).toBe('```kubectl get pod &lt;name&gt; &amp;&amp; echo `\u200b`````');
  });

  it('keeps every section within 3,000 characters and every fence closed', () => {
    const code = Array.from({ length: 200 }, (_, i) => `line ${i} ${'y'.repeat(30)}`).join('\n');
    const message = renderReply(reply({ blocks: [{ type: 'code', lang: 'yaml', code }] }));
    const fences = blockTexts(message.blocks).filter((t) => t.startsWith('```'));
    expect(fences.length).toBeGreaterThan(2);
    for (const fence of fences) {
      expect(fence.length).toBeLessThanOrEqual(LIMITS.sectionText);
      expect(fence.endsWith('```')).toBe(true);
      // Each piece holds whole lines only.
      expect(fence.slice(3, -3).split('\n').every((l) => /^line \d+ y{30}$/.test(l))).toBe(true);
    }
  });

  it('stays within 50 blocks, says it shortened the answer, and keeps the buttons', () => {
    const blocks = Array.from({ length: 80 }, (_, i) => ({ type: 'text' as const, text: `Paragraph ${i}.` }));
    const message = renderReply(reply({ blocks }));
    expect(message.blocks.length).toBe(LIMITS.blocks);
    expect(blockTexts(message.blocks)).toContain('_Shortened to fit in Slack: the source has the rest._');
    expect(message.blocks.at(-1)!.type).toBe('actions');
  });

  it('splits a table row of many fields into sections of at most 10', () => {
    const fields = Array.from({ length: 13 }, (_, i) => ({ name: `Field ${i}`, value: `v${i}` }));
    const message = renderReply(reply({ blocks: [{ type: 'fields', fields }], sources: [], suggestions: [], actions: [] }));
    expect(message.blocks.map((b) => (b as { fields?: unknown[] }).fields?.length)).toEqual([10, 3]);
  });

  it('leaves out buttons whose value Slack would refuse', () => {
    const long = 'q'.repeat(LIMITS.buttonValue + 1);
    const message = renderReply(reply({ suggestions: [{ label: 'long', intent: { type: 'ask', text: long } }] }), { share: long });
    expect(buttons(message.blocks).map((b) => b.action_id)).toEqual([ACTION.voteUp, ACTION.voteDown]);
  });

  it('never splits an emoji or a CJK character outside the BMP where a long passage is cut', () => {
    // Odd offsets put the surrogate pairs across every section boundary Slack's limits make.
    const text = `x${'😀𠀀'.repeat(4000)}`;
    const message = renderReply(reply({ blocks: [{ type: 'text', text }], suggestions: [], actions: [] }));
    const texts = [message.text, ...blockTexts(message.blocks)];
    expect(texts.length).toBeGreaterThan(3);
    for (const t of texts) expect(t).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });
});
