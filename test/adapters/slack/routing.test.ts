import { describe, expect, it } from 'vitest';
import type { MessageEvent } from '../../../adapters/slack/payloads.js';
import { intentFromCommand, whereToAnswer } from '../../../adapters/slack/routing.js';

describe('intentFromCommand', () => {
  it.each([
    ['/k8s', ' how do I roll back ', { type: 'ask', text: 'how do I roll back' }],
    ['/k8s', 'tip', { type: 'tip' }],
    ['/k8s', 'tip en', { type: 'tip', lang: 'en' }],
    ['/k8s', 'tip klingon', { type: 'tip' }],
    ['/k8s', 'tips for pods', { type: 'ask', text: 'tips for pods' }],
    ['/k8s', 'help', { type: 'ask', text: 'help' }],
    ['/kubectl', 'rollout undo', { type: 'lookup', tool: 'kubectl', query: 'rollout undo' }],
    ['/docker', '', { type: 'lookup', tool: 'docker', query: '' }],
  ] as const)('reads %s "%s" as a structured request', (command, text, intent) => {
    expect(intentFromCommand(command, text)).toEqual(intent);
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
