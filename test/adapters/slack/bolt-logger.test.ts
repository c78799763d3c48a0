import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { boltLogger, boltMessage } from '../../../adapters/slack/bolt-logger.js';
import { createLogger } from '../../../src/log.js';

describe('boltLogger', () => {
  it('masks Slack tokens inside free-form messages, errors and objects', () => {
    const line = boltMessage(['calling with xoxb-123-456-abc', new Error('refused xapp-1-A1-2-def'), { header: 'Bearer xoxp-9-9-zzz' }]);
    expect(line).toBe('calling with [redacted] Error: refused [redacted] {"header":"Bearer [redacted]"}');
  });

  it("writes Bolt's messages through the bot's logger, tagged as Bolt's", () => {
    const sink = new PassThrough();
    let written = '';
    sink.on('data', (chunk) => (written += String(chunk)));
    const logger = boltLogger(createLogger('info', sink));
    logger.debug('not shown at info');
    logger.warn('rate limited, token xoxb-1-2-3');
    const lines = written.trim().split('\n').map((l) => JSON.parse(l) as { lib: string; msg: string; level: number });
    expect(lines).toEqual([expect.objectContaining({ lib: 'bolt', msg: 'rate limited, token [redacted]', level: 40 })]);
  });
});
