/**
 * Sends Disconnect-Request and CoA-Request to a NAS (RFC 5176, UDP 3799 by default) and waits for its ACK or NAK.
 * One socket per address family; identifiers per destination; the same packet is sent again after each timeout
 * (a retransmission, as the RFC asks), and an answer counts only when its Response Authenticator (and
 * Message-Authenticator) check out against our request.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { STANDARD } from './protocol/dictionary.ts';
import { attr, CODE, encodeRequest, integerAttribute, parsePacket, replyValid, type Attribute } from './protocol/packet.ts';

export interface CoaAnswer {
  /** 41/42 (Disconnect ACK/NAK), 44/45 (CoA ACK/NAK), or null when nothing valid came back. */
  code: number | null;
  errorCause: number | null;
  attempts: number;
  error: string | null;
}

interface Pending {
  requestAuthenticator: Buffer;
  secret: Buffer;
  expect: readonly number[];
  done(answer: { code: number; errorCause: number | null }): void;
}

export interface CoaSender {
  send(dest: { address: string; port: number; secret: Buffer }, kind: 'disconnect' | 'coa', attributes: Attribute[]): Promise<CoaAnswer>;
  close(): Promise<void>;
}

export function createCoaSender(options: { timeoutMs?: number; tries?: number } = {}): CoaSender {
  const timeoutMs = options.timeoutMs ?? 2000;
  const tries = options.tries ?? 3;
  const sockets = new Map<'udp4' | 'udp6', Socket>();
  const pending = new Map<string, Pending>();
  const nextId = new Map<string, number>();

  const socketFor = (family: 'udp4' | 'udp6'): Socket => {
    let s = sockets.get(family);
    if (s === undefined) {
      s = createSocket(family);
      s.on('message', (msg, rinfo) => {
        const parsed = parsePacket(msg);
        if (!parsed.ok) return;
        const key = `${rinfo.address.replace(/^::ffff:/, '')}|${rinfo.port}|${parsed.packet.identifier}`;
        const p = pending.get(key);
        if (p === undefined || !p.expect.includes(parsed.packet.code)) return;
        if (!replyValid(parsed.packet, p.requestAuthenticator, p.secret)) return;
        p.done({ code: parsed.packet.code, errorCause: integerAttribute(parsed.packet, STANDARD.ErrorCause.type) ?? null });
      });
      s.on('error', () => {
        /* answers that never come are timeouts */
      });
      s.unref();
      sockets.set(family, s);
    }
    return s;
  };

  const identifier = (dest: string): number | null => {
    const start = nextId.get(dest) ?? Math.floor(Math.random() * 256);
    for (let i = 0; i < 256; i++) {
      const id = (start + i) % 256;
      if (!pending.has(`${dest}|${id}`)) {
        nextId.set(dest, (id + 1) % 256);
        return id;
      }
    }
    return null;
  };

  return {
    async send(dest, kind, attributes) {
      const destKey = `${dest.address}|${dest.port}`;
      const id = identifier(destKey);
      if (id === null) return { code: null, errorCause: null, attempts: 0, error: 'too many requests in flight to this NAS' };
      const code = kind === 'disconnect' ? CODE.DisconnectRequest : CODE.CoaRequest;
      const expect = kind === 'disconnect' ? [CODE.DisconnectAck, CODE.DisconnectNak] : [CODE.CoaAck, CODE.CoaNak];
      const all = [...attributes, attr.integer(STANDARD.EventTimestamp.type, Math.floor(Date.now() / 1000))];
      const packet = encodeRequest(code, id, all, dest.secret);
      const socket = socketFor(isIPv6(dest.address) ? 'udp6' : 'udp4');
      const key = `${destKey}|${id}`;
      let attempts = 0;
      try {
        return await new Promise<CoaAnswer>((resolve) => {
          let timer: NodeJS.Timeout | null = null;
          const finish = (a: CoaAnswer): void => {
            if (timer !== null) clearTimeout(timer);
            pending.delete(key);
            resolve(a);
          };
          pending.set(key, { requestAuthenticator: packet.subarray(4, 20), secret: dest.secret, expect, done: (a) => finish({ ...a, attempts, error: null }) });
          const attempt = (): void => {
            if (attempts >= tries) {
              finish({ code: null, errorCause: null, attempts, error: `no answer after ${attempts} tries` });
              return;
            }
            attempts++;
            socket.send(packet, dest.port, dest.address, (err) => {
              if (err) finish({ code: null, errorCause: null, attempts, error: err.message });
            });
            timer = setTimeout(attempt, timeoutMs);
          };
          attempt();
        });
      } finally {
        pending.delete(key);
      }
    },
    async close() {
      for (const s of sockets.values()) await new Promise<void>((ok) => s.close(() => ok()));
      sockets.clear();
    },
  };
}
