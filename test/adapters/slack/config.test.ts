import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, loadSlackConfig } from '../../../adapters/slack/config.js';

const BOT = 'xoxb-1111-2222-abcdef';
const APP = 'xapp-1-A111-3333-abcdef';
const SECRET = '0123456789abcdef0123456789abcdef';

describe('loadSlackConfig', () => {
  it('is undefined when SLACK_BOT_TOKEN is unset or empty', () => {
    expect(loadSlackConfig({})).toEqual({ ok: true, value: undefined });
    expect(loadSlackConfig({ SLACK_BOT_TOKEN: '', PORT: '8080' })).toEqual({ ok: true, value: undefined });
  });

  it('uses Socket Mode when an app token is set, and needs no signing secret then', () => {
    expect(loadSlackConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, SLACK_TIP_CHANNELS: 'C0123ABC, G0456DEF,' })).toEqual({
      ok: true,
      value: { botToken: BOT, transport: { mode: 'socket', appToken: APP }, tipChannels: ['C0123ABC', 'G0456DEF'], retry: DEFAULT_RETRY },
    });
  });

  it('uses HTTP mode on PORT (3000 unless set) otherwise, with an optional API URL', () => {
    const config = loadSlackConfig({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: 'https://slack-gov.com/api/' });
    expect(config.ok && config.value).toMatchObject({ transport: { mode: 'http', signingSecret: SECRET, port: 3000 }, apiUrl: 'https://slack-gov.com/api/', tipChannels: [] });
    const onPort = loadSlackConfig({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, PORT: '8080' });
    expect(onPort.ok && onPort.value?.transport).toEqual({ mode: 'http', signingSecret: SECRET, port: 8080 });
  });

  it('lists every bad variable by name in one message, without showing secrets', () => {
    const config = loadSlackConfig({
      SLACK_BOT_TOKEN: 'xoxp-user-token-by-mistake',
      SLACK_APP_TOKEN: 'xoxb-wrong-kind',
      PORT: 'eighty',
      SLACK_API_URL: 'ftp://example.com',
      SLACK_TIP_CHANNELS: '#general',
    });
    expect(config.ok).toBe(false);
    const message = config.ok ? '' : config.error;
    expect(message).toMatch(/^Invalid Slack configuration:/);
    for (const name of ['SLACK_BOT_TOKEN: expected the Bot User OAuth Token', 'SLACK_APP_TOKEN: expected an app-level token', 'PORT: expected a port number', 'SLACK_API_URL: expected an http(s) URL', 'SLACK_TIP_CHANNELS: expected channel ids']) {
      expect(message).toContain(name);
    }
    expect(message).toContain('(got "#general")');
    expect(message).not.toContain('xoxp-user-token-by-mistake');
    expect(message).not.toContain('xoxb-wrong-kind');
  });

  it.each(['70000', '3000.5', '-1', '80 80'])('names the port range for PORT=%s, not a type', (port) => {
    const config = loadSlackConfig({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, PORT: port });
    expect(config.ok ? '' : config.error).toBe(`Invalid Slack configuration:\n  - PORT: expected a port number from 0 to 65535 (got "${port}")`);
  });

  it('asks for the signing secret in HTTP mode, and for the bot token beside an app token', () => {
    const noSecret = loadSlackConfig({ SLACK_BOT_TOKEN: BOT });
    expect(noSecret.ok ? '' : noSecret.error).toContain('SLACK_SIGNING_SECRET: required in HTTP mode; or set SLACK_APP_TOKEN');
    const noBot = loadSlackConfig({ SLACK_APP_TOKEN: APP });
    expect(noBot.ok ? '' : noBot.error).toContain('SLACK_BOT_TOKEN: required as well when SLACK_APP_TOKEN is set');
  });

  it('reports a missing companion together with malformed values', () => {
    const config = loadSlackConfig({ SLACK_BOT_TOKEN: BOT, SLACK_TIP_CHANNELS: 'general' });
    const message = config.ok ? '' : config.error;
    expect(message).toContain('SLACK_TIP_CHANNELS');
    expect(message).toContain('SLACK_SIGNING_SECRET');
  });
});
