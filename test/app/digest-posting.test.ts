import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { main, type Io } from '../../app/cli.js';
import { checkDigestChannels } from '../../app/platforms.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { FakeDiscord, IDS, TOKEN } from '../adapters/discord/fake-discord.js';
import { FakeSlack, GOOD_APP_TOKEN, GOOD_BOT_TOKEN } from '../adapters/slack/fake-slack.js';
import { tempFolder } from '../helpers.js';

const NOTE = `---\ntitle: Storage\nlang: en\n---\n\n# Storage\n\n## Claims\n\nA PersistentVolumeClaim asks for storage of a size and access mode; Kubernetes binds it to a PersistentVolume.\n`;
const SLACK_DIGEST = 'C0MAINT001';

/** `start` in this process, with `env` on top of a notes folder and no ops server; stopped by `stop`. */
function startBot(env: NodeJS.ProcessEnv) {
  let logged = '';
  const stderr = new PassThrough();
  stderr.on('data', (chunk) => (logged += String(chunk)));
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const io: Io = {
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    stderr,
    env: { KNOWLEDGE_DIR: tempFolder({ 'storage.md': NOTE }), DATA_DIR: tempFolder({}), OPS_PORT: '0', LOG_LEVEL: 'info', ...env },
    cwd: tempFolder({}),
    untilStopped: () => stopped,
  };
  return { exited: main(['start'], io), stop, logged: () => logged };
}

describe("start posting the maintainers' digest", () => {
  it('posts it to a Slack and a Discord digest channel when the schedule fires, and once however often it fires again', async () => {
    const slack = await FakeSlack.start();
    const discord = await FakeDiscord.start();
    const dataDir = tempFolder({});
    // A question the notes could not answer, asked an hour ago: the digest must list it.
    const opened = openSqliteStore(dataDir);
    if (!opened.ok) throw new Error(opened.error);
    opened.value.logQuestion({ question: 'where do core dumps go', lang: 'en', answered: false, at: Date.now() - 3_600_000 });
    await opened.value.close();

    const bot = startBot({
      DATA_DIR: dataDir,
      SLACK_BOT_TOKEN: GOOD_BOT_TOKEN,
      SLACK_APP_TOKEN: GOOD_APP_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: IDS.application,
      DISCORD_API_URL: discord.apiUrl,
      DIGEST_CHANNELS: `slack:${SLACK_DIGEST}, ${IDS.channel}`,
      // Every second, with no catch-up: nothing is posted on start, only when a run comes due.
      DIGEST_CRON: '* * * * * *',
      DAILY_TIP_CATCHUP: '0',
      DAILY_TIP_TZ: 'UTC',
      DAILY_TIP_LANG: 'en',
    });
    const slackPosts = () => slack.callsOf('chat.postMessage').filter((c) => c.args.channel === SLACK_DIGEST);
    const discordPosts = () => discord.find('POST', new RegExp(`^/channels/${IDS.channel}/messages$`));
    try {
      await vi.waitFor(() => expect(bot.logged()).toContain('"msg":"ready"'), { timeout: 20_000, interval: 100 });
      const scheduled = bot.logged().split('\n').filter((line) => line.includes("maintainers' digest scheduled"));
      expect(scheduled.map((line) => JSON.parse(line) as { platform: string; channels: number }).map(({ platform, channels }) => [platform, channels])).toEqual([
        ['slack', 1],
        ['discord', 1],
      ]);

      await vi.waitFor(() => expect([slackPosts().length, discordPosts().length]).toEqual([1, 1]), { timeout: 10_000, interval: 100 });
      const [post] = slackPosts();
      expect(post!.args.thread_ts).toBeUndefined();
      expect(post!.args.text).toContain("Maintainers' digest");
      expect(JSON.stringify(post!.args.blocks)).toContain('where do core dumps go');
      expect(JSON.stringify(discordPosts()[0]!.body)).toContain('where do core dumps go');

      // The schedule fires twice more within this wait; the week's digest is out already in both channels.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect([slackPosts().length, discordPosts().length]).toEqual([1, 1]);
      const posted = bot.logged().split('\n').filter((line) => line.includes("the maintainers' digest posted"));
      expect(posted).toHaveLength(2);
      for (const line of posted) expect(JSON.parse(line)).toMatchObject({ job: 'digest' });

      bot.stop();
      expect(await bot.exited).toBe(0);
    } finally {
      bot.stop();
      await bot.exited;
      await slack.close();
      await discord.close();
    }
  }, 40_000);

  it('refuses to start, naming DIGEST_CHANNELS and the entry, when a digest channel is on a platform not set up', async () => {
    const slack = await FakeSlack.start();
    try {
      const bot = startBot({ SLACK_BOT_TOKEN: GOOD_BOT_TOKEN, SLACK_APP_TOKEN: GOOD_APP_TOKEN, SLACK_API_URL: slack.apiUrl, DIGEST_CHANNELS: `${SLACK_DIGEST},discord:${IDS.channel}` });
      expect(await bot.exited).toBe(2);
      expect(bot.logged()).toBe(
        `DIGEST_CHANNELS lists discord:${IDS.channel}, but Discord is not configured: set DISCORD_TOKEN and DISCORD_APPLICATION_ID, or take it out of DIGEST_CHANNELS.\n`,
      );
      // Said before anything starts: Slack was never asked for a socket.
      expect(slack.callsOf('apps.connections.open')).toHaveLength(0);
    } finally {
      await slack.close();
    }
  });

  it('lists every digest channel of a platform not set up in one sentence', () => {
    const discordOnly = { discord: { token: TOKEN, applicationId: IDS.application, tipChannels: [] } };
    expect(checkDigestChannels({ ...discordOnly, digestChannels: { slack: ['C0MAINT001', 'G0MAINT002'], discord: [IDS.channel] } })).toEqual({
      ok: false,
      error: 'DIGEST_CHANNELS lists slack:C0MAINT001, slack:G0MAINT002, but Slack is not configured: set SLACK_BOT_TOKEN (with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET), or take them out of DIGEST_CHANNELS.',
    });
    expect(checkDigestChannels({ ...discordOnly, digestChannels: { slack: [], discord: [IDS.channel] } })).toEqual({ ok: true, value: undefined });
  });
});
