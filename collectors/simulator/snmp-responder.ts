/**
 * One simulated SNMP v1/v2c agent on its own UDP socket: GET, GETNEXT and GETBULK over the records its MIB function
 * gives for the current moment (noSuchObject/noSuchInstance/endOfMibView on v2c, noSuchName on v1). Answers only
 * its community; stays silent while `silent()` says so. A request it cannot read is dropped, as an agent would.
 */
import { createSocket, type Socket } from 'node:dgram';
import { decodeMessage, encodeMessage } from '../snmp/ber.ts';
import type { SnmpMessage } from '../snmp/ber.ts';
import { PduTag, SnmpType } from '../snmp/types.ts';
import type { VarbindValue } from '../snmp/types.ts';
import { compareArcs, type MibRecord } from './snmp-mib.ts';

export interface SnmpResponderOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  community: string;
  /** The records at this moment, sorted by OID. */
  mib: () => MibRecord[];
  silent: () => boolean;
}

export interface SnmpResponder {
  host: string;
  port: number;
  /** Requests answered and requests ignored (silence, wrong community, unreadable). */
  stats: { answered: number; ignored: number };
  close(): Promise<void>;
}

type Out = { oid: string; type: number; value: VarbindValue };

const MAX_VARBINDS = 500;

/** Index of the first record strictly after `arcs`. */
function after(records: readonly MibRecord[], arcs: readonly number[]): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareArcs((records[mid] as MibRecord).arcs, arcs) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function exact(records: readonly MibRecord[], arcs: readonly number[]): MibRecord | undefined {
  const i = after(records, arcs) - 1;
  const r = records[i];
  return r !== undefined && compareArcs(r.arcs, arcs) === 0 ? r : undefined;
}

function arcsOf(oid: string): number[] {
  return oid.split('.').map(Number);
}

/** The varbinds of the answer, or an error-status with its index. */
export function answerRequest(records: readonly MibRecord[], req: SnmpMessage): { varbinds: Out[]; errorStatus: number; errorIndex: number } {
  const v1 = req.version === 0;
  const nextOf = (oid: string): MibRecord | undefined => records[after(records, arcsOf(oid))];
  const out: Out[] = [];
  if (req.pduTag === PduTag.GetRequest || req.pduTag === PduTag.GetNextRequest) {
    const isGet = req.pduTag === PduTag.GetRequest;
    for (const [i, vb] of req.varbinds.entries()) {
      const found = isGet ? exact(records, arcsOf(vb.oid)) : nextOf(vb.oid);
      if (found !== undefined) out.push(found);
      else if (v1) return { varbinds: req.varbinds, errorStatus: 2, errorIndex: i + 1 };
      else if (!isGet) out.push({ oid: vb.oid, type: SnmpType.EndOfMibView, value: null });
      else {
        const parent = vb.oid.slice(0, vb.oid.lastIndexOf('.') + 1);
        const sibling = records.some((r) => r.oid.startsWith(parent));
        out.push({ oid: vb.oid, type: sibling ? SnmpType.NoSuchInstance : SnmpType.NoSuchObject, value: null });
      }
    }
    return { varbinds: out, errorStatus: 0, errorIndex: 0 };
  }
  if (req.pduTag === PduTag.GetBulkRequest && !v1) {
    const nonRepeaters = Math.max(0, Math.min(req.errorStatus, req.varbinds.length));
    const maxRepetitions = Math.max(0, req.errorIndex);
    for (const vb of req.varbinds.slice(0, nonRepeaters)) out.push(nextOf(vb.oid) ?? { oid: vb.oid, type: SnmpType.EndOfMibView, value: null });
    const cursors = req.varbinds.slice(nonRepeaters).map((vb) => vb.oid);
    for (let r = 0; r < maxRepetitions && cursors.length > 0 && out.length + cursors.length <= MAX_VARBINDS; r++) {
      let moved = false;
      for (const [c, cur] of cursors.entries()) {
        const n = nextOf(cur);
        if (n === undefined) out.push({ oid: cur, type: SnmpType.EndOfMibView, value: null });
        else {
          out.push(n);
          cursors[c] = n.oid;
          moved = true;
        }
      }
      if (!moved) break;
    }
    return { varbinds: out, errorStatus: 0, errorIndex: 0 };
  }
  // SET and anything else: this agent is read-only (genErr on v1, notWritable's cousin on v2c).
  return { varbinds: req.varbinds, errorStatus: v1 ? 5 : 17, errorIndex: 1 };
}

export function startSnmpResponder(options: SnmpResponderOptions): Promise<SnmpResponder> {
  const socket: Socket = createSocket('udp4');
  const stats = { answered: 0, ignored: 0 };
  const community = Buffer.from(options.community, 'utf8');
  socket.on('message', (buf, rinfo) => {
    try {
      if (options.silent()) {
        stats.ignored++;
        return;
      }
      const req = decodeMessage(buf);
      if (!req.community.equals(community)) {
        stats.ignored++;
        return;
      }
      const { varbinds, errorStatus, errorIndex } = answerRequest(options.mib(), req);
      const reply = encodeMessage({ version: req.version, community: req.community, pduTag: PduTag.Response, requestId: req.requestId, errorStatus, errorIndex, varbinds });
      socket.send(reply, rinfo.port, rinfo.address, () => undefined);
      stats.answered++;
    } catch {
      stats.ignored++;
    }
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port, options.host, () => {
      socket.off('error', reject);
      socket.on('error', () => undefined);
      resolve({
        host: options.host,
        port: socket.address().port,
        stats,
        close: () => new Promise<void>((done) => socket.close(() => done())),
      });
    });
  });
}
