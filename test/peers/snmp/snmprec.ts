/** Reads an snmpsim `.snmprec` recording (`OID|TYPE|VALUE`, see shared/data/SOURCES.md) into sorted records. */
import { readFileSync } from 'node:fs';
import { SnmpType } from '../../../collectors/snmp/types.ts';
import type { VarbindValue } from '../../../collectors/snmp/types.ts';

export interface SnmprecRecord {
  oid: string;
  arcs: number[];
  type: number;
  value: VarbindValue;
}

function parseValue(tag: string, raw: string, line: number): { type: number; value: VarbindValue } {
  const hex = tag.endsWith('x');
  const type = Number(hex ? tag.slice(0, -1) : tag);
  const bytes = (): Buffer => (hex ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'utf8'));
  switch (type) {
    case SnmpType.Integer:
      return { type, value: Number(raw) };
    case SnmpType.OctetString:
    case SnmpType.Opaque:
      return { type, value: bytes() };
    case SnmpType.Null:
      return { type, value: null };
    case SnmpType.ObjectIdentifier:
      return { type, value: raw.replace(/^\./, '') };
    case SnmpType.IpAddress:
      return { type, value: hex ? [...Buffer.from(raw, 'hex')].join('.') : raw };
    case SnmpType.Counter32:
    case SnmpType.Gauge32:
    case SnmpType.TimeTicks:
      return { type, value: Number(raw) };
    case SnmpType.Counter64:
      return { type, value: BigInt(raw) };
    default:
      throw new Error(`snmprec line ${line}: unknown type ${tag}`);
  }
}

export function compareArcs(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

export function parseSnmprec(text: string): SnmprecRecord[] {
  const out: SnmprecRecord[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const first = line.indexOf('|');
    const second = line.indexOf('|', first + 1);
    if (first < 0 || second < 0) throw new Error(`snmprec line ${i + 1}: expected OID|TYPE|VALUE`);
    const oid = line.slice(0, first).replace(/^\./, '');
    const { type, value } = parseValue(line.slice(first + 1, second), line.slice(second + 1).replace(/\r$/, ''), i + 1);
    out.push({ oid, arcs: oid.split('.').map(Number), type, value });
  });
  return out.sort((a, b) => compareArcs(a.arcs, b.arcs));
}

export function loadSnmprec(path: string | URL): SnmprecRecord[] {
  return parseSnmprec(readFileSync(path, 'utf8'));
}
