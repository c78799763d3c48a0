import { describe, expect, it } from 'vitest';
import { configuredPlatforms } from '../../app/platforms.js';

describe('DIGEST_CHANNELS', () => {
  it('tells Slack digest channels from Discord ones by their shape or their prefix, each listed once', () => {
    const platforms = configuredPlatforms({ DIGEST_CHANNELS: ' C0123ABC, 123456789012345678,slack:G0456DEF ,Discord:22345678901234567890,, D0DM1,slack:C0123ABC' });
    expect(platforms.ok && platforms.value.digestChannels).toEqual({ slack: ['C0123ABC', 'G0456DEF', 'D0DM1'], discord: ['123456789012345678', '22345678901234567890'] });
    expect(configuredPlatforms({ DIGEST_CHANNELS: ' ' })).toMatchObject({ ok: true, value: { digestChannels: { slack: [], discord: [] } } });
    expect(configuredPlatforms({})).toMatchObject({ ok: true, value: { digestChannels: { slack: [], discord: [] } } });
  });

  it('names DIGEST_CHANNELS and every entry that is not a channel id of either platform', () => {
    const platforms = configuredPlatforms({ DIGEST_CHANNELS: 'C0123ABC,#maintainers,discord:C0456DEF,slack:123456789012345678,1234567890123456' });
    const message = platforms.ok ? '' : platforms.error;
    expect(message).toContain(
      '  - DIGEST_CHANNELS: "#maintainers" is not a channel id; "discord:C0456DEF" is not a Discord channel id (17 to 20 digits); ' +
        '"slack:123456789012345678" is not a Slack channel id such as C0123456789; "1234567890123456" is not a channel id: expected Slack ids',
    );
    expect(message).toContain('or Discord ids of 17 to 20 digits');
    expect(message).not.toContain('"C0123ABC" is not');
  });

  it('never shows a token pasted into the list', () => {
    const listed = configuredPlatforms({ DIGEST_CHANNELS: 'C0123ABC,xoxb-1234-5678-secretvalue' });
    expect(listed.ok ? '' : listed.error).toContain('DIGEST_CHANNELS: an entry that looks like a token: expected');
    expect(listed.ok ? '' : listed.error).not.toContain('secretvalue');
  });
});
