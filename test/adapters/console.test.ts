import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { ConsoleChat } from '../../adapters/console/index.js';
import { noSuchSuggestionText, renderReply } from '../../adapters/console/render.js';
import { createBot } from '../../src/bot.js';
import type { Reply } from '../../src/reply.js';
import { shippedLibrary } from '../helpers.js';

describe('ConsoleChat', () => {
  it('answers each line in order, asks a numbered suggestion, and leaves on /quit', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (c) => (text += c));
    const chat = new ConsoleChat(createBot(shippedLibrary()), { input, output, color: false });
    await chat.start();
    input.write('how do I roll back to a revision\n1\n/quit\n');
    await chat.closed;
    expect(text).toMatch(/^k8s-notes-bot: .*\n\n💡 今日小贴士：/);
    expect(text).toContain('--to-revision');
    expect(text.indexOf('--to-revision')).toBeLessThan(text.lastIndexOf('Source:'));
    expect(text.match(/Source:/g)!.length).toBe(2);
  });
  it('says in one line that a number names no suggestion, instead of asking it', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (c) => (text += c));
    const bot = createBot(shippedLibrary());
    const asked: string[] = [];
    const chat = new ConsoleChat(
      { ...bot, handle: (message) => (asked.push(message.text), bot.handle(message)), request: (request) => (asked.push(`/${request.type}`), bot.request(request)) },
      { input, output, color: false },
    );
    await chat.start();
    input.write('7\nhow do I roll back to a revision\n9\n怎么回滚到指定版本\n42\n/quit\n');
    await chat.closed;
    // Only the tip at start and the two questions reached the core.
    expect(asked).toEqual(['/tip', 'how do I roll back to a revision', '怎么回滚到指定版本']);
    // Each line counts the suggestions of the reply just shown, in its language.
    const [tip, english, chinese] = await Promise.all(['/tip', asked[1]!, asked[2]!].map((q) => bot.handle({ text: q, channel: 'console' })));
    for (const [number, shown] of [[7, tip!], [9, english!], [42, chinese!]] as const) {
      expect(text).toContain(`> ${noSuchSuggestionText(number, shown.suggestions.length, shown.lang)}\n> `);
    }
  });

  it('prints the whole section of the last answer on /more, and says so when there is nothing more to show', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (c) => (text += c));
    const bot = createBot(shippedLibrary());
    const chat = new ConsoleChat(bot, { input, output, color: false });
    await chat.start();
    // Right after the tip, and again once the whole section is shown, there is nothing to expand.
    input.write('/more\nhow do I roll back to a revision\n/more\n/more\n/quit\n');
    await chat.closed;
    const answer = await bot.handle({ text: 'how do I roll back to a revision' });
    const more = answer.actions.find((a) => a.type === 'more');
    expect(more).toBeDefined();
    const section = renderReply(await bot.request({ type: 'more', answerId: more!.answerId, lang: 'en' }), false);
    const shown = renderReply(answer, false);
    expect(shown).not.toContain('rollout resume');
    expect(section).toContain('rollout resume');
    const at = (printed: string) => {
      const index = text.indexOf(`\n${printed}\n\n`);
      expect(index).toBeGreaterThan(-1);
      return index;
    };
    const nothingZh = at(renderReply(await bot.request({ type: 'more', lang: 'zh' }), false));
    const nothingEn = at(renderReply(await bot.request({ type: 'more', lang: 'en' }), false));
    expect(text).toContain('There is no answer to show more of');
    expect(text).toContain('没有可以展开的回答');
    expect(nothingZh).toBeLessThan(at(shown));
    expect(at(shown)).toBeLessThan(at(section));
    expect(at(section)).toBeLessThan(nothingEn);
  });

  it('words the line by how many suggestions there were', () => {
    expect(noSuchSuggestionText(9, 3, 'en')).toBe('There is no suggestion 9: pick 1–3, or type a question.');
    expect(noSuchSuggestionText(2, 0, 'en')).toBe('There is no suggestion 2: the last answer listed none. Type a question instead.');
    expect(noSuchSuggestionText(7, 1, 'zh')).toBe('没有第 7 条建议：可选 1–1，或直接输入问题。');
    expect(noSuchSuggestionText(42, 0, 'zh')).toBe('没有第 42 条建议：上一条回答没有列出建议，请直接输入问题。');
  });
});

describe('renderReply', () => {
  const reply: Reply = {
    kind: 'answer',
    lang: 'en',
    blocks: [
      { type: 'text', text: 'Use `kubectl rollout undo`, see [docs](https://example.com).' },
      { type: 'code', lang: 'bash', code: 'kubectl rollout undo deploy/web' },
      { type: 'fields', fields: [{ name: 'Port', value: '6443' }] },
    ],
    sources: [{ note: 'en/a.md', noteTitle: 'A', section: ['B'], line: 3, score: 1, url: 'https://example.com/a' }],
    suggestions: [{ label: 'A › C', intent: { type: 'ask', text: 'C' } }],
    actions: [],
  };

  it('renders plain text without colour', () => {
    const out = renderReply(reply, false);
    expect(out).not.toContain('\u001b[');
    expect(out).toContain('docs (https://example.com)');
    expect(out).toContain('```bash\nkubectl rollout undo deploy/web\n```');
    expect(out).toContain('Port: 6443');
    expect(out).toContain('Source: A › B  (en/a.md:3  https://example.com/a)');
    expect(out).toContain('[1] A › C');
  });

  it('colours inline code when asked', () => {
    expect(renderReply(reply, true)).toContain('\u001b[36mkubectl rollout undo\u001b[39m');
  });
});
