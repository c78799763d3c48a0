import { describe, expect, it } from 'vitest';
import { say } from '../src/answer/messages.js';
import { createBot } from '../src/bot.js';
import { MAX_QUESTION_LENGTH } from '../src/input.js';
import { plainText } from '../src/reply.js';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../src/store/sqlite.js';
import { tipReply } from '../src/tips/reply.js';
import { TipRotation } from '../src/tips/rotation.js';
import { localDay } from '../src/tips/scheduler.js';
import { openTestStore, shippedLibrary, tempFolder } from './helpers.js';

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

describe('Bot memory: question log, feedback and /tip', () => {
  let dir = '';
  const openStore = () => openTestStore((dir = tempFolder({})));
  /** Reads the tables the way an admin would, beside the store. */
  const rows = (sql: string) => new Database(join(dir, DATABASE_FILE), { readonly: true }).prepare(sql).all();

  it('logs questions without user ids unless told to keep them', async () => {
    const store = openStore();
    const quiet = createBot(shippedLibrary(), { store });
    await quiet.handle({ text: 'how do I set up istio', channel: 'c1', user: 'U123' });
    await quiet.handle({ text: 'apiserver 默认端口', channel: 'c1', user: 'U123' });
    await store.flush();
    expect(rows('SELECT question, answered, channel, user FROM questions ORDER BY id')).toEqual([
      { question: 'how do I set up istio', answered: 0, channel: 'c1', user: null },
      { question: 'apiserver 默认端口', answered: 1, channel: 'c1', user: null },
    ]);
    await createBot(shippedLibrary(), { store, logUsers: true }).handle({ text: 'what is a pod', user: 'U9' });
    await store.flush();
    expect(rows('SELECT user FROM questions ORDER BY id DESC LIMIT 1')).toEqual([{ user: 'U9' }]);
  });

  it('records 👍/👎 feedback and refuses a malformed vote', async () => {
    const store = openStore();
    const bot = createBot(shippedLibrary(), { store });
    const thanks = await bot.request({ type: 'feedback', answerId: 'zh/06-pod.md#L12', vote: 1, channel: 'c1', user: 'U1', lang: 'zh' });
    expect(thanks).toMatchObject({ kind: 'thanks', audience: 'asker', blocks: [{ type: 'text', text: '谢谢，已记下你的反馈。' }] });
    await store.flush();
    expect(rows('SELECT answer_id, vote, channel, user FROM feedback')).toEqual([{ answer_id: 'zh/06-pod.md#L12', vote: 1, channel: 'c1', user: null }]);
    expect(await bot.request({ type: 'feedback', answerId: 'x', vote: 2 as 1 })).toMatchObject({ kind: 'error' });
    await store.flush();
    expect(rows('SELECT count(*) AS n FROM feedback')).toEqual([{ n: 1 }]);
  });

  it('answers /tip with the channel tip of the day from the rotation, in the language asked', async () => {
    const library = shippedLibrary();
    const rotation = new TipRotation(openStore(), () => library.tips);
    const bot = createBot(library, { rotation, tipLang: 'zh', timezone: 'UTC' });
    const zh = await bot.handle({ text: '/tip', channel: 'ops' });
    const chosen = (await rotation.tipFor('ops', localDay(Date.now(), 'UTC')))!.tip;
    expect(zh).toEqual(tipReply(chosen, 'zh', library.resolve));
    expect(plainText(zh)).toMatch(/^💡 今日小贴士：/);
    const en = await bot.handle({ text: '/tip en', channel: 'ops' });
    expect(plainText(en)).toMatch(/^💡 Tip of the day:/);
    expect(en.blocks[1]).toMatchObject({ type: 'code' });
  });
});

describe('Bot.handle in a conversation', () => {
  const converse = async (store: ReturnType<typeof openTestStore>, conversation: string | undefined, ...texts: string[]) => {
    const talking = createBot(shippedLibrary(), { store });
    const replies = [];
    for (const text of texts) replies.push(await talking.handle({ text, ...(conversation ? { conversation } : {}) }));
    return replies;
  };

  it('reads a follow-up with the last turn, says how, and remembers it across bots on one store', async () => {
    const store = openTestStore();
    await converse(store, 'slack:C1:171.1', 'how do I roll back a Deployment');
    // Another process (a restart, a second replica) on the same store carries the conversation on.
    const [followUp] = await converse(store, 'slack:C1:171.1', 'can I go back to one particular revision?');
    expect(followUp!.blocks[0]).toEqual({ type: 'text', text: 'About Deployment:' });
    expect(plainText(followUp!)).toContain('--to-revision');
    await store.close();
  });

  it('reads the same message alone outside the conversation, and after half an hour of quiet', async () => {
    const store = openTestStore();
    await converse(store, 'slack:C1:171.2', 'Deployment 怎么回滚？');
    const [elsewhere] = await converse(store, 'slack:C1:999.9', '能退到某个特定的版本吗？');
    expect(plainText(elsewhere!)).not.toContain('关于 Deployment');
    const later = Date.now() + 31 * 60_000;
    const realNow = Date.now;
    Date.now = () => later;
    try {
      const [stale] = await converse(store, 'slack:C1:171.2', '能退到某个特定的版本吗？');
      expect(plainText(stale!)).not.toContain('关于 Deployment');
    } finally {
      Date.now = realNow;
    }
    await store.close();
  });

  it('starts afresh when the remembered turn does not read back', async () => {
    const store = openTestStore();
    await store.rememberTurn('console', '{"topic": 42}', Date.now());
    const [reply] = await converse(store, 'console', 'apiserver 默认监听哪个端口？');
    expect(plainText(reply!)).toContain('6443');
    expect(reply!.blocks[0]).not.toEqual({ type: 'text', text: expect.stringMatching(/^关于/) });
    await store.close();
  });
});

describe('feedback requests', () => {
  it('counts one person’s votes on one answer once, the latest winning, without keeping who voted', async () => {
    const store = openTestStore();
    const voting = createBot(shippedLibrary(), { store });
    const answerId = 'en/07-deployment.md#L10';
    const before = Date.now() - 1;
    await voting.request({ type: 'feedback', answerId, vote: 1, user: 'U1' });
    await voting.request({ type: 'feedback', answerId, vote: -1, user: 'U1' });
    await voting.request({ type: 'feedback', answerId, vote: -1, user: 'U2' });
    await store.flush();
    expect(await store.downVoted(before, Date.now() + 1, 10)).toEqual([expect.objectContaining({ answerId, down: 2, up: 0 })]);
    await voting.request({ type: 'feedback', answerId, vote: 1, user: 'U1' });
    await voting.request({ type: 'feedback', answerId, vote: 1, user: 'U2' });
    await store.flush();
    expect(await store.downVoted(before, Date.now() + 1, 10)).toEqual([]);
    await store.close();
  });
});

describe('the rate limit', () => {
  const ask = { text: 'how do I roll back to a revision', channel: 'c1' };
  const NOTICE = { kind: 'limited', audience: 'asker', blocks: [{ type: 'text', text: say('rateLimited', 'en', { limit: 2 }) }] };
  const QUIET = { kind: 'limited', audience: 'nobody', blocks: [], sources: [], suggestions: [], actions: [] };

  it('serves each person up to the limit, tells them once, then stays quiet, whoever else asks', async () => {
    const store = openTestStore();
    const limited = createBot(shippedLibrary(), { store, rateLimitPerMinute: 2 });
    const replies = [];
    // Typed text and structured requests count alike.
    replies.push(await limited.handle({ ...ask, user: 'U1' }));
    replies.push(await limited.request({ type: 'lookup', tool: 'kubectl', query: 'rollout undo', user: 'U1' }));
    replies.push(await limited.handle({ ...ask, user: 'U1' }));
    replies.push(await limited.request({ type: 'tip', user: 'U1' }));
    replies.push(await limited.handle({ ...ask, user: 'U1' }));
    expect(replies.map((r) => r.kind)).toEqual(['answer', 'answer', 'limited', 'limited', 'limited']);
    expect(replies[0]!.audience).toBeUndefined();
    expect(replies[2]).toMatchObject(NOTICE);
    expect(replies[3]).toMatchObject(QUIET);
    expect(replies[4]).toMatchObject(QUIET);
    // Someone else has their own minute.
    const other = await limited.handle({ ...ask, user: 'U2' });
    expect(other.kind).toBe('answer');
    expect(other.audience).toBeUndefined();
    await store.close();
  });

  it('words the notice in the language of the request', async () => {
    const store = openTestStore();
    const limited = createBot(shippedLibrary(), { store, rateLimitPerMinute: 1 });
    await limited.handle({ text: 'Deployment 怎么回滚？', user: 'U1' });
    expect(await limited.handle({ text: 'Deployment 怎么回滚？', user: 'U1' })).toMatchObject({ kind: 'limited', lang: 'zh', blocks: [{ type: 'text', text: say('rateLimited', 'zh', { limit: 1 }) }] });
    await store.close();
  });

  it('never limits a request without a person, nor anyone when the limit is 0', async () => {
    const store = openTestStore();
    const anonymous = createBot(shippedLibrary(), { store, rateLimitPerMinute: 1 });
    const unlimited = createBot(shippedLibrary(), { store, rateLimitPerMinute: 0 });
    for (let i = 0; i < 4; i++) {
      expect((await anonymous.handle(ask)).kind).toBe('answer');
      expect((await unlimited.handle({ ...ask, user: 'U3' })).kind).toBe('answer');
    }
    await store.close();
  });
});

describe('Bot.request', () => {
  it('shows the whole section an answer showed part of, by the answer’s id', async () => {
    const asking = bot();
    const answer = await asking.handle({ text: 'how do I roll back to a revision' });
    const more = answer.actions.find((a) => a.type === 'more');
    expect(more).toEqual({ type: 'more', answerId: expect.stringMatching(/^en\/07-deployment\.md#L\d+$/) });
    const section = await asking.request({ type: 'more', answerId: more!.answerId });
    expect(section.kind).toBe('answer');
    expect(section.sources).toEqual([expect.objectContaining({ note: answer.sources[0]!.note, section: answer.sources[0]!.section, line: answer.sources[0]!.line })]);
    // The answer's passages, and the rest of the section after them.
    expect(section.blocks).toEqual(expect.arrayContaining(answer.blocks));
    expect(section.blocks.length).toBeGreaterThan(answer.blocks.length);
    expect(plainText(answer)).not.toContain('rollout resume');
    expect(plainText(section)).toContain('rollout resume');
    // All of it is shown, so there is nothing more to ask for; the votes are on the same answer.
    expect(section.actions).toEqual([{ type: 'feedback', answerId: more!.answerId }]);
  });

  it('says so for an answer id the notes do not have, and for a "more" without one', async () => {
    expect(await bot().request({ type: 'more', answerId: 'en/07-deployment.md#L99999', lang: 'en' })).toMatchObject({
      kind: 'not-found',
      blocks: [{ type: 'text', text: say('sectionGone', 'en') }],
    });
    expect(await bot().request({ type: 'more', lang: 'zh' })).toMatchObject({ kind: 'help', lang: 'zh', blocks: [{ type: 'text', text: say('nothingMore', 'zh') }] });
  });

  it('looks a command up the same as typing it', async () => {
    const asking = bot();
    const structured = await asking.request({ type: 'lookup', tool: 'kubectl', query: 'rollout undo' });
    expect(structured.kind).toBe('answer');
    expect(plainText(structured)).toContain('kubectl rollout undo');
    expect(structured).toEqual(await asking.handle({ text: '/kubectl rollout undo' }));
  });
});
