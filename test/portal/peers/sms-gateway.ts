/**
 * The test SMS gateway: a real HTTP server on a 127.x loopback address (port 0) that records what it was sent and
 * answers as told: accept, fail (5xx), refuse (4xx), answer 200 with a body that says failure, hold the answer (delay)
 * or hold it until released. `close()` makes it a refused connection.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type GatewayMode =
  | { kind: 'ok'; body?: string }
  | { kind: 'status'; status: number; body?: string }
  | { kind: 'delay'; ms: number; body?: string }
  | { kind: 'hold' };

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface FakeGateway {
  url: string;
  host: string;
  received: ReceivedRequest[];
  mode: GatewayMode;
  /** Answers every held request now (with 200 and `{"status":true}`). */
  release(): void;
  close(): Promise<void>;
}

export async function startFakeGateway(host = `127.0.${1 + Math.floor(Math.random() * 200)}.${2 + Math.floor(Math.random() * 200)}`): Promise<FakeGateway> {
  const held: ServerResponse[] = [];
  const g: FakeGateway = {
    url: '',
    host,
    received: [],
    mode: { kind: 'ok' },
    release() {
      for (const res of held.splice(0)) if (!res.writableEnded) res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":true}');
    },
    close: async () => {
      g.release();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      g.received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: data });
      const m = g.mode;
      const json = { 'content-type': 'application/json' };
      if (m.kind === 'ok') res.writeHead(200, json).end(m.body ?? '{"status":true}');
      else if (m.kind === 'status') res.writeHead(m.status, json).end(m.body ?? '{"status":false}');
      else if (m.kind === 'delay') setTimeout(() => res.writeHead(200, json).end(m.body ?? '{"status":true}'), m.ms);
      else held.push(res);
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen({ host, port: 0 }, () => ok());
  });
  g.url = `http://${host}:${(server.address() as AddressInfo).port}/send`;
  return g;
}
