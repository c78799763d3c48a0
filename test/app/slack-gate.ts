import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Web API method held at the gate: resolves `arrived` when the bot has called it, and lets the call on when released. */
export interface Held {
  arrived: Promise<void>;
  release(): void;
}

const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/**
 * Sits on 127.0.0.1 between the bot and a fake Slack's Web API (the bot's SLACK_API_URL points here) and
 * passes every call through, except calls of a held method: those wait until released, and only then reach
 * the fake, which records them. So a test decides when Slack "answers" a connection or a post.
 */
export class SlackGate {
  private readonly holds = new Map<string, { arrive: () => void; opened: Promise<void> }[]>();

  private constructor(
    private readonly server: Server,
    private readonly target: string,
  ) {}

  static async start(targetApiUrl: string): Promise<SlackGate> {
    const server = createServer();
    const gate = new SlackGate(server, targetApiUrl);
    server.on('request', (req, res) => {
      void (async () => {
        const body = await readBody(req);
        const method = /^\/api\/(.+)$/.exec(req.url ?? '')?.[1] ?? '';
        const hold = gate.holds.get(method)?.shift();
        if (hold) {
          hold.arrive();
          await hold.opened;
        }
        const headers: Record<string, string> = {};
        for (const name of ['content-type', 'authorization']) if (typeof req.headers[name] === 'string') headers[name] = req.headers[name];
        const answer = await fetch(`${gate.target}${method}`, { method: req.method ?? 'POST', headers, ...(body.length ? { body } : {}) });
        const passed = Object.fromEntries(['content-type', 'retry-after'].flatMap((name) => (answer.headers.has(name) ? [[name, answer.headers.get(name)!]] : [])));
        res.writeHead(answer.status, passed).end(Buffer.from(await answer.arrayBuffer()));
      })().catch(() => res.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return gate;
  }

  /** What to pass as SLACK_API_URL. */
  get apiUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
  }

  /** Holds the next call of `method` at the gate. */
  hold(method: string): Held {
    let arrive!: () => void;
    let release!: () => void;
    const arrived = new Promise<void>((resolve) => (arrive = resolve));
    const opened = new Promise<void>((resolve) => (release = resolve));
    this.holds.set(method, [...(this.holds.get(method) ?? []), { arrive, opened }]);
    return { arrived, release };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A port nothing listens on right now, for a server the code under test opens itself. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
