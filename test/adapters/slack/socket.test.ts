import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACTION } from '../../../adapters/slack/render.js';
import { BOT_USER_ID, blockAction, eventCallback, GOOD_APP_TOKEN, slashCommand } from './fake-slack.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ transport: () => ({ mode: 'socket', appToken: GOOD_APP_TOKEN }) });
  await h.adapter.start();
});

afterAll(async () => {
  await h?.close();
});

async function acked(envelopeId: string) {
  return vi.waitFor(() => {
    const ack = h.fake.acks.get(envelopeId);
    expect(ack).toBeDefined();
    return ack!;
  });
}

describe('Slack adapter in Socket Mode', () => {
  it('opens the connection with the app token and is connected when start() resolves', () => {
    const opened = h.fake.callsOf('apps.connections.open');
    expect(opened).toHaveLength(1);
    expect(opened[0]!.token).toBe(GOOD_APP_TOKEN);
    expect(h.fake.connectedSockets).toBe(1);
  });

  it('acks a mention by its envelope id and answers in the thread', async () => {
    const event = { type: 'app_mention', user: 'UASKER001', text: `<@${BOT_USER_ID}> how do I roll back to a revision`, ts: '1700002000.000001', channel: 'C0TEAM001' };
    const envelope = h.fake.sendEnvelope('events_api', eventCallback(event));
    expect(await acked(envelope)).toMatchObject({ envelope_id: envelope });
    const reply = await vi.waitFor(() => {
      const found = h.fake.callsOf('chat.postMessage').find((c) => c.args.thread_ts === event.ts);
      expect(found).toBeDefined();
      return found!.args;
    });
    expect(reply.text).toContain('--to-revision');
  });

  it('answers the same event sent on a reconnect once', async () => {
    const event = { type: 'message', channel_type: 'im', user: 'UASKER001', text: 'what is a PVC', ts: '1700002000.000002', channel: 'D0DIRECT01' };
    const callback = eventCallback(event);
    const first = h.fake.sendEnvelope('events_api', callback);
    const again = h.fake.sendEnvelope('events_api', callback);
    await acked(first);
    await acked(again);
    await vi.waitFor(() => expect(h.fake.callsOf('chat.postMessage').filter((c) => c.args.channel === 'D0DIRECT01')).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.fake.callsOf('chat.postMessage').filter((c) => c.args.channel === 'D0DIRECT01')).toHaveLength(1);
  });

  it('acks a slash command and answers through its response URL', async () => {
    const envelope = h.fake.sendEnvelope('slash_commands', slashCommand('/kubectl', 'rollout undo', h.fake.responseUrl('socket-cmd')));
    await acked(envelope);
    const [body] = await vi.waitFor(() => {
      const found = h.fake.responsesTo('socket-cmd');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(body).toMatchObject({ response_type: 'ephemeral' });
    expect(body!.text).toContain('kubectl rollout undo');
  });

  it('acks a button click and acts on it', async () => {
    const value = JSON.stringify({ answerId: 'kubectl rollout undo', lang: 'zh' });
    const envelope = h.fake.sendEnvelope(
      'interactive',
      blockAction({ actionId: ACTION.voteUp, value, channel: 'C0TEAM001', responseUrl: h.fake.responseUrl('socket-vote'), message: { ts: '1700002000.000003' } }),
    );
    await acked(envelope);
    await vi.waitFor(() => expect(h.fake.responsesTo('socket-vote')).toMatchObject([{ response_type: 'ephemeral', replace_original: false, text: '谢谢，已记下你的反馈。' }]));
  });

  it('closes the connection promptly on stop', async () => {
    const started = Date.now();
    await h.adapter.stop();
    expect(Date.now() - started).toBeLessThan(2000);
    await vi.waitFor(() => expect(h.fake.connectedSockets).toBe(0));
  });
});
