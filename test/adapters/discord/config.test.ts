import { describe, expect, it } from 'vitest';
import { loadDiscordConfig } from '../../../adapters/discord/index.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB';

describe('loadDiscordConfig', () => {
  it('is undefined when DISCORD_TOKEN is unset or empty: Discord is not configured', () => {
    expect(loadDiscordConfig({})).toEqual({ ok: true, value: undefined });
    expect(loadDiscordConfig({ DISCORD_TOKEN: ' ', DISCORD_APPLICATION_ID: 'x' })).toEqual({ ok: true, value: undefined });
  });

  it('reads every setting, with empty optional values meaning unset', () => {
    expect(
      loadDiscordConfig({
        DISCORD_TOKEN: TOKEN,
        DISCORD_APPLICATION_ID: '123456789012345678',
        DISCORD_GUILD_ID: '',
        DISCORD_API_URL: 'http://127.0.0.1:3000/api',
        DISCORD_TIP_CHANNELS: ' 223456789012345678, 323456789012345678 ,',
      }),
    ).toEqual({
      ok: true,
      value: { token: TOKEN, applicationId: '123456789012345678', apiUrl: 'http://127.0.0.1:3000/api', tipChannels: ['223456789012345678', '323456789012345678'] },
    });
  });

  it('lists every bad variable in one message and never echoes the token', () => {
    const result = loadDiscordConfig({
      DISCORD_TOKEN: 'Bot not-a-token',
      DISCORD_APPLICATION_ID: 'my-app',
      DISCORD_GUILD_ID: '12',
      DISCORD_API_URL: 'ftp://example.com',
      DISCORD_TIP_CHANNELS: '223456789012345678,general',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    for (const name of ['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID', 'DISCORD_GUILD_ID', 'DISCORD_API_URL', 'DISCORD_TIP_CHANNELS']) expect(result.error).toContain(`- ${name}:`);
    expect(result.error).toContain('(got "my-app")');
    expect(result.error).not.toContain('not-a-token');
  });

  it('says that DISCORD_APPLICATION_ID is needed with DISCORD_TOKEN, and where to find it', () => {
    for (const applicationId of [undefined, '', '  ']) {
      const result = loadDiscordConfig({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: applicationId });
      expect(result.ok ? '' : result.error).toBe(
        'Invalid Discord configuration:\n  - DISCORD_APPLICATION_ID: needed with DISCORD_TOKEN: the Application ID from Developer Portal > your application > General Information',
      );
    }
  });

  it('rejects a channel listed twice', () => {
    const result = loadDiscordConfig({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: '123456789012345678', DISCORD_TIP_CHANNELS: '223456789012345678,223456789012345678' });
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('listed twice') });
  });
});
