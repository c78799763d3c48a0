import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main, type Io } from '../../app/cli.js';
import { BOT_USER_ID, eventCallback, FakeSlack, GOOD_APP_TOKEN, GOOD_BOT_TOKEN, slashCommand } from '../adapters/slack/fake-slack.js';
import { tempFolder } from '../helpers.js';
import { parsePrometheusText, sampleValue } from './prometheus-text.js';
import { freePort, SlackGate, type Held } from './slack-gate.js';

const NOTE = `---\ntitle: Storage\nlang: en\n---\n\n# Storage\n\n## Claims\n\nA PersistentVolumeClaim (PVC) is a request for storage: it asks for a size and an access mode, and Kubernetes binds it to a PersistentVolume.\n`;

/** The bot as `k8s-notes-bot start` runs it (in this process), serving Slack Socket Mode through a gate to a fake Slack. */
let fake: FakeSlack;
let gate: SlackGate;
let ops: string;
let connecting: Held;
let stop: () => void;
let exited: Promise<number>;
let logged = '';
let knowledgeDir: string;

const get = async (path: string) => {
  const res = await fetch(`${ops}${path}`);
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json: () => JSON.parse(text) as { ready: boolean; checks: Record<string, string> } };
};

const readiness = async () => {
  const res = await get('/readyz');
  return { status: res.status, ...res.json() };
};

const mention = (text: string, ts: string) =>
  fake.sendEnvelope('events_api', eventCallback({ type: 'app_mention', user: 'UASKER001', text: `<@${BOT_USER_ID}> ${text}`, ts, channel: 'C0TEAM001' }));

const postedIn = (thread: string) =>
  vi.waitFor(() => {
    const found = fake.callsOf('chat.postMessage').find((c) => c.args.thread_ts === thread);
    expect(found).toBeDefined();
    return found!.args;
  });

beforeAll(async () => {
  fake = await FakeSlack.start();
  gate = await SlackGate.start(fake.apiUrl);
  const port = await freePort();
  ops = `http://127.0.0.1:${port}`;
  // Slack is slow to hand out the socket URL: start-up has to be seen before the platform connects.
  connecting = gate.hold('apps.connections.open');
  const stderr = new PassThrough();
  stderr.on('data', (chunk) => (logged += String(chunk)));
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const io: Io = {
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    stderr,
    env: {
      SLACK_BOT_TOKEN: GOOD_BOT_TOKEN,
      SLACK_APP_TOKEN: GOOD_APP_TOKEN,
      SLACK_API_URL: gate.apiUrl,
      OPS_PORT: String(port),
      OPS_HOST: '127.0.0.1',
      SHUTDOWN_GRACE: '5s',
      KNOWLEDGE_DIR: (knowledgeDir = tempFolder({ 'storage.md': NOTE })),
      DATA_DIR: tempFolder({}),
      LOG_LEVEL: 'info',
    },
    cwd: tempFolder({}),
    untilStopped: () => stopped,
  };
  exited = main(['start'], io);
}, 30_000);

afterAll(async () => {
  stop?.();
  connecting?.release();
  await exited;
  await gate?.close();
  await fake?.close();
});

describe('the ops server of start', () => {
  it('is alive on /healthz and not ready on /readyz until Slack is connected', async () => {
    const health = await vi.waitFor(() => get('/healthz'), { timeout: 10_000 });
    expect(health.status).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    await connecting.arrived;
    const early = await readiness();
    expect(early.status).toBe(503);
    expect(early.ready).toBe(false);
    expect(early.checks.slack).toBe('connecting');

    connecting.release();
    await vi.waitFor(async () => expect(await readiness()).toEqual({ status: 200, ready: true, checks: { notes: 'ok', store: 'ok', slack: 'ok' } }), { timeout: 10_000 });
    expect((await get('/nowhere')).status).toBe(404);
  }, 20_000);

  it('is not ready while the Slack socket is lost, ready again once it reconnects, and counts the reconnect', async () => {
    expect(fake.connectedSockets).toBe(1);
    // Slack's own request to reconnect, as it sends when it recycles a connection; the frame goes out like any other.
    fake.sendEnvelope('disconnect' as 'events_api', { reason: 'refresh_requested' });
    await vi.waitFor(async () => expect(await readiness()).toMatchObject({ status: 503, checks: { slack: 'not connected', notes: 'ok', store: 'ok' } }), { timeout: 5_000 });
    await vi.waitFor(async () => expect((await readiness()).status).toBe(200), { timeout: 15_000, interval: 200 });
    expect(fake.connectedSockets).toBe(1);
    const metrics = parsePrometheusText((await get('/metrics')).text);
    expect(sampleValue(metrics, 'k8s_notes_bot_platform_reconnects_total', { platform: 'slack' })).toBe(1);
  }, 25_000);

  it('serves Prometheus text whose counters follow real questions through Slack', async () => {
    const before = parsePrometheusText((await get('/metrics')).text);
    expect(sampleValue(before, 'k8s_notes_bot_questions_total', { outcome: 'answered' })).toBeUndefined();

    // Slack rate-limits the first post: the Web API client waits and tries again.
    fake.failNext('chat.postMessage', { status: 429, headers: { 'retry-after': '0' }, body: { ok: false, error: 'ratelimited' } });
    mention('what is a PVC', '1700005000.000001');
    const inThread = () => fake.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === '1700005000.000001');
    await vi.waitFor(() => expect(inThread()).toHaveLength(2), { timeout: 10_000 });
    expect(inThread()[1]!.args.text).toContain('PersistentVolumeClaim');
    mention('how long should sourdough bread proof', '1700005000.000002');
    await postedIn('1700005000.000002');
    // The same event again, as Slack redelivers it: answered once, counted as deduplicated.
    mention('what is a PVC', '1700005000.000001');
    fake.sendEnvelope('slash_commands', slashCommand('/kubectl', 'rollout undo', fake.responseUrl('ops-lookup')));
    await vi.waitFor(() => expect(fake.responsesTo('ops-lookup')).toHaveLength(1));
    await vi.waitFor(async () => {
      const families = parsePrometheusText((await get('/metrics')).text);
      expect(sampleValue(families, 'k8s_notes_bot_events_deduplicated_total', { platform: 'slack' })).toBe(1);
    });

    const res = await get('/metrics');
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusText(res.text);
    const value = (name: string, labels: Record<string, string> = {}) => sampleValue(families, name, labels);
    expect(value('k8s_notes_bot_questions_total', { platform: 'slack', lang: 'en', outcome: 'answered' })).toBe(1);
    expect(value('k8s_notes_bot_questions_total', { platform: 'slack', lang: 'en', outcome: 'not_found' })).toBe(1);
    expect(value('k8s_notes_bot_lookups_total', { platform: 'slack', tool: 'kubectl', outcome: 'answered' })).toBe(1);
    expect(value('k8s_notes_bot_rate_limit_waits_total', { platform: 'slack' })).toBe(1);
    expect(value('k8s_notes_bot_answer_duration_seconds_count', { platform: 'slack' })).toBe(3);
    expect(value('k8s_notes_bot_answer_duration_seconds_bucket', { platform: 'slack', le: '+Inf' })).toBe(3);
    expect(families.get('k8s_notes_bot_answer_duration_seconds')?.type).toBe('histogram');
    expect(value('k8s_notes_bot_notes_loaded')).toBe(1);
    expect(value('k8s_notes_bot_passages_loaded')).toBeGreaterThan(0);
    expect(value('k8s_notes_bot_note_load_errors')).toBe(0);
    expect(value('k8s_notes_bot_store_failed_lookups_total')).toBe(0);
    expect(value('k8s_notes_bot_store_pending_writes')).toBeGreaterThanOrEqual(0);
    expect(families.get('k8s_notes_bot_build_info')?.samples[0]?.labels).toEqual({ version: expect.stringMatching(/^\d+\.\d+\.\d+/), node: process.version });
    expect(families.has('process_cpu_user_seconds_total')).toBe(true);
    for (const name of ['k8s_notes_bot_tips_posted_total', 'k8s_notes_bot_tip_posts_failed_total', 'k8s_notes_bot_reloads_total']) {
      expect(families.get(name)?.type, name).toBe('counter');
    }
    // Labels say how, never who or what: no user id, channel or question text.
    const labelValues = [...families.values()].flatMap((f) => f.samples.flatMap((s) => Object.values(s.labels)));
    for (const secret of ['UASKER001', 'C0TEAM001', 'PVC', 'sourdough', 'rollout']) expect(labelValues.some((v) => v.includes(secret)), secret).toBe(false);
  }, 20_000);

  it('picks up a note added while it runs: the next answer comes from it, and the reload is counted', async () => {
    mention('what does a StorageClass do', '1700005500.000001');
    expect((await postedIn('1700005500.000001')).text).not.toContain('provisioner');
    const added = `---\ntitle: Classes\nlang: en\n---\n\n# Classes\n\n## StorageClass\n\nA StorageClass names a provisioner and its parameters, so a claim that asks for that class gets a volume made on demand.\n`;
    writeFileSync(join(knowledgeDir, 'classes.md'), added);
    await vi.waitFor(
      async () => expect(sampleValue(parsePrometheusText((await get('/metrics')).text), 'k8s_notes_bot_reloads_total', { outcome: 'ok' })).toBe(1),
      { timeout: 15_000, interval: 200 },
    );
    mention('what does a StorageClass do', '1700005500.000002');
    expect((await postedIn('1700005500.000002')).text).toContain('provisioner');
    expect(sampleValue(parsePrometheusText((await get('/metrics')).text), 'k8s_notes_bot_notes_loaded')).toBe(2);
  }, 25_000);

  it('turns /readyz 503 on stop, still posts the answer in flight, and exits 0', async () => {
    const posting = gate.hold('chat.postMessage');
    mention('what is a PVC, once more', '1700006000.000001');
    await posting.arrived;
    stop();
    await vi.waitFor(async () => expect(await readiness()).toMatchObject({ status: 503, ready: false, checks: { shutdown: 'shutting down' } }));
    expect(fake.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === '1700006000.000001')).toHaveLength(0);
    posting.release();
    expect(await exited).toBe(0);
    // Posted before start returned, not after: the stop waited for it.
    const posted = fake.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === '1700006000.000001');
    expect(posted).toHaveLength(1);
    expect(posted[0]!.args.text).toContain('PersistentVolumeClaim');
    await expect(fetch(`${ops}/healthz`)).rejects.toThrow();
    expect(logged).toContain('"msg":"stopped"');
  }, 20_000);
});
