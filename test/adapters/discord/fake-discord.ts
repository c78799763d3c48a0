import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** Ids the fake world is made of; snowflake-shaped so the adapter's validation accepts them. */
export const IDS = {
  application: '900000000000000001',
  bot: '900000000000000002',
  guild: '900000000000000003',
  channel: '900000000000000004',
  tipChannel: '900000000000000005',
  otherTipChannel: '900000000000000006',
  dmChannel: '900000000000000007',
  user: '900000000000000008',
  /** A channel of the guild that GUILD_CREATE leaves out, so the client has to fetch it over REST. */
  uncachedChannel: '900000000000000009',
} as const;

export const TOKEN = 'MTAw.fake-bot.token-for-tests';

/** One HTTP call the fake received, with `@original` and other escapes decoded in the path. */
export interface RecordedRequest {
  method: string;
  /** The path after `/api/v10`. */
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: any;
}

interface Failure {
  method: string;
  path: RegExp;
  status: number;
}

let nextSnowflake = 910000000000000000n;
export const snowflake = (): string => String(nextSnowflake++);

export const botUser = { id: IDS.bot, username: 'notes-bot', discriminator: '0', global_name: null, avatar: null, bot: true };
export const humanUser = { id: IDS.user, username: 'alice', discriminator: '0', global_name: 'Alice', avatar: null };

/** Every guild channel REST knows, by id: the ones the gateway announces, and one it does not. */
const CHANNEL_NAMES: Record<string, string> = { [IDS.channel]: 'general', [IDS.tipChannel]: 'tips', [IDS.otherTipChannel]: 'tips-zh', [IDS.uncachedChannel]: 'announcements' };

const textChannel = (id: string, name: string) => ({ id, type: 0, guild_id: IDS.guild, name, position: 0, permission_overwrites: [], nsfw: false });

/** A message object as Discord sends it (REST and gateway), so discord.js can build a `Message` from it. */
export function messageObject(channelId: string, body: any, author: object = botUser) {
  return {
    id: snowflake(),
    channel_id: channelId,
    author,
    content: body?.content ?? '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: body?.mentions ?? [],
    mention_roles: [],
    attachments: [],
    embeds: body?.embeds ?? [],
    components: body?.components ?? [],
    pinned: false,
    type: 0,
    flags: body?.flags ?? 0,
  };
}

/**
 * A small stand-in for Discord on 127.0.0.1: the REST routes the adapter uses and a gateway that says HELLO,
 * answers IDENTIFY with READY and one GUILD_CREATE, acknowledges heartbeats, and lets a test dispatch events.
 */
export class FakeDiscord {
  readonly requests: RecordedRequest[] = [];
  readonly identifyTokens: string[] = [];
  private readonly failures: Failure[] = [];
  private readonly sockets = new Set<WebSocket>();
  private sequence = 0;

  private constructor(
    private readonly http: Server,
    private readonly gateway: WebSocketServer,
  ) {}

  static async start(): Promise<FakeDiscord> {
    const gateway = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => gateway.once('listening', () => resolve()));
    const http = createServer();
    const fake = new FakeDiscord(http, gateway);
    http.on('request', (req, res) => void fake.onRequest(req, res));
    gateway.on('connection', (socket) => fake.onConnection(socket));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
    return fake;
  }

  /** What `DISCORD_API_URL` / discord.js's `rest.api` points at. */
  get apiUrl(): string {
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}/api`;
  }

  private get gatewayUrl(): string {
    return `ws://127.0.0.1:${(this.gateway.address() as AddressInfo).port}`;
  }

  /** Answers matching calls with `status` from now on, as a broken Discord would. */
  failWith(method: string, path: RegExp, status: number): void {
    this.failures.push({ method, path, status });
  }

  clearFailures(): void {
    this.failures.length = 0;
  }

  /** Sends a gateway dispatch (op 0) to every connected client. */
  dispatch(type: string, data: object): void {
    for (const socket of this.sockets) this.send(socket, { op: 0, t: type, s: ++this.sequence, d: data });
  }

  /** Requests recorded so far that match. */
  find(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.gateway.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private send(socket: WebSocket, payload: object): void {
    socket.send(JSON.stringify(payload));
  }

  private onConnection(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    this.send(socket, { op: 10, d: { heartbeat_interval: 45_000 } });
    socket.on('message', (raw) => {
      const packet = JSON.parse(String(raw)) as { op: number; d: any };
      if (packet.op === 1) this.send(socket, { op: 11 });
      if (packet.op === 2) {
        this.identifyTokens.push(packet.d.token);
        this.send(socket, {
          op: 0,
          t: 'READY',
          s: ++this.sequence,
          d: {
            v: 10,
            user: botUser,
            guilds: [{ id: IDS.guild, unavailable: true }],
            session_id: 'fake-session',
            resume_gateway_url: this.gatewayUrl,
            shard: [0, 1],
            application: { id: IDS.application, flags: 0 },
            private_channels: [],
          },
        });
        // discord.js waits for every guild READY names before it is ready, and drops messages in unknown channels.
        this.send(socket, {
          op: 0,
          t: 'GUILD_CREATE',
          s: ++this.sequence,
          d: {
            id: IDS.guild,
            name: 'Platform team',
            unavailable: false,
            owner_id: IDS.user,
            member_count: 2,
            joined_at: new Date().toISOString(),
            features: [],
            roles: [],
            emojis: [],
            stickers: [],
            members: [],
            presences: [],
            voice_states: [],
            threads: [],
            stage_instances: [],
            guild_scheduled_events: [],
            channels: [textChannel(IDS.channel, 'general'), textChannel(IDS.tipChannel, 'tips'), textChannel(IDS.otherTipChannel, 'tips-zh')],
          },
        });
      }
    });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v10/, ''));
    const text = Buffer.concat(chunks).toString('utf8');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      query: url.searchParams,
      authorization: req.headers.authorization,
      body: text ? JSON.parse(text) : undefined,
    };
    this.requests.push(recorded);

    const reply = (status: number, body?: object) => {
      res.writeHead(status, body ? { 'content-type': 'application/json' } : {});
      res.end(body ? JSON.stringify(body) : undefined);
    };
    const failure = this.failures.find((f) => f.method === recorded.method && f.path.test(path));
    if (failure) return reply(failure.status, { message: 'fake failure', code: 0 });

    // Interaction callbacks and webhooks authenticate with the interaction token in the path, not a header.
    const needsAuth = !/^\/(interactions|webhooks)\//.test(path);
    if (needsAuth && recorded.authorization !== `Bot ${TOKEN}`) return reply(401, { message: '401: Unauthorized', code: 0 });

    let match: RegExpExecArray | null;
    if (recorded.method === 'GET' && path === '/gateway/bot') {
      return reply(200, { url: this.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } });
    }
    if (recorded.method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) return reply(204);
    if (recorded.method === 'PATCH' && /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/.test(path)) return reply(200, messageObject(IDS.channel, recorded.body));
    if (recorded.method === 'DELETE' && /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/.test(path)) return reply(204);
    if (recorded.method === 'POST' && /^\/webhooks\/\d+\/[^/]+$/.test(path)) return reply(200, messageObject(IDS.channel, recorded.body));
    // `user.send` opens (or finds) the DM channel first; the person of the fake world has one, nobody else does.
    if (recorded.method === 'POST' && path === '/users/@me/channels') {
      // 10013 is Discord's "Unknown User".
      return recorded.body?.recipient_id === IDS.user
        ? reply(200, { id: IDS.dmChannel, type: 1, last_message_id: null, recipients: [humanUser] })
        : reply(404, { message: 'Unknown User', code: 10013 });
    }
    if (recorded.method === 'GET' && (match = /^\/channels\/(\d+)$/.exec(path))) {
      const name = CHANNEL_NAMES[match[1]!];
      // 10003 is Discord's "Unknown Channel".
      return name ? reply(200, textChannel(match[1]!, name)) : reply(404, { message: 'Unknown Channel', code: 10003 });
    }
    if (recorded.method === 'POST' && (match = /^\/channels\/(\d+)\/messages$/.exec(path))) return reply(200, messageObject(match[1]!, recorded.body));
    if (recorded.method === 'PUT' && /^\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(path)) {
      return reply(200, (recorded.body as object[]).map((command) => ({ ...command, id: snowflake(), application_id: IDS.application, version: snowflake() })));
    }
    return reply(404, { message: `fake Discord has no route ${recorded.method} ${path}`, code: 0 });
  }
}
