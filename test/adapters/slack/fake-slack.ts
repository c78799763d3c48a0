import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** One Web API call the fake received: the method, its arguments (JSON values decoded) and the bearer token. */
export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
}

/** One POST to a response URL: which command or click it answered, and the JSON body. */
export interface ResponseCall {
  id: string;
  body: Record<string, unknown>;
}

export interface CannedFailure {
  status: number;
  headers?: Record<string, string>;
  body?: Record<string, unknown>;
}

export const BOT_USER_ID = 'UBOT0001';
export const GOOD_BOT_TOKEN = 'xoxb-1111-2222-goodtoken';
export const GOOD_APP_TOKEN = 'xapp-1-A111-3333-goodapptoken';

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });

/** The Web API sends form fields; nested values (blocks, attachments) are JSON inside them. */
function decodeForm(body: string): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    args[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return args;
}

/**
 * A stand-in for Slack on 127.0.0.1: the Web API methods the adapter calls, response URLs for slash commands
 * and clicks, and a Socket Mode WebSocket endpoint. It records everything it is sent, and can be told to fail
 * the next call of a method.
 */
export class FakeSlack {
  readonly calls: ApiCall[] = [];
  readonly responses: ResponseCall[] = [];
  /** Acks the Socket Mode client sent, by envelope id. */
  readonly acks = new Map<string, Record<string, unknown>>();
  private readonly failures = new Map<string, CannedFailure[]>();
  private readonly sockets = new Set<WebSocket>();
  private readonly wss: WebSocketServer;
  private nextTs = 1_700_000_000;

  private constructor(private readonly server: Server) {
    this.wss = new WebSocketServer({ server, path: '/socket' });
    this.wss.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('message', (data) => {
        const ack = JSON.parse(String(data)) as Record<string, unknown>;
        if (typeof ack.envelope_id === 'string') this.acks.set(ack.envelope_id, ack);
      });
      socket.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A111' } }));
    });
    server.on('request', (req, res) => void this.route(req, res));
  }

  static async start(): Promise<FakeSlack> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FakeSlack(server);
  }

  private get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** What to pass as SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  /** A fresh response URL, as Slack puts in each slash command and click. */
  responseUrl(id: string = randomUUID()): string {
    return `${this.origin}/respond/${id}`;
  }

  /** The next call of `method` gets this answer instead of success. */
  failNext(method: string, failure: CannedFailure): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), failure]);
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  responsesTo(id: string): Record<string, unknown>[] {
    return this.responses.filter((r) => r.id === id).map((r) => r.body);
  }

  get connectedSockets(): number {
    return this.sockets.size;
  }

  /** Sends a Socket Mode envelope to every connected client; returns its envelope id. */
  sendEnvelope(type: 'events_api' | 'slash_commands' | 'interactive', payload: Record<string, unknown>): string {
    const envelopeId = randomUUID();
    const envelope = { envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: 0, retry_reason: '' };
    for (const socket of this.sockets) socket.send(JSON.stringify(envelope));
    return envelopeId;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const body = await readBody(req);
    const respond = { id: /^\/respond\/(.+)$/.exec(url.pathname)?.[1] };
    if (respond.id) {
      this.responses.push({ id: respond.id, body: JSON.parse(body) as Record<string, unknown> });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      return;
    }
    const method = /^\/api\/(.+)$/.exec(url.pathname)?.[1];
    if (!method) {
      res.writeHead(404).end();
      return;
    }
    const args = decodeForm(body);
    const token = req.headers.authorization?.replace(/^Bearer /, '') ?? (typeof args.token === 'string' ? args.token : undefined);
    this.calls.push({ method, args, token });
    const failure = this.failures.get(method)?.shift();
    if (failure) {
      res.writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers }).end(JSON.stringify(failure.body ?? {}));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.answer(method, args, token)));
  }

  private answer(method: string, args: Record<string, unknown>, token: string | undefined): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return token === GOOD_BOT_TOKEN ? { ok: true, user_id: BOT_USER_ID, bot_id: 'BBOT0001', team_id: 'T111', user: 'k8s-notes-bot' } : { ok: false, error: 'invalid_auth' };
      case 'apps.connections.open':
        return token === GOOD_APP_TOKEN ? { ok: true, url: `${this.origin.replace('http', 'ws')}/socket` } : { ok: false, error: 'invalid_auth' };
      case 'chat.postMessage':
        return { ok: true, channel: args.channel, ts: `${this.nextTs++}.000100`, message: { text: args.text } };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `${this.nextTs++}.000200` };
      case 'reactions.add':
      case 'reactions.remove':
        return { ok: true };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /** Closes the WebSockets with a proper close handshake, then the server. */
  async close(): Promise<void> {
    await Promise.all(
      [...this.sockets].map(
        (socket) =>
          new Promise<void>((resolve) => {
            socket.once('close', () => resolve());
            socket.close(1001, 'going away');
          }),
      ),
    );
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The v0 signature Slack puts on every HTTP request: HMAC-SHA256 of `v0:timestamp:body` with the signing secret. */
export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedPostOptions {
  secret: string;
  contentType: 'application/json' | 'application/x-www-form-urlencoded';
  /** Seconds since the epoch; now unless given (a stale one must be refused). */
  timestamp?: number;
  /** Slack marks redeliveries with the attempt number. */
  retryNum?: number;
}

/** POSTs a body to the bot as Slack would, signed. */
export async function signedPost(url: string, body: string, options: SignedPostOptions): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': options.contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': sign(options.secret, timestamp, body),
      ...(options.retryNum !== undefined ? { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' } : {}),
    },
    body,
  });
}

/** An Events API callback wrapping `event`. */
export const eventCallback = (event: Record<string, unknown>, eventId = `Ev${randomUUID().slice(0, 8).toUpperCase()}`) => ({
  token: 'verification-token-unused',
  team_id: 'T111',
  api_app_id: 'A111',
  type: 'event_callback',
  event_id: eventId,
  event_time: Math.floor(Date.now() / 1000),
  event,
});

/** A slash command's form fields. */
export const slashCommand = (command: string, text: string, responseUrl: string, extra: Record<string, string> = {}) => ({
  token: 'verification-token-unused',
  team_id: 'T111',
  channel_id: 'C0CMD0001',
  channel_name: 'k8s',
  user_id: 'UASKER001',
  user_name: 'asker',
  command,
  text,
  api_app_id: 'A111',
  response_url: responseUrl,
  trigger_id: 'trigger-1',
  ...extra,
});

/** A `block_actions` payload for a click on a button with `actionId` and `value`. */
export function blockAction(options: {
  actionId: string;
  value: string;
  channel: string;
  responseUrl: string;
  message?: { ts: string; thread_ts?: string };
  ephemeral?: boolean;
  user?: string;
}): Record<string, unknown> {
  const { actionId, value, channel, responseUrl, message, ephemeral = false, user = 'UCLICK001' } = options;
  return {
    type: 'block_actions',
    team: { id: 'T111', domain: 'team' },
    user: { id: user, username: 'clicker', team_id: 'T111' },
    api_app_id: 'A111',
    token: 'verification-token-unused',
    container: ephemeral
      ? { type: 'message', message_ts: '1700000000.000001', channel_id: channel, is_ephemeral: true }
      : { type: 'message', message_ts: message?.ts, channel_id: channel, is_ephemeral: false, ...(message?.thread_ts ? { thread_ts: message.thread_ts } : {}) },
    trigger_id: 'trigger-2',
    channel: { id: channel, name: 'k8s' },
    ...(ephemeral ? {} : { message: { type: 'message', ts: message?.ts, ...(message?.thread_ts ? { thread_ts: message.thread_ts } : {}), text: 'answer' } }),
    response_url: responseUrl,
    actions: [{ type: 'button', action_id: actionId, block_id: 'b1', value, action_ts: '1700000001.000001', text: { type: 'plain_text', text: 'x' } }],
  };
}
