import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { ConsoleChat } from '../../adapters/console/index.js';
import { renderReply } from '../../adapters/console/render.js';
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
    suggestions: [{ label: 'A › C', ask: 'C' }],
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
