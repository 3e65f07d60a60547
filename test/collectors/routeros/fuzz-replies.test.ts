/**
 * Seeded fuzzing of replies: a loopback server logs the client in properly, then answers the command with a valid
 * reply whose bytes were flipped, cut, or padded with noise. Whatever arrives, both transports must settle the command
 * (a reply or a RouterOSError of a known kind) and nothing may escape as an uncaught exception.
 */
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RouterOSError, ROUTEROS_ERROR_KINDS } from '../../../collectors/routeros/errors.ts';
import { createRouterOsPool } from '../../../collectors/routeros/pool.ts';
import { encodeSentence, SentenceDecoder } from '../../../collectors/routeros/wire.ts';
import { seededRandom as prng } from '../../../core/seeded-random.ts';


function mutate(reply: Buffer, rand: () => number): { bytes: Buffer; end: boolean } {
  const bytes = Buffer.from(reply);
  const op = Math.floor(rand() * 4);
  if (op === 0) for (let i = 0; i < 1 + Math.floor(rand() * 4); i++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
  const cut = op === 1 ? Math.floor(rand() * bytes.length) : bytes.length;
  const noise = op === 2 ? Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 16) }, () => Math.floor(rand() * 256))) : Buffer.alloc(0);
  const at = Math.floor(rand() * cut);
  const out = Buffer.concat([bytes.subarray(0, at), noise, bytes.subarray(at, cut)]);
  return { bytes: op === 3 ? bytes : out, end: rand() < 0.3 };
}

const escaped: unknown[] = [];
const record = (err: unknown): void => {
  escaped.push(err);
};
let server: Server;
let port = 0;
let seed = 0;

beforeAll(async () => {
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  server = createServer((socket) => {
    socket.on('error', () => undefined);
    const rand = prng(seed++);
    const decoder = new SentenceDecoder();
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const words of decoder.push(chunk)) {
          const tag = words.find((w) => w.startsWith('.tag='))?.slice(5) ?? '';
          if (words[0] === '/login') {
            socket.write(encodeSentence(['!done', `.tag=${tag}`]));
            continue;
          }
          const valid = Buffer.concat([
            encodeSentence(['!re', '=name=ether1', '=rx-byte=123', `.tag=${tag}`]),
            encodeSentence(['!re', `=name=${'w'.repeat(Math.floor(rand() * 300))}`, `.tag=${tag}`]),
            encodeSentence(['!done', `.tag=${tag}`]),
          ]);
          const { bytes, end } = mutate(valid, rand);
          socket.write(bytes);
          if (end) socket.end();
        }
      } catch {
        socket.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.11', port: 0 }, resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  process.off('uncaughtException', record);
  process.off('unhandledRejection', record);
});

describe.each(['native', 'node-routeros'] as const)('fuzzed replies over %s', (transport) => {
  it('settles every command with a reply or a typed error, 80 seeded cases', async () => {
    const kinds = new Map<string, number>();
    for (let i = 0; i < 80; i++) {
      // A fresh pool per case: each case is a new session and a new mutation.
      const pool = createRouterOsPool({ transport, connectTimeoutMs: 500, commandTimeoutMs: 100, keepaliveIntervalMs: 0 });
      const endpoint = { host: '127.0.0.11', port, tls: false, username: 'u', password: 'p' };
      const outcome = await pool.run(endpoint, { command: '/interface/print' }).then(
        () => 'reply',
        (err: unknown) => {
          expect(err).toBeInstanceOf(RouterOSError);
          expect(ROUTEROS_ERROR_KINDS).toContain((err as RouterOSError).kind);
          return (err as RouterOSError).kind;
        },
      );
      kinds.set(outcome, (kinds.get(outcome) ?? 0) + 1);
      await pool.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(escaped).toEqual([]);
    // The mutations really exercise the error paths, not just the happy one.
    expect([...kinds.keys()].length).toBeGreaterThanOrEqual(3);
    if (process.env.FUZZ_VERBOSE === "1") console.log(transport, Object.fromEntries(kinds));
  });
});
