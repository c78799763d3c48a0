import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACTION } from '../../../adapters/slack/render.js';
import type { Reply } from '../../../src/reply.js';
import { DATABASE_FILE } from '../../../src/store/sqlite.js';
import { BOT_USER_ID, blockAction, eventCallback, GOOD_BOT_TOKEN, signedPost, slashCommand } from './fake-slack.js';
import { blockTexts, buttons, everything } from './blocks.js';
import { SIGNING_SECRET, startHarness, type Harness } from './harness.js';

let h: Harness;
let eventsUrl: string;
let seq = 0;
/** A fresh message timestamp, so tests never collide in the dedupe table. */
const ts = () => `1700001000.${String(++seq).padStart(6, '0')}`;

const postJson = (body: unknown, extra: { retryNum?: number; timestamp?: number; secret?: string } = {}) =>
  signedPost(eventsUrl, JSON.stringify(body), { secret: extra.secret ?? SIGNING_SECRET, contentType: 'application/json', ...extra });
const postForm = (fields: Record<string, string>) =>
  signedPost(eventsUrl, new URLSearchParams(fields).toString(), { secret: SIGNING_SECRET, contentType: 'application/x-www-form-urlencoded' });
const postAction = (payload: Record<string, unknown>) => postForm({ payload: JSON.stringify(payload) });

const mention = (text: string, extra: { thread_ts?: string } = {}): Record<string, unknown> & { ts: string; thread_ts?: string } => ({
  type: 'app_mention',
  user: 'UASKER001',
  text: `<@${BOT_USER_ID}> ${text}`,
  ts: ts(),
  channel: 'C0TEAM001',
  event_ts: '1',
  ...extra,
});

/** Waits until the fake has `count` posts matching `match`, and returns them. */
async function posted(match: (args: Record<string, unknown>) => boolean, count = 1) {
  return vi.waitFor(
    () => {
      const found = h.fake.callsOf('chat.postMessage').filter((c) => match(c.args));
      expect(found).toHaveLength(count);
      return found.map((c) => c.args);
    },
    { timeout: 3000, interval: 10 },
  );
}

async function responded(id: string, count = 1) {
  return vi.waitFor(
    () => {
      const found = h.fake.responsesTo(id);
      expect(found).toHaveLength(count);
      return found;
    },
    { timeout: 3000, interval: 10 },
  );
}

beforeAll(async () => {
  h = await startHarness({ transport: () => ({ mode: 'http', signingSecret: SIGNING_SECRET, port: 0, host: '127.0.0.1' }) });
  await h.adapter.start();
  eventsUrl = `http://127.0.0.1:${h.adapter.address!.port}/slack/events`;
});

afterAll(async () => {
  await h?.close();
});

describe('Slack adapter over HTTP: messages', () => {
  it('answers a mention in a thread started at the mention, with sources and feedback buttons', async () => {
    const event = mention('how do I roll back to a revision');
    const res = await postJson(eventCallback(event));
    expect(res.status).toBe(200);
    const [reply] = await posted((a) => a.thread_ts === event.ts);
    expect(reply!.channel).toBe('C0TEAM001');
    expect(reply!.text).toContain('--to-revision');
    expect(blockTexts(reply!.blocks).some((t) => t.startsWith('Sources: 1. Deployments and rollouts'))).toBe(true);
    expect(buttons(reply!.blocks).map((b) => b.action_id)).toEqual(expect.arrayContaining([ACTION.voteUp, ACTION.voteDown, `${ACTION.suggestPrefix}0`]));
    expect(h.fake.callsOf('chat.postMessage').at(-1)!.token).toBe(GOOD_BOT_TOKEN);
    await vi.waitFor(async () => expect(await h.store.isBotThread('C0TEAM001', event.ts)).toBe(true));
  });

  it('answers a mention inside a thread in that thread', async () => {
    const thread = ts();
    await postJson(eventCallback(mention('what is a PVC', { thread_ts: thread })));
    const [reply] = await posted((a) => a.thread_ts === thread);
    expect(reply!.text).toMatch(/PersistentVolumeClaim|PVC/);
  });

  it('answers a follow-up without a mention in a thread it answered in, and nothing elsewhere', async () => {
    const first = mention('what is a PVC');
    await postJson(eventCallback(first));
    await vi.waitFor(async () => expect(await h.store.isBotThread('C0TEAM001', first.ts)).toBe(true));
    const strangerThread = ts();
    const message = (text: string, extra: Record<string, unknown>) => ({ type: 'message', channel_type: 'channel', channel: 'C0TEAM001', user: 'UASKER001', text, ts: ts(), ...extra });
    await postJson(eventCallback(message('what is a pod', { thread_ts: strangerThread })));
    await postJson(eventCallback(message('what is a pod', {})));
    await postJson(eventCallback(message('how do I roll back to a revision', { thread_ts: first.ts })));
    const replies = await posted((a) => a.thread_ts === first.ts, 2);
    expect(replies[1]!.text).toContain('rollout undo');
    expect(h.fake.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === strangerThread || c.args.thread_ts === undefined && c.args.channel === 'C0TEAM001')).toHaveLength(0);
  });

  it('reads a follow-up in its thread with the thread’s last question, and says how', async () => {
    const first = mention('how do I roll back a Deployment');
    await postJson(eventCallback(first));
    await posted((a) => a.thread_ts === first.ts);
    const followUp = { type: 'message', channel_type: 'channel', channel: 'C0TEAM001', user: 'UASKER001', text: 'can I go back to one particular revision?', ts: ts(), thread_ts: first.ts };
    await postJson(eventCallback(followUp));
    const replies = await posted((a) => a.thread_ts === first.ts, 2);
    expect(replies[1]!.text).toMatch(/^About Deployment:/);
    expect(replies[1]!.text).toContain('--to-revision');
    // The same words in another thread are a question of their own.
    const elsewhere = mention('can I go back to one particular revision?');
    await postJson(eventCallback(elsewhere));
    const [alone] = await posted((a) => a.thread_ts === elsewhere.ts);
    expect(alone!.text).not.toMatch(/^About /);
  });

  it('answers a direct message in the conversation, not in a thread', async () => {
    const event = { type: 'message', channel_type: 'im', channel: 'D0DIRECT01', user: 'UASKER001', text: 'what is a PVC', ts: ts() };
    await postJson(eventCallback(event));
    const [reply] = await posted((a) => a.channel === 'D0DIRECT01');
    expect(reply!.thread_ts).toBeUndefined();
    expect(await h.store.isBotThread('D0DIRECT01', event.ts)).toBe(false);
  });

  it('ignores bots, its own messages, edits and joins', async () => {
    const dm = (extra: Record<string, unknown>) => ({ type: 'message', channel_type: 'im', channel: 'D0QUIET001', user: 'UASKER001', text: 'what is a PVC', ts: ts(), ...extra });
    await postJson(eventCallback(dm({ bot_id: 'BOTHER001', user: 'UOTHERBOT' })));
    await postJson(eventCallback(dm({ user: BOT_USER_ID })));
    await postJson(eventCallback(dm({ subtype: 'message_changed' })));
    await postJson(eventCallback(dm({ subtype: 'channel_join', text: '<@UASKER001> has joined the channel' })));
    // A plain message last: once it is answered, the ones before it would have been too.
    await postJson(eventCallback(dm({ text: 'what is a pod' })));
    const [reply] = await posted((a) => a.channel === 'D0QUIET001');
    expect(reply!.text).toMatch(/Pod/);
  });

  it('answers a redelivered event, and the message twin of a mention, once', async () => {
    const event = mention('what is a PVC', { thread_ts: ts() });
    const callback = eventCallback(event);
    await postJson(callback);
    await postJson(callback, { retryNum: 1 });
    await postJson(eventCallback({ ...event, type: 'message', channel_type: 'channel' }));
    await posted((a) => a.thread_ts === event.thread_ts);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await posted((a) => a.thread_ts === event.thread_ts);
  });

  it('answers the redelivery of an event whose answer could not be posted', async () => {
    h.fake.failNext('chat.postMessage', { status: 200, body: { ok: false, error: 'internal_error' } });
    const event = mention('what is a PVC');
    const callback = eventCallback(event);
    await postJson(callback);
    await vi.waitFor(() => expect(h.logText()).toContain('answering a mention failed'));
    await postJson(callback, { retryNum: 1 });
    await posted((a) => a.thread_ts === event.ts && a.text !== undefined, 2);
  });

  it('waits out a 429 and posts the answer', async () => {
    h.fake.failNext('chat.postMessage', { status: 429, headers: { 'retry-after': '1' } });
    const event = mention('what is a PVC');
    const started = Date.now();
    await postJson(eventCallback(event));
    await vi.waitFor(() => expect(h.fake.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === event.ts)).toHaveLength(2), { timeout: 4000, interval: 20 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('does not let <!channel> or @here in a question reach Slack as a mention', async () => {
    const event = { type: 'message', channel_type: 'im', channel: 'D0SAFE0001', user: 'UASKER001', text: '/kubectl <!channel> @here &lt;!here&gt;', ts: ts() };
    await postJson(eventCallback(event));
    const [reply] = await posted((a) => a.channel === 'D0SAFE0001');
    const all = everything(reply);
    expect(all).toContain('channel');
    expect(all).not.toMatch(/<!(channel|here|everyone)/);
    expect(all).not.toMatch(/@(channel|here)/);
  });

  it('drops an event it cannot read and keeps answering', async () => {
    const res = await postJson(eventCallback({ type: 'app_mention', user: 'UASKER001', text: 'no channel', ts: 'yesterday' }));
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(h.logText()).toContain('dropped a Slack message event'));
    const event = mention('what is a PVC');
    await postJson(eventCallback(event));
    await posted((a) => a.thread_ts === event.ts);
  });
});

describe('Slack adapter over HTTP: signatures', () => {
  it('refuses a bad signature and a stale timestamp, and answers neither', async () => {
    const before = h.fake.calls.length;
    const bad = await postJson(eventCallback(mention('what is a PVC')), { secret: 'not-the-signing-secret-at-all' });
    expect(bad.status).toBe(401);
    const stale = await postJson(eventCallback(mention('what is a PVC')), { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 });
    expect(stale.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.fake.calls.length).toBe(before);
  });
});

describe('Slack adapter over HTTP: slash commands and buttons', () => {
  it('acks /k8s at once and answers privately with a share button', async () => {
    const res = await postForm(slashCommand('/k8s', 'how do I roll back to a revision', h.fake.responseUrl('k8s-q')));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    const [body] = await responded('k8s-q');
    expect(body!.response_type).toBe('ephemeral');
    expect(body!.text).toContain('--to-revision');
    expect(buttons(body!.blocks).map((b) => b.action_id)).toContain(ACTION.share);
  });

  it('maps /k8s tip, /k8s help, /kubectl and /docker onto the core', async () => {
    await postForm(slashCommand('/k8s', 'tip', h.fake.responseUrl('k8s-tip')));
    await postForm(slashCommand('/k8s', 'help', h.fake.responseUrl('k8s-help')));
    await postForm(slashCommand('/kubectl', 'rollout undo', h.fake.responseUrl('kubectl')));
    await postForm(slashCommand('/docker', 'run', h.fake.responseUrl('docker')));
    expect((await responded('k8s-tip'))[0]!.text).toContain('Tip of the day');
    const help = (await responded('k8s-help'))[0]!;
    expect(help.text).toContain('I answer questions');
    expect(buttons(help.blocks).map((b) => b.action_id)).not.toContain(ACTION.share);
    expect((await responded('kubectl'))[0]!.text).toContain('kubectl rollout undo');
    expect((await responded('docker'))[0]!.text).toContain('docker run');
  });

  it('shares the private answer it gave in the channel, without asking again, and removes the private copy', async () => {
    const question = 'how do I pause a rollout';
    await postForm(slashCommand('/k8s', question, h.fake.responseUrl('to-share')));
    const [ephemeral] = await responded('to-share');
    const share = buttons(ephemeral!.blocks).find((b) => b.action_id === ACTION.share)!;
    const res = await postAction(blockAction({ actionId: ACTION.share, value: share.value, channel: 'C0CMD0001', responseUrl: h.fake.responseUrl('share'), ephemeral: true }));
    expect(res.status).toBe(200);
    const [shared, removed] = await responded('share', 2);
    expect(shared!.response_type).toBe('in_channel');
    expect(blockTexts(shared!.blocks)[0]).toBe(`<@UCLICK001> shared: ${question}`);
    // The same answer, less the share button: the private blocks follow the "shared" line unchanged.
    type Element = { action_id?: string };
    const withoutShare = (blocks: unknown) =>
      (blocks as { type: string; elements?: Element[] }[]).map((b) => (b.type === 'actions' ? { ...b, elements: b.elements!.filter((e) => e.action_id !== ACTION.share) } : b));
    expect((shared!.blocks as unknown[]).slice(1)).toEqual(withoutShare(ephemeral!.blocks));
    expect(shared!.text).toBe(ephemeral!.text);
    expect(buttons(shared!.blocks).map((b) => b.action_id)).not.toContain(ACTION.share);
    expect(removed).toEqual({ delete_original: true });
    await h.store.flush();
    const db = new Database(join(h.dataDir, DATABASE_FILE), { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM questions WHERE question = ?').get(question)).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });

  it('drops a share click whose value it did not make, posting nothing', async () => {
    await postAction(blockAction({ actionId: ACTION.share, value: 'how do I roll back to a revision', channel: 'C0CMD0001', responseUrl: h.fake.responseUrl('forged'), ephemeral: true }));
    await vi.waitFor(() => expect(h.logText()).toContain('dropped a share click it could not read'), { timeout: 3000, interval: 10 });
    expect(h.fake.responsesTo('forged')).toEqual([]);
  });

  it('records a 👍 and a 👎 in the feedback table and thanks the voter privately', async () => {
    const value = JSON.stringify({ answerId: 'en/07-deployment.md#L65', lang: 'en' });
    await postAction(blockAction({ actionId: ACTION.voteUp, value, channel: 'C0TEAM001', responseUrl: h.fake.responseUrl('up'), message: { ts: ts() } }));
    await postAction(blockAction({ actionId: ACTION.voteDown, value, channel: 'C0TEAM001', responseUrl: h.fake.responseUrl('down'), message: { ts: ts() } }));
    expect((await responded('up'))[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: expect.stringContaining('Thanks') });
    await responded('down');
    await h.store.flush();
    const db = new Database(join(h.dataDir, DATABASE_FILE), { readonly: true });
    try {
      const votes = db.prepare('SELECT vote, channel FROM feedback WHERE answer_id = ? ORDER BY id').all('en/07-deployment.md#L65');
      expect(votes).toEqual([
        { vote: 1, channel: 'C0TEAM001' },
        { vote: -1, channel: 'C0TEAM001' },
      ]);
    } finally {
      db.close();
    }
  });

  it('posts the whole section in the thread when "Show the whole section" is clicked on an answer there', async () => {
    const event = mention('how do I roll back to a revision');
    await postJson(eventCallback(event));
    const [answer] = await posted((a) => a.thread_ts === event.ts);
    // The answer stopped before the end of its section: these lines come later in it.
    expect(answer!.text).not.toContain('rollout resume');
    expect(answer!.text).not.toContain('kubernetes.io/change-cause');
    const more = buttons(answer!.blocks).find((b) => b.action_id === ACTION.more)!;
    expect(JSON.parse(more.value)).toEqual({ answerId: expect.stringMatching(/^en\/07-deployment\.md#L\d+$/), lang: 'en' });

    await postAction(blockAction({ actionId: ACTION.more, value: more.value, channel: 'C0TEAM001', responseUrl: h.fake.responseUrl('more'), message: { ts: ts(), thread_ts: event.ts } }));
    const [, section] = await posted((a) => a.thread_ts === event.ts, 2);
    expect(section!.channel).toBe('C0TEAM001');
    expect(section!.text).toContain('--to-revision');
    expect(section!.text).toContain('rollout resume');
    expect(section!.text).toContain('kubernetes.io/change-cause');
    // The whole section has nothing more to show; its votes are on the same answer.
    expect(buttons(section!.blocks).map((b) => [b.action_id, b.value])).toEqual([
      [ACTION.voteUp, more.value],
      [ACTION.voteDown, more.value],
    ]);
    expect(h.fake.responsesTo('more')).toEqual([]);
  });

  it('asks a suggestion in the thread of the message it was on, and privately under a slash command', async () => {
    const answer = { ts: ts(), thread_ts: ts() };
    const value = JSON.stringify({ type: 'ask', text: 'Rolling update', lang: 'en' });
    await postAction(blockAction({ actionId: `${ACTION.suggestPrefix}0`, value, channel: 'C0TEAM001', responseUrl: h.fake.responseUrl('s1'), message: answer }));
    const [inThread] = await posted((a) => a.thread_ts === answer.thread_ts);
    expect(inThread!.text).toMatch(/rolling update/i);

    await postAction(blockAction({ actionId: `${ACTION.suggestPrefix}1`, value, channel: 'C0CMD0001', responseUrl: h.fake.responseUrl('s2'), ephemeral: true }));
    const [privately] = await responded('s2');
    expect(privately).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(privately!.text).toMatch(/rolling update/i);
  });
});

describe('Slack adapter over HTTP: the rate limit', () => {
  const NOTICE = "You've sent more than 2 requests in a minute";
  let limited: Harness;
  let url: string;
  /** What the bot replied, to whom, in order: how a test knows a request was served when nothing is posted. */
  const served: { user: string | undefined; reply: Reply }[] = [];
  const keep = async (user: string | undefined, pending: Promise<Reply>) => {
    const reply = await pending;
    served.push({ user, reply });
    return reply;
  };
  const servedTo = (user: string) => served.filter((s) => s.user === user).map((s) => [s.reply.kind, s.reply.audience]);

  beforeAll(async () => {
    limited = await startHarness({
      transport: () => ({ mode: 'http', signingSecret: SIGNING_SECRET, port: 0, host: '127.0.0.1' }),
      rateLimitPerMinute: 2,
      wrapBot: (bot) => ({ ...bot, handle: (message) => keep(message.user, bot.handle(message)), request: (request) => keep(request.user, bot.request(request)) }),
    });
    await limited.adapter.start();
    url = `http://127.0.0.1:${limited.adapter.address!.port}/slack/events`;
  });

  afterAll(async () => {
    await limited?.close();
  });

  const waitLong = { timeout: 10_000, interval: 10 };

  it('answers mentions up to the limit, then tells the person once with chat.postEphemeral, then posts nothing', async () => {
    const asks = ['how do I roll back to a revision', 'what is a PVC', 'what is a PVC', 'what is a PVC'].map((text) => ({ ...mention(text), user: 'ULIMIT001' }));
    const send = (event: Record<string, unknown>) => signedPost(url, JSON.stringify(eventCallback(event)), { secret: SIGNING_SECRET, contentType: 'application/json' });
    const postsIn = (thread: string) => limited.fake.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === thread);
    for (const event of asks.slice(0, 2)) {
      await send(event);
      await vi.waitFor(() => expect(postsIn(event.ts)).toHaveLength(1), waitLong);
    }
    await send(asks[2]!);
    await vi.waitFor(() => expect(limited.fake.callsOf('chat.postEphemeral')).toHaveLength(1), waitLong);
    await send(asks[3]!);
    await vi.waitFor(() => expect(servedTo('ULIMIT001')).toHaveLength(4), waitLong);
    // Time for the fourth to be posted, were it going to be.
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(servedTo('ULIMIT001')).toEqual([
      ['answer', undefined],
      ['answer', undefined],
      ['limited', 'asker'],
      ['limited', 'nobody'],
    ]);
    expect(limited.fake.callsOf('chat.postMessage').map((c) => c.args.thread_ts)).toEqual([asks[0]!.ts, asks[1]!.ts]);
    const [notice] = limited.fake.callsOf('chat.postEphemeral');
    expect(notice!.args).toMatchObject({ channel: 'C0TEAM001', user: 'ULIMIT001', thread_ts: asks[2]!.ts });
    expect(notice!.args.text).toContain(NOTICE);
    expect(limited.fake.callsOf('chat.postEphemeral')).toHaveLength(1);
  }, 30_000);

  it('answers slash commands up to the limit, then one ephemeral notice, then no response at all', async () => {
    const ids = ['lim-1', 'lim-2', 'lim-3', 'lim-4'];
    const send = (id: string) =>
      signedPost(url, new URLSearchParams(slashCommand('/kubectl', 'rollout undo', limited.fake.responseUrl(id), { user_id: 'USLASH001' })).toString(), {
        secret: SIGNING_SECRET,
        contentType: 'application/x-www-form-urlencoded',
      });
    const responses: Record<string, unknown>[] = [];
    for (const id of ids.slice(0, 3)) {
      await send(id);
      const response = await vi.waitFor(() => {
        const [found] = limited.fake.responsesTo(id);
        expect(found).toBeDefined();
        return found!;
      }, waitLong);
      responses.push(response);
    }
    await send(ids[3]!);
    await vi.waitFor(() => expect(servedTo('USLASH001')).toHaveLength(4), waitLong);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const [first, second, notice] = responses;
    for (const answered of [first, second]) {
      expect(answered!.response_type).toBe('ephemeral');
      expect(answered!.text).toContain('kubectl rollout undo');
    }
    expect(notice).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(notice!.text).toContain(NOTICE);
    // A notice is not worth sharing in the channel.
    expect(buttons(notice!.blocks).map((b) => b.action_id)).not.toContain(ACTION.share);
    expect(servedTo('USLASH001').at(-1)).toEqual(['limited', 'nobody']);
    expect(ids.map((id) => limited.fake.responsesTo(id).length)).toEqual([1, 1, 1, 0]);
  }, 30_000);
});

describe('Slack adapter over HTTP: logs', () => {
  it('never writes a token into the log', () => {
    expect(h.logText()).toContain('"lib":"bolt"');
    expect(h.logText()).not.toContain(GOOD_BOT_TOKEN);
    expect(h.logText()).not.toMatch(/xox[bp]-/);
  });
});
