import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import { BOT_USER_ID, eventCallback, FakeSlack, GOOD_APP_TOKEN, GOOD_BOT_TOKEN } from '../adapters/slack/fake-slack.js';
import { tempFolder } from '../helpers.js';
import { compileForChild } from '../support/compile.js';
import { freePort, SlackGate } from './slack-gate.js';

const NOTE = `---\ntitle: Storage\nlang: en\n---\n\n# Storage\n\n## Claims\n\nA PersistentVolumeClaim (PVC) is a request for storage: it asks for a size and an access mode, and Kubernetes binds it to a PersistentVolume.\n`;

/**
 * `k8s-notes-bot start` as its own process (the code as compiled now), serving Slack Socket Mode against a
 * fake Slack behind a gate that decides when a post reaches it; signalled the way Kubernetes stops a pod.
 */
describe('a running bot told to stop by a signal', () => {
  let cli: ReturnType<typeof compileForChild>;
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(() => {
    cli = compileForChild(join(packageRoot, 'app/cli.ts'));
  }, 60_000);
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(() => cli.remove());

  async function startBot() {
    const fake = await FakeSlack.start();
    const gate = await SlackGate.start(fake.apiUrl);
    const port = await freePort();
    const child = spawn(process.execPath, [cli.entry, 'start'], {
      cwd: tempFolder({}),
      env: {
        PATH: process.env.PATH,
        SLACK_BOT_TOKEN: GOOD_BOT_TOKEN,
        SLACK_APP_TOKEN: GOOD_APP_TOKEN,
        SLACK_API_URL: gate.apiUrl,
        OPS_PORT: String(port),
        OPS_HOST: '127.0.0.1',
        SHUTDOWN_GRACE: '10s',
        KNOWLEDGE_DIR: tempFolder({ 'storage.md': NOTE }),
        DATA_DIR: tempFolder({}),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exit;
      await gate.close();
      await fake.close();
    });
    const readiness = async () => {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      return { status: res.status, ...((await res.json()) as { checks: Record<string, string> }) };
    };
    await vi.waitFor(async () => expect((await readiness()).status).toBe(200), { timeout: 30_000, interval: 200 });
    const ask = (ts: string) =>
      fake.sendEnvelope('events_api', eventCallback({ type: 'app_mention', user: 'UASKER001', text: `<@${BOT_USER_ID}> what is a PVC`, ts, channel: 'C0TEAM001' }));
    const postsIn = (thread: string) => fake.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === thread);
    return { child, exit, gate, readiness, ask, postsIn, stderr: () => stderr };
  }

  it('on SIGTERM mid-answer stops taking traffic, posts the answer, and exits 0', async () => {
    const bot = await startBot();
    const posting = bot.gate.hold('chat.postMessage');
    bot.ask('1700007000.000001');
    await posting.arrived;
    bot.child.kill('SIGTERM');
    await vi.waitFor(async () => expect(await bot.readiness()).toMatchObject({ status: 503, checks: { shutdown: 'shutting down' } }));
    // Still waiting for Slack to take the answer: the process must not be gone, nor the answer dropped.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(bot.child.exitCode).toBeNull();
    expect(bot.postsIn('1700007000.000001')).toHaveLength(0);

    posting.release();
    expect(await bot.exit, bot.stderr()).toEqual({ code: 0, signal: null });
    const [post] = bot.postsIn('1700007000.000001');
    expect(post?.args.text).toContain('PersistentVolumeClaim');
    expect(bot.stderr()).toContain('"msg":"stopped"');
  }, 60_000);

  it('on a second SIGTERM exits at once with 143, without waiting for the answer', async () => {
    const bot = await startBot();
    const posting = bot.gate.hold('chat.postMessage');
    bot.ask('1700007000.000002');
    await posting.arrived;
    bot.child.kill('SIGTERM');
    await vi.waitFor(async () => expect((await bot.readiness()).status).toBe(503));
    bot.child.kill('SIGTERM');
    expect(await bot.exit).toEqual({ code: 143, signal: null });
    expect(bot.stderr()).toContain('SIGTERM again: exiting without waiting for answers in flight.');
    posting.release();
    expect(bot.postsIn('1700007000.000002')).toHaveLength(0);
  }, 60_000);
});
