/**
 * Strict BER decoding of SNMP v1/v2c messages: every length is checked against the buffer and anything short,
 * long or unknown throws BerError, so a truncated or garbage datagram is never half-read.
 */
import { BerError } from './ber-error.ts';
import { SnmpType } from './types.ts';
import type { Varbind, VarbindValue } from './types.ts';

export interface SnmpMessage {
  /** 0 = v1, 1 = v2c. */
  version: number;
  community: Buffer;
  pduTag: number;
  requestId: number;
  /** error-status, or non-repeaters in a GetBulkRequest. */
  errorStatus: number;
  /** error-index, or max-repetitions in a GetBulkRequest. */
  errorIndex: number;
  varbinds: Varbind[];
}

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

function readTlv(buf: Buffer, pos: number, limit: number): Tlv {
  if (pos + 2 > limit) throw new BerError(`truncated header at byte ${pos}`);
  const tag = buf[pos] as number;
  let len = buf[pos + 1] as number;
  let start = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new BerError(`unsupported length form at byte ${pos}`);
    if (start + n > limit) throw new BerError(`truncated length at byte ${pos}`);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[start + i] as number);
    start += n;
  }
  const end = start + len;
  if (end > limit) throw new BerError(`value at byte ${pos} runs past the end (${end} > ${limit})`);
  return { tag, start, end };
}

function expect(tlv: Tlv, tag: number, what: string): void {
  if (tlv.tag !== tag) throw new BerError(`expected ${what} (0x${tag.toString(16)}), got 0x${tlv.tag.toString(16)}`);
}

function readSigned(buf: Buffer, start: number, end: number): number {
  const n = end - start;
  if (n < 1 || n > 6) throw new BerError(`integer of ${n} bytes`);
  return buf.readIntBE(start, n);
}

function readUnsigned32(buf: Buffer, start: number, end: number): number {
  const n = end - start;
  if (n < 1 || n > 5) throw new BerError(`unsigned of ${n} bytes`);
  if (n === 5 && buf[start] !== 0) throw new BerError('unsigned32 out of range');
  return buf.readUIntBE(n === 5 ? start + 1 : start, n === 5 ? 4 : n);
}

function readUnsigned64(buf: Buffer, start: number, end: number): bigint {
  const n = end - start;
  if (n < 1 || n > 9) throw new BerError(`counter64 of ${n} bytes`);
  let v = 0n;
  for (let i = start; i < end; i++) v = (v << 8n) | BigInt(buf[i] as number);
  return v & 0xffffffffffffffffn;
}

/** Decoded OIDs by their BER bytes: pollers see the same OIDs every cycle, so most decodes are one lookup. */
const oidStrings = new Map<string, string>();
const OID_CACHE_MAX = 50_000;

export function decodeOid(buf: Buffer, start: number, end: number): string {
  if (end <= start) throw new BerError('empty OID');
  const key = buf.toString('latin1', start, end);
  const hit = oidStrings.get(key);
  if (hit !== undefined) return hit;
  const arcs: number[] = [];
  let arc = 0;
  for (let i = start; i < end; i++) {
    const b = buf[i] as number;
    arc = arc * 128 + (b & 0x7f);
    if (arc > 0xffffffff * 128) throw new BerError('OID arc overflow');
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) {
        const x = arc < 40 ? 0 : arc < 80 ? 1 : 2;
        arcs.push(x, arc - x * 40);
      } else {
        arcs.push(arc);
      }
      arc = 0;
    } else if (i === end - 1) {
      throw new BerError('OID ends inside an arc');
    }
  }
  const oid = arcs.join('.');
  if (oidStrings.size >= OID_CACHE_MAX) oidStrings.clear();
  oidStrings.set(key, oid);
  return oid;
}

function decodeValue(buf: Buffer, tlv: Tlv): VarbindValue {
  const { tag, start, end } = tlv;
  switch (tag) {
    case SnmpType.Integer:
      return readSigned(buf, start, end);
    case SnmpType.Counter32:
    case SnmpType.Gauge32:
    case SnmpType.TimeTicks:
      return readUnsigned32(buf, start, end);
    case SnmpType.Counter64:
      return readUnsigned64(buf, start, end);
    case SnmpType.OctetString:
    case SnmpType.Opaque:
      return Buffer.from(buf.subarray(start, end));
    case SnmpType.ObjectIdentifier:
      return decodeOid(buf, start, end);
    case SnmpType.IpAddress:
      if (end - start !== 4) throw new BerError('IpAddress not 4 bytes');
      return `${buf[start]}.${buf[start + 1]}.${buf[start + 2]}.${buf[start + 3]}`;
    case SnmpType.Null:
    case SnmpType.NoSuchObject:
    case SnmpType.NoSuchInstance:
    case SnmpType.EndOfMibView:
      return null;
    default:
      throw new BerError(`unknown value type 0x${tag.toString(16)}`);
  }
}

/** Decodes one datagram. Throws BerError on anything malformed; never returns a partial message. */
export function decodeMessage(buf: Buffer): SnmpMessage {
  const outer = readTlv(buf, 0, buf.length);
  expect(outer, 0x30, 'message SEQUENCE');
  if (outer.end !== buf.length) throw new BerError(`${buf.length - outer.end} trailing bytes after message`);
  const ver = readTlv(buf, outer.start, outer.end);
  expect(ver, 0x02, 'version INTEGER');
  const community = readTlv(buf, ver.end, outer.end);
  expect(community, 0x04, 'community OCTET STRING');
  const pdu = readTlv(buf, community.end, outer.end);
  if (pdu.tag < 0xa0 || pdu.tag > 0xa8) throw new BerError(`unknown PDU tag 0x${pdu.tag.toString(16)}`);
  const rid = readTlv(buf, pdu.start, pdu.end);
  expect(rid, 0x02, 'request-id');
  const es = readTlv(buf, rid.end, pdu.end);
  expect(es, 0x02, 'error-status');
  const ei = readTlv(buf, es.end, pdu.end);
  expect(ei, 0x02, 'error-index');
  const list = readTlv(buf, ei.end, pdu.end);
  expect(list, 0x30, 'varbind list');
  const varbinds: Varbind[] = [];
  let p = list.start;
  while (p < list.end) {
    const vb = readTlv(buf, p, list.end);
    expect(vb, 0x30, 'varbind');
    const name = readTlv(buf, vb.start, vb.end);
    expect(name, 0x06, 'varbind name');
    const val = readTlv(buf, name.end, vb.end);
    if (val.end !== vb.end) throw new BerError('extra bytes inside a varbind');
    varbinds.push({ oid: decodeOid(buf, name.start, name.end), type: val.tag, value: decodeValue(buf, val) });
    p = vb.end;
  }
  return {
    version: readSigned(buf, ver.start, ver.end),
    community: buf.subarray(community.start, community.end),
    pduTag: pdu.tag,
    requestId: readSigned(buf, rid.start, rid.end),
    errorStatus: readSigned(buf, es.start, es.end),
    errorIndex: readSigned(buf, ei.start, ei.end),
    varbinds,
  };
}
