import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { BotMetrics } from '../../app/metrics.js';
import { startOpsServer } from '../../app/ops-server.js';
import { CHECK_TIMEOUT_MS, Readiness } from '../../app/readiness.js';
import { createBot } from '../../src/bot.js';
import { fail, ok } from '../../src/result.js';
import { textReply } from '../../src/reply.js';
import { openTestStore, shippedLibrary } from '../helpers.js';
import { parsePrometheusText, sampleValue } from './prometheus-text.js';

const scrape = async (metrics: BotMetrics) => parsePrometheusText((await metrics.exposition()).text);

describe('BotMetrics', () => {
  it('counts tips posted and refused, passing the refusal on to the scheduler', async () => {
    const metrics = new BotMetrics();
    let refuse = false;
    const poster = metrics.poster('discord', {
      post: async () => {
        if (refuse) throw new Error('missing access');
      },
    });
    const reply = textReply('tip', 'en', 'Tip of the day');
    await poster.post('C1', reply);
    refuse = true;
    await expect(poster.post('C1', reply)).rejects.toThrow('missing access');
    const families = await scrape(metrics);
    expect(sampleValue(families, 'k8s_notes_bot_tips_posted_total', { platform: 'discord' })).toBe(1);
    expect(sampleValue(families, 'k8s_notes_bot_tip_posts_failed_total', { platform: 'discord' })).toBe(1);
  });

  it('shows the library in service and counts reloads by outcome', async () => {
    const metrics = new BotMetrics();
    const library = shippedLibrary();
    metrics.libraryLoaded(library);
    metrics.reloaded('ok');
    metrics.reloaded('failed');
    metrics.reloaded('failed');
    const families = await scrape(metrics);
    expect(sampleValue(families, 'k8s_notes_bot_notes_loaded')).toBe(library.notes.length);
    expect(sampleValue(families, 'k8s_notes_bot_passages_loaded')).toBe(library.index.passages.length);
    expect(sampleValue(families, 'k8s_notes_bot_note_load_errors')).toBe(library.problems.length);
    expect(sampleValue(families, 'k8s_notes_bot_reloads_total', { outcome: 'ok' })).toBe(1);
    expect(sampleValue(families, 'k8s_notes_bot_reloads_total', { outcome: 'failed' })).toBe(2);
  });

  it('counts a question that throws as an error and rethrows; help is not a question', async () => {
    const metrics = new BotMetrics();
    const real = createBot(shippedLibrary());
    const broken = metrics.bot('slack', { ...real, handle: () => Promise.reject(new Error('store down')) });
    await expect(broken.handle({ text: 'what is a pod', lang: 'en' })).rejects.toThrow('store down');
    await metrics.bot('slack', real).handle({ text: 'help' });
    const families = await scrape(metrics);
    expect(sampleValue(families, 'k8s_notes_bot_questions_total', { outcome: 'error', lang: 'en' })).toBe(1);
    expect(families.get('k8s_notes_bot_questions_total')!.samples).toHaveLength(1);
    expect(sampleValue(families, 'k8s_notes_bot_answer_duration_seconds_count', { platform: 'slack' })).toBe(1);
  });

  it('counts requests over the rate limit by platform, not as questions, and lookups by tool from a structured request', async () => {
    const metrics = new BotMetrics();
    const store = openTestStore();
    const bot = metrics.bot('discord', createBot(shippedLibrary(), { store, rateLimitPerMinute: 1 }));
    await bot.request({ type: 'lookup', tool: 'kubectl', query: 'rollout undo', user: 'U1' });
    expect(await bot.handle({ text: 'what is a pod', user: 'U1' })).toMatchObject({ kind: 'limited', audience: 'asker' });
    expect(await bot.request({ type: 'ask', text: 'what is a pod', user: 'U1' })).toMatchObject({ kind: 'limited', audience: 'nobody' });
    const families = await scrape(metrics);
    expect(sampleValue(families, 'k8s_notes_bot_requests_limited_total', { platform: 'discord' })).toBe(2);
    expect(sampleValue(families, 'k8s_notes_bot_lookups_total', { platform: 'discord', tool: 'kubectl', outcome: 'answered' })).toBe(1);
    expect(families.get('k8s_notes_bot_questions_total')?.samples ?? []).toHaveLength(0);
    await store.close();
  });

  it('counts what an adapter reports through its observer', async () => {
    const metrics = new BotMetrics();
    const observer = metrics.observer('discord');
    observer.reconnecting?.();
    observer.rateLimited?.();
    observer.rateLimited?.();
    observer.deduplicated?.();
    const families = await scrape(metrics);
    expect(sampleValue(families, 'k8s_notes_bot_platform_reconnects_total', { platform: 'discord' })).toBe(1);
    expect(sampleValue(families, 'k8s_notes_bot_rate_limit_waits_total', { platform: 'discord' })).toBe(2);
    expect(sampleValue(families, 'k8s_notes_bot_events_deduplicated_total', { platform: 'discord' })).toBe(1);
  });
});

describe('Readiness', () => {
  it('names every check, with the reason of each that fails, a throw included', async () => {
    const readiness = new Readiness();
    readiness.add('notes', () => ok(undefined));
    readiness.add('store', () => {
      throw new Error('database is locked');
    });
    readiness.pending('discord', 'connecting');
    expect(await readiness.report()).toEqual({ ready: false, checks: { notes: 'ok', store: 'database is locked', discord: 'connecting' } });
    readiness.add('store', async () => ok(undefined));
    readiness.add('discord', () => ok(undefined));
    expect(await readiness.report()).toEqual({ ready: true, checks: { notes: 'ok', store: 'ok', discord: 'ok' } });
    readiness.shutDown();
    expect(await readiness.report()).toEqual({ ready: false, checks: { shutdown: 'shutting down', notes: 'ok', store: 'ok', discord: 'ok' } });
  });

  it('fails a check that does not answer in time instead of hanging the probe', async () => {
    const readiness = new Readiness();
    readiness.add('store', () => new Promise(() => {}));
    const started = Date.now();
    expect(await readiness.report()).toEqual({ ready: false, checks: { store: `no answer within ${CHECK_TIMEOUT_MS} ms` } });
    expect(Date.now() - started).toBeLessThan(CHECK_TIMEOUT_MS + 1000);
  });
});

describe('the ops server', () => {
  const options = { host: '127.0.0.1', readiness: new Readiness(), metrics: async () => ({ contentType: 'text/plain', text: '' }), log: { error() {} } };

  it('fails naming OPS_PORT when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      expect(await startOpsServer({ ...options, port })).toEqual(fail(`Port ${port} on 127.0.0.1 is in use: set OPS_PORT to a free port, or 0 to turn the ops server off.`));
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it('answers only GET and HEAD, and a failing endpoint with 500 rather than a dropped connection', async () => {
    const started = await startOpsServer({ ...options, port: 0, metrics: () => Promise.reject(new Error('collector broke')) });
    if (!started.ok) throw new Error(started.error);
    const base = `http://127.0.0.1:${started.value.address.port}`;
    try {
      expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
      expect((await fetch(`${base}/healthz`, { method: 'HEAD' })).status).toBe(200);
      const broken = await fetch(`${base}/metrics`);
      expect(broken.status).toBe(500);
      expect(await broken.json()).toEqual({ error: 'internal error; see the log' });
    } finally {
      await started.value.close();
    }
  });
});
