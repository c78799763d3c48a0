import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SLASH_COMMANDS } from '../../../adapters/slack/routing.js';
import { packageRoot } from '../../../src/paths.js';

interface Manifest {
  features: { slash_commands: { command: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] }; interactivity: { is_enabled: boolean }; socket_mode_enabled: boolean };
}

const manifest = parse(readFileSync(join(packageRoot, 'adapters/slack/manifest.yaml'), 'utf8')) as Manifest;

describe('the Slack app manifest', () => {
  it('declares the slash commands the adapter answers', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([...SLASH_COMMANDS]);
  });

  it('subscribes to the events and grants the scopes the adapter relies on', () => {
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(expect.arrayContaining(['app_mention', 'message.im', 'message.channels', 'message.groups']));
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['app_mentions:read', 'chat:write', 'commands', 'im:history', 'channels:history', 'groups:history', 'reactions:write']),
    );
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });
});
