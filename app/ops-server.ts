import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../src/log.js';
import { fail, ok, type Result } from '../src/result.js';
import type { Readiness } from './readiness.js';

export interface OpsServerOptions {
  host: string;
  port: number;
  readiness: Readiness;
  /** The Prometheus exposition of the metrics. */
  metrics: () => Promise<{ contentType: string; text: string }>;
  log: Pick<Logger, 'error'>;
}

/** The running ops server: where it listens, and how to close it. */
export interface OpsServer {
  readonly address: AddressInfo;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(`${JSON.stringify(body)}\n`);
};

async function route(req: IncomingMessage, res: ServerResponse, options: OpsServerOptions): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const path = new URL(req.url ?? '/', 'http://ops').pathname;
  switch (path) {
    case '/healthz':
      // Alive is all it says: a platform outage must not get the pod restarted.
      return json(res, 200, { status: 'ok' });
    case '/readyz': {
      const report = await options.readiness.report();
      return json(res, report.ready ? 200 : 503, report);
    }
    case '/metrics': {
      const { contentType, text } = await options.metrics();
      res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(text);
      return;
    }
    default:
      return json(res, 404, { error: `no such endpoint ${path}; there are /healthz, /readyz and /metrics` });
  }
}

/**
 * Serves `/healthz` (the process is alive), `/readyz` (it should get traffic) and `/metrics` (Prometheus
 * text) over plain HTTP, for the kubelet's probes and the scraper. Fails with a sentence naming OPS_PORT
 * or OPS_HOST when it cannot listen.
 */
export async function startOpsServer(options: OpsServerOptions): Promise<Result<OpsServer>> {
  const server = createServer((req, res) => {
    route(req, res, options).catch((error: unknown) => {
      options.log.error({ path: req.url, err: (error as Error).message }, 'ops endpoint failed');
      if (!res.headersSent) json(res, 500, { error: 'internal error; see the log' });
      else res.destroy();
    });
  });
  const { host, port } = options;
  const listening = await new Promise<Result<void>>((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const what =
        error.code === 'EADDRINUSE'
          ? `Port ${port} on ${host} is in use: set OPS_PORT to a free port, or 0 to turn the ops server off.`
          : error.code === 'EADDRNOTAVAIL'
            ? `OPS_HOST ${host} is not an address of this machine: set it to one, such as 127.0.0.1 or 0.0.0.0.`
            : `Cannot serve the ops endpoints on ${host}:${port} (OPS_HOST, OPS_PORT): ${error.message}`;
      resolve(fail(what));
    });
    server.listen(port, host, () => resolve(ok(undefined)));
  });
  if (!listening.ok) return listening;
  return ok({
    address: server.address() as AddressInfo,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A scraper keeps its connection open between scrapes; it must not hold the exit up.
        server.closeAllConnections();
      }),
  });
}
