import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISCORD_COMMANDS } from '../../../adapters/discord/commands.js';
import { registerDiscordCommands, type DiscordConfig } from '../../../adapters/discord/index.js';
import { createLogger } from '../../../src/log.js';
import { FakeDiscord, IDS, TOKEN } from './fake-discord.js';

const quietLog = createLogger('silent', new Writable({ write: (_c, _e, done) => done() }));

describe('registerDiscordCommands against a fake Discord', () => {
  let fake: FakeDiscord;
  let config: DiscordConfig;

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    config = { token: TOKEN, applicationId: IDS.application, apiUrl: fake.apiUrl, tipChannels: [] };
  });
  afterAll(() => fake.close());

  it('overwrites the guild commands in one PUT, and again identically when run twice', async () => {
    const guild = { ...config, guildId: IDS.guild };
    expect(await registerDiscordCommands(guild, quietLog)).toEqual({ ok: true, value: { scope: 'guild', count: 4 } });
    expect(await registerDiscordCommands(guild, quietLog)).toEqual({ ok: true, value: { scope: 'guild', count: 4 } });
    const puts = fake.find('PUT', /commands$/);
    expect(puts.map((p) => p.path)).toEqual([`/applications/${IDS.application}/guilds/${IDS.guild}/commands`, `/applications/${IDS.application}/guilds/${IDS.guild}/commands`]);
    expect(puts[0]!.authorization).toBe(`Bot ${TOKEN}`);
    expect(puts[1]!.body).toEqual(puts[0]!.body);

    const body = puts[0]!.body as any[];
    expect(body.map((c) => c.name)).toEqual(['k8s', 'kubectl', 'docker', 'tip']);
    for (const command of body) {
      expect(command.name_localizations['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      expect(command.description_localizations['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      expect(command.options.find((o: any) => o.name === 'private')).toMatchObject({ type: 5, required: false });
    }
    const query = (name: string) => body.find((c) => c.name === name).options.find((o: any) => o.name === 'query');
    expect(query('kubectl')).toMatchObject({ type: 3, required: true, autocomplete: true });
    expect(query('docker')).toMatchObject({ type: 3, required: true, autocomplete: true });
    expect(body.find((c) => c.name === 'k8s').options[0]).toMatchObject({ name: 'question', type: 3, required: true, max_length: 2000 });
  });

  it('registers globally without a guild id', async () => {
    expect(await registerDiscordCommands(config, quietLog)).toEqual({ ok: true, value: { scope: 'global', count: DISCORD_COMMANDS.length } });
    expect(fake.find('PUT', /commands$/).at(-1)!.path).toBe(`/applications/${IDS.application}/commands`);
  });

  it('says what to check when Discord refuses', async () => {
    fake.failWith('PUT', /\/guilds\//, 403);
    try {
      const refused = await registerDiscordCommands({ ...config, guildId: IDS.guild }, quietLog);
      expect(refused).toMatchObject({ ok: false, error: expect.stringContaining('applications.commands') });
    } finally {
      fake.clearFailures();
    }
    const badToken = await registerDiscordCommands({ ...config, token: 'd3Jvbmc.wrong.token' }, quietLog);
    expect(badToken).toMatchObject({ ok: false, error: expect.stringContaining('DISCORD_TOKEN') });
    if (!badToken.ok) expect(badToken.error).not.toContain('d3Jvbmc.wrong.token');
  });
});

describe('DISCORD_COMMANDS', () => {
  // Discord's rules for command and option names (lowercase where the script has case) and description lengths.
  const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
  const named = DISCORD_COMMANDS.flatMap((command) => [command, ...(command.options ?? [])]);

  it('uses names Discord accepts, in English and Chinese', () => {
    for (const item of named) {
      for (const name of [item.name, ...Object.values(item.name_localizations ?? {})]) {
        expect(name).toMatch(NAME);
        expect(name).toBe(name!.toLowerCase());
      }
    }
  });

  it('keeps every description within 100 characters', () => {
    for (const item of named) {
      for (const description of [item.description, ...Object.values(item.description_localizations ?? {})]) expect(description!.length).toBeLessThanOrEqual(100);
    }
  });
});
