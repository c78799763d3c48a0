import { describe, expect, it } from 'vitest';
import { ButtonIdSchema } from '../../../adapters/discord/buttons.js';
import { DISCORD_LIMITS, embedSize, neutraliseMentions, renderReply } from '../../../adapters/discord/render.js';
import type { Reply, Source } from '../../../src/reply.js';

const reply = (overrides: Partial<Reply> = {}): Reply => ({
  kind: 'answer',
  lang: 'en',
  blocks: [
    { type: 'text', text: 'Use `kubectl rollout undo`, see [docs](https://example.com).' },
    { type: 'code', lang: 'bash', code: 'kubectl rollout undo deploy/web\nkubectl rollout status deploy/web' },
    { type: 'fields', fields: [{ name: 'Port', value: '6443' }] },
  ],
  sources: [
    { note: 'en/a.md', noteTitle: 'A', section: ['B'], line: 3, score: 1, url: 'https://example.com/a' },
    { note: 'en/c.md', noteTitle: 'C', section: ['D', 'E'], line: 9, score: 1 },
  ],
  suggestions: [{ label: 'A › Rolling update', intent: { type: 'ask', text: 'Rolling update' } }],
  actions: [{ type: 'feedback', answerId: 'en/a.md#L3' }],
  ...overrides,
});

const withinLimits = (messages: ReturnType<typeof renderReply>) => {
  for (const message of messages) {
    expect(message.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedsPerMessage);
    expect(message.embeds.reduce((sum, e) => sum + embedSize(e), 0)).toBeLessThanOrEqual(DISCORD_LIMITS.charactersPerMessage);
    for (const embed of message.embeds) {
      expect(embed.description?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.description);
      expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.fieldsPerEmbed);
    }
  }
};

describe('renderReply', () => {
  it('renders a short reply as one embed with the blocks, numbered sources, and buttons', () => {
    const [message, ...more] = renderReply(reply());
    expect(more).toEqual([]);
    const [embed] = message!.embeds;
    expect(embed!.description).toBe(
      'Use `kubectl rollout undo`, see [docs](https://example.com).\n\n```bash\nkubectl rollout undo deploy/web\nkubectl rollout status deploy/web\n```\n\n**Port**: 6443',
    );
    expect(embed!.fields).toEqual([
      { name: '1. A › B', value: '[en/a.md:3](https://example.com/a)' },
      { name: '2. C › D › E', value: '`en/c.md:9`' },
    ]);
    expect(message!.components.map((row) => row.components.map((b) => ('custom_id' in b ? b.custom_id : undefined)))).toEqual([
      ['ask:en:Rolling update'],
      ['vote:up:en/a.md#L3', 'vote:down:en/a.md#L3'],
    ]);
  });

  it('gives buttons ids that decode back to the request each press makes', () => {
    const lookup = { label: 'kubectl scale', intent: { type: 'lookup' as const, tool: 'kubectl' as const, query: 'scale' } };
    const shown = reply({ lang: 'zh', suggestions: [...reply().suggestions, lookup], actions: [...reply().actions, { type: 'more', answerId: 'en/a.md#L3' }] });
    const ids = renderReply(shown)[0]!.components.flatMap((row) => row.components.map((b) => ('custom_id' in b ? b.custom_id : '')));
    expect(ids.map((id) => ButtonIdSchema.parse(id))).toEqual([
      { type: 'ask', lang: 'zh', text: 'Rolling update' },
      { type: 'lookup', lang: 'zh', tool: 'kubectl', query: 'scale' },
      { type: 'feedback', vote: 1, answerId: 'en/a.md#L3' },
      { type: 'feedback', vote: -1, answerId: 'en/a.md#L3' },
      { type: 'more', answerId: 'en/a.md#L3' },
    ]);
    expect(ButtonIdSchema.safeParse('vote:sideways:x').success).toBe(false);
    expect(ButtonIdSchema.safeParse('lookup:en:kubeadm init').success).toBe(false);
    expect(ButtonIdSchema.safeParse(`ask:en:${'x'.repeat(100)}`).success).toBe(false);
  });

  it('leaves out buttons whose text cannot travel in a custom id, and shortens long labels', () => {
    const [message] = renderReply(
      reply({
        suggestions: [
          { label: 'L'.repeat(120), intent: { type: 'ask', text: 'short' } },
          { label: 'too long to ask', intent: { type: 'ask', text: 'x'.repeat(120) } },
        ],
        actions: [{ type: 'feedback', answerId: 'y'.repeat(120) }],
      }),
    );
    expect(message!.components).toHaveLength(1);
    const [button] = message!.components[0]!.components;
    expect(button).toMatchObject({ custom_id: 'ask:en:short', label: `${'L'.repeat(79)}…` });
  });

  it('neutralises mentions in text, fields, sources and labels but leaves code as written', () => {
    const [message] = renderReply(
      reply({
        blocks: [
          { type: 'text', text: 'ping @everyone and @here and <@123456789012345678> and <@&123456789012345678>' },
          { type: 'fields', fields: [{ name: '@everyone', value: '@here' }] },
          { type: 'code', lang: 'sh', code: 'echo @everyone' },
        ],
        sources: [{ note: 'a.md', noteTitle: '@everyone', section: [], line: 1, score: 1 }],
        suggestions: [{ label: '@here', intent: { type: 'ask', text: 'x' } }],
      }),
    );
    const json = JSON.stringify(message);
    expect(json.replace('echo @everyone', '')).not.toMatch(/@everyone|@here|<@\d|<@&/);
    expect(message!.embeds[0]!.description).toContain('```sh\necho @everyone\n```');
  });

  it('splits a long answer over several messages within every embed limit, code blocks fenced on each piece', () => {
    const long = 'Kubernetes keeps the desired state of every object and reconciles it. '.repeat(200);
    const code = Array.from({ length: 600 }, (_, i) => `  key${i}: value${i}`).join('\n');
    const sources: Source[] = Array.from({ length: 30 }, (_, i) => ({ note: `en/${i}.md`, noteTitle: `Note ${i}`, section: ['S'], line: i, score: 1 }));
    const messages = renderReply(reply({ blocks: [{ type: 'text', text: long }, { type: 'code', lang: 'yaml', code }], sources }));
    expect(messages.length).toBeGreaterThan(1);
    withinLimits(messages);
    const descriptions = messages.flatMap((m) => m.embeds.map((e) => e.description ?? ''));
    const codePieces = descriptions.join('\n\n').match(/```yaml\n[\s\S]*?\n```/g)!;
    expect(codePieces.length).toBeGreaterThan(1);
    expect(codePieces.map((p) => p.slice('```yaml\n'.length, -'\n```'.length)).join('\n')).toBe(code);
    expect(messages.flatMap((m) => m.embeds.flatMap((e) => e.fields ?? []))).toHaveLength(25);
    expect(messages.slice(0, -1).every((m) => m.components.length === 0)).toBe(true);
    expect(messages.at(-1)!.components).toHaveLength(2);
  });

  it('never splits an emoji or a CJK character outside the BMP where a long passage is cut', () => {
    const text = `x${'😀𠀀'.repeat(4000)}`;
    const messages = renderReply(reply({ blocks: [{ type: 'text', text }], suggestions: [{ label: `x${'😀'.repeat(60)}`, intent: { type: 'ask', text: 'emoji' } }] }));
    const texts = messages.flatMap((m) => [
      ...m.embeds.flatMap((e) => [e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value])]),
      ...m.components.flatMap((row) => row.components.map((b) => ('label' in b ? (b.label ?? '') : ''))),
    ]);
    expect(messages.length).toBeGreaterThan(1);
    for (const t of texts) expect(t).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });

  it('colours the embed by kind', () => {
    expect(renderReply(reply({ kind: 'error' }))[0]!.embeds[0]!.color).not.toBe(renderReply(reply())[0]!.embeds[0]!.color);
  });
});

describe('neutraliseMentions', () => {
  it('breaks @everyone, @here and user or role mentions', () => {
    expect(neutraliseMentions('@everyone @Here <@1> <@!2> <@&3>')).toBe('@\u200beveryone @\u200bHere <@\u200b1> <@\u200b!2> <@\u200b&3>');
  });
});
