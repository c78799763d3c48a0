import { describe, expect, it } from 'vitest';
import type { MessageEvent } from '../../../adapters/slack/payloads.js';
import { askFromCommand, whereToAnswer } from '../../../adapters/slack/routing.js';

describe('askFromCommand', () => {
  it.each([
    ['/k8s', ' how do I roll back ', 'how do I roll back'],
    ['/k8s', 'tip', '/tip'],
    ['/k8s', 'tip en', '/tip en'],
    ['/k8s', 'tips for pods', 'tips for pods'],
    ['/k8s', 'help', 'help'],
    ['/kubectl', 'rollout undo', '/kubectl rollout undo'],
    ['/docker', '', '/docker'],
  ])('maps %s "%s" onto what the core reads: "%s"', (command, text, asked) => {
    expect(askFromCommand(command, text)).toBe(asked);
  });
});

describe('whereToAnswer', () => {
  const base: MessageEvent = { type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: 'hi', ts: '1.1' };
  const botThreads = (channel: string, thread: string) => channel === 'C1' && thread === '0.5';
  it('answers mentions in their thread, DMs in place, and channel messages only in bot threads', () => {
    expect(whereToAnswer({ ...base, type: 'app_mention' }, 'UBOT', botThreads)).toEqual({ thread: '1.1' });
    expect(whereToAnswer({ ...base, type: 'app_mention', thread_ts: '0.9' }, 'UBOT', botThreads)).toEqual({ thread: '0.9' });
    expect(whereToAnswer({ ...base, channel: 'D1', channel_type: 'im' }, 'UBOT', botThreads)).toEqual({ thread: undefined });
    expect(whereToAnswer({ ...base, thread_ts: '0.5' }, 'UBOT', botThreads)).toEqual({ thread: '0.5' });
    expect(whereToAnswer({ ...base, thread_ts: '0.6' }, 'UBOT', botThreads)).toBeUndefined();
    expect(whereToAnswer(base, 'UBOT', botThreads)).toBeUndefined();
  });

  it('stays quiet for bots, itself, edits and joins', () => {
    const dm: MessageEvent = { ...base, channel: 'D1', channel_type: 'im' };
    expect(whereToAnswer({ ...dm, bot_id: 'B1' }, 'UBOT', botThreads)).toBeUndefined();
    expect(whereToAnswer({ ...dm, user: 'UBOT' }, 'UBOT', botThreads)).toBeUndefined();
    expect(whereToAnswer({ ...dm, subtype: 'message_changed' }, 'UBOT', botThreads)).toBeUndefined();
    expect(whereToAnswer({ ...dm, subtype: 'channel_join' }, 'UBOT', botThreads)).toBeUndefined();
  });

  it('answers a thread reply also sent to the channel, and a message with a file', () => {
    expect(whereToAnswer({ ...base, subtype: 'thread_broadcast', thread_ts: '0.5' }, 'UBOT', botThreads)).toEqual({ thread: '0.5' });
    expect(whereToAnswer({ ...base, channel: 'D1', channel_type: 'im', subtype: 'file_share' }, 'UBOT', botThreads)).toEqual({ thread: undefined });
  });
});
