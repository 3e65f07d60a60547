/**
 * The two UDP sockets (authentication and accounting) and everything that happens before a request reaches the
 * rules: source must be a known NAS client, the datagram must parse, the code must belong to the port, the
 * authenticators must check out (Message-Authenticator required on Access-Request unless the client is marked
 * legacy, always on Status-Server; Request Authenticator on accounting), and a retransmission is answered from the
 * duplicate cache. Anything else is dropped and counted by reason; nothing a peer sends can throw out of here.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Logger } from '../log.ts';
import { DuplicateCache } from './dup-cache.ts';
import type { RadiusMetrics } from './metrics.ts';
import type { NasClient } from './nas-client.ts';
import { STANDARD } from './protocol/dictionary.ts';
import { attr, CODE, encodeReply, messageAuthenticatorValid, parsePacket, requestAuthenticatorValid, type Attribute, type Packet } from './protocol/packet.ts';

export interface UdpServerOptions {
  host: string;
  authPort: number;
  acctPort: number;
  clientOf(address: string): NasClient | undefined;
  /** Decides an Access-Request; null = no answer (the rules failed: the NAS will retry). */
  access(client: NasClient, p: Packet): Promise<{ code: number; attributes: Attribute[]; outcome: 'accept' | 'reject' } | null>;
  /** Records an Accounting-Request; false = no answer. */
  accounting(client: NasClient, p: Packet): Promise<boolean>;
  metrics: RadiusMetrics;
  log: Logger;
  nowMs(): number;
  /** Requests being decided at once; beyond this they are dropped (the NAS retries) rather than queued without end. */
  maxInFlight?: number;
}

export interface UdpServer {
  authPort: number;
  acctPort: number;
  close(): Promise<void>;
}

export type DropReason =
  | 'unknown_client'
  | 'truncated'
  | 'bad_length'
  | 'malformed_attribute'
  | 'duplicate_message_authenticator'
  | 'wrong_port'
  | 'missing_message_authenticator'
  | 'bad_message_authenticator'
  | 'bad_authenticator'
  | 'duplicate_in_progress'
  | 'overload'
  | 'internal_error';

function bind(socket: Socket, port: number, host: string): Promise<number> {
  return new Promise((ok, fail) => {
    socket.once('error', fail);
    socket.bind(port, host, () => {
      socket.off('error', fail);
      ok(socket.address().port);
    });
  });
}

export async function startUdpServer(o: UdpServerOptions): Promise<UdpServer> {
  const family = isIPv6(o.host) ? 'udp6' : 'udp4';
  const auth = createSocket({ type: family, reuseAddr: false });
  const acct = createSocket({ type: family, reuseAddr: false });
  const dups = new DuplicateCache();
  const maxInFlight = o.maxInFlight ?? 2000;
  let inFlight = 0;

  const drop = (reason: DropReason): void => o.metrics.drop(reason);

  const handle = async (socket: Socket, port: 'auth' | 'acct', msg: Buffer, rinfo: RemoteInfo): Promise<void> => {
    const t0 = process.hrtime.bigint();
    const client = o.clientOf(rinfo.address.replace(/^::ffff:/, '').toLowerCase());
    if (client === undefined) return drop('unknown_client');
    const parsed = parsePacket(msg);
    if (!parsed.ok) return drop(parsed.fault);
    const p = parsed.packet;
    const isStatus = p.code === CODE.StatusServer;
    const expected = port === 'auth' ? CODE.AccessRequest : CODE.AccountingRequest;
    if (p.code !== expected && !isStatus) return drop('wrong_port');

    if (isStatus || p.code === CODE.AccessRequest) {
      if (p.messageAuthenticatorAt < 0) {
        if (isStatus || client.requireMessageAuthenticator) return drop('missing_message_authenticator');
      } else if (!messageAuthenticatorValid(p, client.secret)) return drop('bad_message_authenticator');
    } else {
      if (!requestAuthenticatorValid(p, client.secret)) return drop('bad_authenticator');
      if (p.messageAuthenticatorAt >= 0 && !messageAuthenticatorValid(p, client.secret)) return drop('bad_message_authenticator');
    }

    const key = `${port}|${rinfo.address}|${rinfo.port}|${p.identifier}`;
    const seen = dups.begin(key, p.authenticator, o.nowMs());
    if (seen.kind === 'in_progress') return drop('duplicate_in_progress');
    if (seen.kind === 'answered') {
      o.metrics.count('duplicates');
      socket.send(seen.reply, rinfo.port, rinfo.address);
      return;
    }
    if (inFlight >= maxInFlight) {
      dups.finish(key, p.authenticator, null);
      return drop('overload');
    }

    let reply: Buffer | null = null;
    inFlight++;
    try {
      if (isStatus) {
        o.metrics.count('status_requests');
        const code = port === 'auth' ? CODE.AccessAccept : CODE.AccountingResponse;
        reply = encodeReply(p, code, [attr.string(STANDARD.ReplyMessage.type, 'Jangkau RADIUS')], client.secret);
      } else if (port === 'auth') {
        o.metrics.count('auth_requests');
        const answer = await o.access(client, p);
        if (answer !== null) {
          o.metrics.count(answer.outcome === 'accept' ? 'accepts' : 'rejects');
          reply = encodeReply(p, answer.code, answer.attributes, client.secret);
        }
      } else {
        o.metrics.count('acct_requests');
        if (await o.accounting(client, p)) {
          o.metrics.count('acct_responses');
          reply = encodeReply(p, CODE.AccountingResponse, [], client.secret);
        }
      }
    } catch (err) {
      o.log.error('radius request failed', { client: client.name, code: p.code, error: err instanceof Error ? err.message : String(err) });
      reply = null;
    } finally {
      inFlight--;
    }
    dups.finish(key, p.authenticator, reply);
    if (reply === null) return drop('internal_error');
    socket.send(reply, rinfo.port, rinfo.address);
    o.metrics.latency(Number(process.hrtime.bigint() - t0) / 1000);
  };

  const listen = (socket: Socket, port: 'auth' | 'acct'): void => {
    socket.on('message', (msg, rinfo) => {
      handle(socket, port, msg, rinfo).catch((err: unknown) => {
        o.metrics.drop('internal_error');
        o.log.error('radius datagram handler failed', { error: String(err) });
      });
    });
    socket.on('error', (err) => o.log.error('radius socket error', { port, error: err.message }));
  };
  listen(auth, 'auth');
  listen(acct, 'acct');
  let authPort: number;
  let acctPort: number;
  try {
    authPort = await bind(auth, o.authPort, o.host);
    acctPort = await bind(acct, o.acctPort, o.host);
  } catch (err) {
    for (const s of [auth, acct]) {
      try {
        s.close();
      } catch {
        /* never bound */
      }
    }
    throw err;
  }
  return {
    authPort,
    acctPort,
    close: async () => {
      await Promise.all([new Promise<void>((ok) => auth.close(() => ok())), new Promise<void>((ok) => acct.close(() => ok()))]);
    },
  };
}
