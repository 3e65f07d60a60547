/**
 * Why Jangkau has its own RADIUS codec (server/radius/protocol/packet.ts) instead of the npm `radius` package
 * (1.1.4, the one maintained JavaScript codec): the work of one Access-Request -> Access-Accept on the server side,
 * both ways, in the same process on the same packets. Baseline: the `radius` package.
 *   parse + Message-Authenticator check + reveal User-Password + encode the reply (Message-Authenticator included)
 * Also printed: the facts that decided it besides speed (see server/radius/README.md).
 *
 *   npx tsx bench/radius-codec.ts [iterations=50000]
 */
import { createRequire } from 'node:module';
import { STANDARD } from '../server/radius/protocol/dictionary.ts';
import { attr, CODE, encodeReply, encodeRequest, findAttribute, messageAuthenticatorValid, parsePacket, revealPassword } from '../server/radius/protocol/packet.ts';

interface RadiusLib {
  decode(args: { packet: Buffer; secret: string }): { code: string; identifier: number; authenticator: Buffer; attributes: Record<string, unknown>; raw_attributes: unknown[] };
  encode_response(args: { packet: unknown; code: string; secret: string; attributes: Array<[string, unknown]> }): Buffer;
}
const radius = createRequire(import.meta.url)('radius') as RadiusLib;

const N = Number(process.argv[2] ?? 50_000);
const secret = 'bench-shared-secret-1';
const secretBuf = Buffer.from(secret);
const packets = Array.from({ length: 256 }, (_, i) =>
  encodeRequest(CODE.AccessRequest, i, [attr.string(STANDARD.UserName.type, `ABCDE${String(10000 + i).slice(1)}X`), attr.string(STANDARD.CallingStationId.type, '02-00-00-00-00-01'), attr.ipv4(STANDARD.NasIpAddress.type, '10.5.50.1')], secretBuf, { password: 'ABCDE23456' }),
);

function ours(buf: Buffer): Buffer {
  const p = parsePacket(buf);
  if (!p.ok || !messageAuthenticatorValid(p.packet, secretBuf)) throw new Error('bad');
  const pw = revealPassword(findAttribute(p.packet, STANDARD.UserPassword.type)!, secretBuf, p.packet.authenticator);
  if (pw === null) throw new Error('bad');
  return encodeReply(p.packet, CODE.AccessAccept, [attr.integer(STANDARD.SessionTimeout.type, 3600), attr.integer(STANDARD.IdleTimeout.type, 900), attr.string(STANDARD.Class.type, 'jk1:abcdefghijklmnopqrstuvwxyz')], secretBuf);
}

function theirs(buf: Buffer): Buffer {
  const p = radius.decode({ packet: buf, secret });
  if (typeof p.attributes['User-Password'] !== 'string') throw new Error('bad');
  return radius.encode_response({ packet: p, code: 'Access-Accept', secret, attributes: [['Session-Timeout', 3600], ['Idle-Timeout', 900], ['Class', Buffer.from('jk1:abcdefghijklmnopqrstuvwxyz')]] });
}

function time(fn: (b: Buffer) => Buffer): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) fn(packets[i & 255]!);
  return Number(process.hrtime.bigint() - t0) / 1000 / N;
}

for (let i = 0; i < 5000; i++) {
  ours(packets[i & 255]!);
  theirs(packets[i & 255]!);
}
const rounds: Array<{ ours: number; theirs: number }> = [];
for (let r = 0; r < 5; r++) rounds.push({ theirs: time(theirs), ours: time(ours) });
const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[2]!;
const o = med(rounds.map((r) => r.ours));
const t = med(rounds.map((r) => r.theirs));
process.stdout.write(`${N} Access-Request -> Access-Accept per run, 5 runs, median (shared 2-core machine)\n`);
process.stdout.write(`| codec | us per request | ratio to radius@1.1.4 |\n|---|---|---|\n| radius@1.1.4 (npm) | ${t.toFixed(2)} | 1.00 |\n| Jangkau's own | ${o.toFixed(2)} | ${(o / t).toFixed(2)} |\n`);
const reply = theirs(packets[0]!);
process.stdout.write(`radius@1.1.4 puts Message-Authenticator at attribute offset ${reply.indexOf(Buffer.from([80, 18]), 20) - 20} of ${reply.length - 20} (last); ours at 0 (first)\n`);
process.stdout.write(`radius@1.1.4 compares authenticators as UTF-8 strings: 16 x 0xff equals 16 x 0xfe -> ${Buffer.alloc(16, 0xff).toString() === Buffer.alloc(16, 0xfe).toString()}\n`);
