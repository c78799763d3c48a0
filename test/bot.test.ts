import { describe, expect, it } from 'vitest';
import { createBot, MAX_QUESTION_LENGTH } from '../src/bot.js';
import { plainText } from '../src/reply.js';
import { shippedLibrary } from './helpers.js';

const bot = () => createBot(shippedLibrary());

describe('Bot.handle', () => {
  it('answers a question with passage, source and a feedback action', async () => {
    const reply = await bot().handle({ text: 'Pod 的重启策略默认是什么', channel: 'c1', user: 'u1' });
    expect(reply.kind).toBe('answer');
    expect(reply.lang).toBe('zh');
    expect(plainText(reply)).toContain('Always');
    expect(reply.actions).toEqual([{ type: 'feedback', answerId: expect.stringMatching(/^zh\/06-pod\.md#L\d+$/) }]);
  });

  it('routes help and /ask', async () => {
    expect((await bot().handle({ text: '/help' })).kind).toBe('help');
    expect((await bot().handle({ text: '帮助' })).lang).toBe('zh');
    expect((await bot().handle({ text: '' })).kind).toBe('help');
    expect(plainText(await bot().handle({ text: '/ask which port does etcd use' }))).toContain('2379-2380');
  });

  it('names an unknown command and shows help', async () => {
    const reply = await bot().handle({ text: '/frobnicate now' });
    expect(reply.kind).toBe('help');
    expect(plainText(reply)).toContain('/frobnicate');
  });

  it('follows the language hint over the text', async () => {
    expect((await bot().handle({ text: 'help', lang: 'zh' })).lang).toBe('zh');
  });

  it('refuses an over-long question with a reason, and malformed input without throwing', async () => {
    const long = await bot().handle({ text: 'pod '.repeat(MAX_QUESTION_LENGTH) });
    expect(long.kind).toBe('error');
    expect(plainText(long)).toContain(String(MAX_QUESTION_LENGTH));
    const malformed = await bot().handle({ text: 42 } as never);
    expect(malformed.kind).toBe('error');
    expect(plainText(malformed)).toContain('text');
  });

  it('says "not in the notes" for an off-topic question', async () => {
    const reply = await bot().handle({ text: 'what is the best pizza topping?' });
    expect(reply.kind).toBe('not-found');
    expect(reply.sources).toEqual([]);
  });
});
