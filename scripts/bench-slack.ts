/**
 * End-to-end latency of the Slack adapter on loopback: from a signed Events API request (an `app_mention`) to
 * the answer arriving at a stand-in Web API's `chat.postMessage`. Real Bolt, real bot on the shipped notes, real
 * store; only Slack itself is replaced. `npm run bench` prints the line this returns.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSlackAdapter } from '../adapters/slack/index.js';
import { createBot } from '../src/bot.js';
import { openLibrary } from '../src/library.js';
import { createLogger } from '../src/log.js';
import { shippedKnowledgeDir } from '../src/paths.js';
import { openSqliteStore } from '../src/store/sqlite.js';

const SECRET = 'bench-signing-secret-0123456789';
const BOT_USER = 'UBENCHBOT1';
const QUESTIONS = ['how do I roll back to a revision', 'what is a PVC', 'apiserver 默认端口是多少', 'Pod 有哪些状态', 'kubectl rollout undo 怎么用'];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** The two Web API methods the bench needs; `onPost` hears each posted answer's thread. */
function fakeWebApi(onPost: (thread: string) => void) {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url?.endsWith('/auth.test')) return res.end(JSON.stringify({ ok: true, user_id: BOT_USER, bot_id: 'BBENCH1', team_id: 'T1' }));
      res.end(JSON.stringify({ ok: true, ts: '1.1' }));
      if (req.url?.endsWith('/chat.postMessage')) onPost(form.get('thread_ts') ?? '');
    });
  });
}

function signedMention(url: string, ts: string, text: string): Promise<Response> {
  const body = JSON.stringify({
    type: 'event_callback',
    team_id: 'T1',
    api_app_id: 'A1',
    event_id: `Ev${ts.replace('.', '')}`,
    event: { type: 'app_mention', user: 'UASKER001', channel: 'C0BENCH01', text: `<@${BOT_USER}> ${text}`, ts },
  });
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature },
    body,
  });
}

/** Sends `rounds` mentions one after another; returns one printable line with p50/p99 in milliseconds. */
export async function benchSlackRoundTrip(rounds: number): Promise<string> {
  const library = openLibrary(shippedKnowledgeDir);
  if (!library.ok) throw new Error(library.error);
  const dataDir = mkdtempSync(join(tmpdir(), 'k8s-notes-bot-bench-'));
  const opened = openSqliteStore(dataDir);
  if (!opened.ok) throw new Error(opened.error);
  const store = opened.value;

  const waiting = new Map<string, () => void>();
  const api = fakeWebApi((thread) => waiting.get(thread)?.());
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  const adapter = createSlackAdapter({
    bot: createBot(library.value, { store }),
    store,
    log: createLogger('silent'),
    config: {
      botToken: 'xoxb-bench-token',
      transport: { mode: 'http', signingSecret: SECRET, port: 0, host: '127.0.0.1' },
      apiUrl: `http://127.0.0.1:${(api.address() as AddressInfo).port}/api/`,
      tipChannels: [],
      retry: { retries: 0 },
    },
  });
  try {
    await adapter.start();
    const url = `http://127.0.0.1:${adapter.address!.port}/slack/events`;
    const times: number[] = [];
    // The first rounds warm up Bolt, the JIT and the connection pool; they are not counted.
    const warmup = Math.min(20, rounds);
    for (let i = 0; i < rounds + warmup; i++) {
      const ts = `1700000000.${String(i).padStart(6, '0')}`;
      const answered = new Promise<void>((resolve) => waiting.set(ts, resolve));
      const started = performance.now();
      const res = await signedMention(url, ts, QUESTIONS[i % QUESTIONS.length]!);
      if (res.status !== 200) throw new Error(`the adapter answered HTTP ${res.status}`);
      await answered;
      waiting.delete(ts);
      if (i >= warmup) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const fmt = (x: number) => `${x.toFixed(2)} ms`;
    return `slack round trip (signed app_mention -> chat.postMessage, loopback): p50 ${fmt(percentile(times, 50))} p99 ${fmt(percentile(times, 99))} (${times.length} requests)`;
  } finally {
    await adapter.stop();
    api.closeAllConnections();
    await new Promise<void>((resolve) => api.close(() => resolve()));
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
