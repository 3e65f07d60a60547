/**
 * A real HTTP ingest receiver on 127.0.0.1 for the sink tests: stores each batch once by batchId (as the server
 * must), counts every item by (deviceId, startedAtMs), and misbehaves on demand (answers 503, or stores the batch
 * and then drops the connection without answering, like a server that crashed after its commit, or 503 for chosen
 * batches on every try).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseIngestBody } from '../../../core/ingest.ts';
import type { StateEvent } from '../../../core/ingest.ts';
import type { PollResult } from '../../../core/observations.ts';

export interface IngestServer {
  url: string;
  port: number;
  batches: Map<string, { items: string[] }>;
  /** How many times each item key was stored (must be 1). */
  itemCounts: Map<string, number>;
  /** Poll results and state events of stored batches, in arrival order. */
  items: PollResult[];
  events: StateEvent[];
  requests: number;
  /** Behaviour of the next requests, consumed in order; 'ok' when empty. */
  script: Array<'ok' | '503' | 'store-then-drop' | 'drop'>;
  /** Batch ids answered 503 on every try while listed (a batch the server fails transiently, on demand). */
  failing: Set<string>;
  /** Batch ids in the order they were tried, each try. */
  tries: string[];
  tokenSeen: Set<string>;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startIngestServer(options: { token: string; host?: string }): Promise<IngestServer> {
  const host = options.host ?? '127.0.0.1';
  let server: Server | null = null;
  const state: IngestServer = {
    url: '',
    port: 0,
    batches: new Map(),
    itemCounts: new Map(),
    items: [],
    events: [],
    requests: 0,
    script: [],
    failing: new Set(),
    tries: [],
    tokenSeen: new Set(),
    down: async () => {
      const s = server;
      server = null;
      if (s === null) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    up: async () => {
      server = createServer(handle);
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(state.port, host, () => resolve());
      });
      state.port = (server.address() as AddressInfo).port;
      state.url = `http://${host}:${state.port}`;
    },
    close: async () => state.down(),
  };

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => {});
    res.on('error', () => {});
    req.on('end', () => {
      state.requests += 1;
      const mode = state.script.shift() ?? 'ok';
      const auth = req.headers.authorization ?? '';
      state.tokenSeen.add(auth);
      if (mode === 'drop') {
        req.socket.destroy();
        return;
      }
      if (mode === '503') {
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"unavailable"}');
        return;
      }
      if (auth !== `Bearer ${options.token}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthenticated"}');
        return;
      }
      const parsed = parseIngestBody(Buffer.concat(chunks).toString('utf8'));
      if (!parsed.ok) {
        res.writeHead(422, { 'content-type': 'application/json' }).end(JSON.stringify(parsed));
        return;
      }
      const b = parsed.batch;
      state.tries.push(b.batchId);
      if (state.failing.has(b.batchId)) {
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"this batch, not now"}');
        return;
      }
      const stored = !state.batches.has(b.batchId);
      if (stored) {
        const keys = b.items.map((i) => `${i.deviceId}@${i.startedAtMs}`);
        state.batches.set(b.batchId, { items: keys });
        for (const k of keys) state.itemCounts.set(k, (state.itemCounts.get(k) ?? 0) + 1);
        state.items.push(...b.items);
        state.events.push(...b.events);
      }
      if (mode === 'store-then-drop') {
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ batchId: b.batchId, stored, items: b.items.length, events: b.events.length }));
    });
  }

  await state.up();
  return state;
}
