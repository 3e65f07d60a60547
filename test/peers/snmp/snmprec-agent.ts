/**
 * A real SNMP v1/v2c responder over UDP serving `.snmprec` recordings: GET, GETNEXT and GETBULK over the sorted
 * records, noSuchObject/noSuchInstance/endOfMibView (v2c) or noSuchName (v1). One socket can serve several
 * simulated devices, told apart by community. Faults on demand: silence, garbage, truncated datagrams, a wrong
 * request-id, another community in the answer, a delay, or walks that never advance (`walk-loop`: once the
 * cursor is an existing OID, GETNEXT/GETBULK answer with that same OID again, as some broken agents do).
 */
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { decodeMessage, encodeMessage, encodeValueContent } from '../../../collectors/snmp/ber.ts';
import type { SnmpMessage } from '../../../collectors/snmp/ber.ts';
import { PduTag, SnmpType } from '../../../collectors/snmp/types.ts';
import type { VarbindValue } from '../../../collectors/snmp/types.ts';
import { compareArcs } from './snmprec.ts';
import type { SnmprecRecord } from './snmprec.ts';

export type AgentFault = 'none' | 'silent' | 'garbage' | 'truncated' | 'wrong-request-id' | 'other-community' | 'delay' | 'walk-loop';

export interface AgentDevice {
  records: SnmprecRecord[];
  fault?: AgentFault;
  delayMs?: number;
}

export interface SnmprecAgent {
  host: string;
  port: number;
  /** Requests seen (any community), for assertions. */
  requests: number;
  setFault(community: string, fault: AgentFault, delayMs?: number): void;
  close(): Promise<void>;
}

interface IndexedDevice extends AgentDevice {
  byOid: Map<string, number>;
  contents: Buffer[];
}

const MAX_VARBINDS_PER_RESPONSE = 1000;

function nextIndex(records: readonly SnmprecRecord[], arcs: readonly number[]): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareArcs((records[mid] as SnmprecRecord).arcs, arcs) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

type OutVarbind = { oid: string; type: number; value: VarbindValue; content?: Buffer };

function outAt(dev: IndexedDevice, i: number): OutVarbind {
  const rec = dev.records[i] as SnmprecRecord;
  return { oid: rec.oid, type: rec.type, value: rec.value, content: dev.contents[i] };
}

function answer(dev: IndexedDevice, req: SnmpMessage, opts: { stuck: boolean }): { varbinds: OutVarbind[]; errorStatus: number; errorIndex: number } {
  const v1 = req.version === 0;
  const out: OutVarbind[] = [];
  const next = (oid: string): OutVarbind | null => {
    const exact = dev.byOid.get(oid);
    if (exact !== undefined && opts.stuck) return outAt(dev, exact);
    const i = exact !== undefined ? exact + 1 : nextIndex(dev.records, oid.split('.').map(Number));
    return i < dev.records.length ? outAt(dev, i) : null;
  };
  if (req.pduTag === PduTag.GetRequest) {
    for (let i = 0; i < req.varbinds.length; i++) {
      const oid = (req.varbinds[i] as OutVarbind).oid;
      const at = dev.byOid.get(oid);
      if (at !== undefined) out.push(outAt(dev, at));
      else if (v1) return { varbinds: req.varbinds, errorStatus: 2, errorIndex: i + 1 };
      else {
        const parent = oid.slice(0, oid.lastIndexOf('.'));
        const sibling = [...dev.byOid.keys()].some((k) => k.startsWith(parent + '.'));
        out.push({ oid, type: sibling ? SnmpType.NoSuchInstance : SnmpType.NoSuchObject, value: null });
      }
    }
    return { varbinds: out, errorStatus: 0, errorIndex: 0 };
  }
  if (req.pduTag === PduTag.GetNextRequest) {
    for (let i = 0; i < req.varbinds.length; i++) {
      const oid = (req.varbinds[i] as OutVarbind).oid;
      const n = next(oid);
      if (n) out.push(n);
      else if (v1) return { varbinds: req.varbinds, errorStatus: 2, errorIndex: i + 1 };
      else out.push({ oid, type: SnmpType.EndOfMibView, value: null });
    }
    return { varbinds: out, errorStatus: 0, errorIndex: 0 };
  }
  if (req.pduTag === PduTag.GetBulkRequest && !v1) {
    const nonRep = Math.max(0, Math.min(req.errorStatus, req.varbinds.length));
    const maxRep = Math.max(0, req.errorIndex);
    for (let i = 0; i < nonRep; i++) {
      const oid = (req.varbinds[i] as OutVarbind).oid;
      out.push(next(oid) ?? { oid, type: SnmpType.EndOfMibView, value: null });
    }
    const cursors = req.varbinds.slice(nonRep).map((vb) => vb.oid);
    for (let r = 0; r < maxRep && cursors.length > 0; r++) {
      if (out.length + cursors.length > MAX_VARBINDS_PER_RESPONSE) break;
      let allEnd = true;
      cursors.forEach((cur, c) => {
        const n = next(cur);
        if (n) {
          out.push(n);
          cursors[c] = n.oid;
          allEnd = false;
        } else {
          out.push({ oid: cur, type: SnmpType.EndOfMibView, value: null });
        }
      });
      if (allEnd) break;
    }
    return { varbinds: out, errorStatus: 0, errorIndex: 0 };
  }
  return { varbinds: req.varbinds, errorStatus: 5, errorIndex: 0 };
}

const indexCache = new WeakMap<SnmprecRecord[], { byOid: Map<string, number>; contents: Buffer[] }>();
function indexed(d: AgentDevice): IndexedDevice {
  let idx = indexCache.get(d.records);
  if (!idx) {
    idx = {
      byOid: new Map(d.records.map((r, i) => [r.oid, i])),
      contents: d.records.map((r) => encodeValueContent(r.type, r.value)),
    };
    indexCache.set(d.records, idx);
  }
  return { ...d, ...idx };
}

export function startSnmprecAgent(options: {
  host: string;
  port: number;
  devices: Record<string, AgentDevice>;
  /** For large simulated fleets: devices found by community on demand (answers silence when undefined). */
  resolve?: (community: string) => AgentDevice | undefined;
}): Promise<SnmprecAgent> {
  const devices = new Map<string, IndexedDevice>();
  for (const [community, d] of Object.entries(options.devices)) devices.set(community, indexed(d));
  const lookup = (community: string): IndexedDevice | undefined => {
    const known = devices.get(community);
    if (known || !options.resolve) return known;
    const found = options.resolve(community);
    if (!found) return undefined;
    const dev = indexed(found);
    devices.set(community, dev);
    return dev;
  };
  const socket: Socket = createSocket('udp4');
  const agent: SnmprecAgent = {
    host: options.host,
    port: options.port,
    requests: 0,
    setFault(community: string, fault: AgentFault, delayMs?: number): void {
      const d = devices.get(community);
      if (d) {
        d.fault = fault;
        d.delayMs = delayMs;
      }
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
  socket.on('error', () => undefined);
  socket.on('message', (buf, rinfo) => {
    try {
      agent.requests++;
      const req = decodeMessage(buf);
      const dev = lookup(req.community.toString('utf8'));
      if (!dev) return; // unknown community: a real agent stays silent
      const fault = dev.fault ?? 'none';
      if (fault === 'silent') return;
      const { varbinds, errorStatus, errorIndex } = answer(dev, req, { stuck: fault === 'walk-loop' });
      const reply = encodeMessage({
        version: req.version,
        community: fault === 'other-community' ? Buffer.from('not-the-same') : req.community,
        pduTag: PduTag.Response,
        requestId: fault === 'wrong-request-id' ? (req.requestId + 7777) & 0x7fffffff : req.requestId,
        errorStatus,
        errorIndex,
        varbinds,
      });
      let out = reply;
      if (fault === 'garbage') out = Buffer.from('\x30\x82\xff\xffnot an snmp message at all', 'latin1');
      if (fault === 'truncated') out = reply.subarray(0, Math.max(1, Math.floor(reply.length * 0.6)));
      const send = (): void => socket.send(out, rinfo.port, rinfo.address);
      if (fault === 'delay') setTimeout(send, dev.delayMs ?? 0);
      else send();
    } catch {
      // a request we cannot read: drop it, as an agent would
    }
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port, options.host, () => {
      socket.off('error', reject);
      const addr = socket.address();
      agent.port = addr.port;
      resolve(agent);
    });
  });
}
