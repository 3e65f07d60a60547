/**
 * createSnmpClient: GET of many OIDs and GETBULK (v2c) / GETNEXT (v1) walks on top of the shared transport.
 * snmp-native has no GETBULK; the GetBulkRequest PDU (0xA5) carries non-repeaters and max-repetitions in the
 * error-status and error-index slots, which our encoder fills from the request spec.
 */
import { compareOids, isUnder, normalizeOid } from './oid.ts';
import { createTransport } from './transport.ts';
import { PduTag, SnmpError, SnmpType } from './types.ts';
import type { SnmpClient, SnmpRequestOptions, SnmpTarget, SnmpWalkOptions, Varbind } from './types.ts';

export interface SnmpClientOptions {
  /** Default wait for one answer; each call may override. */
  timeoutMs: number;
  /** Default resends after the first try; each call may override. */
  retries: number;
  /** Requests in flight at once over all devices (e.g. 256). More wait in a FIFO queue. */
  maxInFlight: number;
  /**
   * A request stops holding its window slot after this long without an answer (it still waits for its answer
   * until timeoutMs). Default 100 ms: silent devices then cannot clog the window. Set Infinity for a strict window.
   */
  slotHoldMs?: number;
  /** SO_RCVBUF for the shared socket (kernel caps at net.core.rmem_max). Default 4 MiB. */
  recvBufferBytes?: number;
  /** OIDs per GET PDU (default 32). */
  maxOidsPerPdu?: number;
  /** Default GETBULK max-repetitions per request, shared among walked columns (default 50). */
  maxRepetitions?: number;
  /** Default cap of varbinds per walk (default 100,000). */
  maxVarbinds?: number;
}

const ERR_TOO_BIG = 1;
const ERR_NO_SUCH_NAME = 2;
const ERROR_NAMES = ['noError', 'tooBig', 'noSuchName', 'badValue', 'readOnly', 'genErr', 'noAccess', 'wrongType',
  'wrongLength', 'wrongEncoding', 'wrongValue', 'noCreation', 'inconsistentValue', 'resourceUnavailable',
  'commitFailed', 'undoFailed', 'authorizationError', 'notWritable', 'inconsistentName'];

function errorName(status: number): string {
  return ERROR_NAMES[status] ?? `error-status ${status}`;
}

function isException(type: number): boolean {
  return type === SnmpType.NoSuchObject || type === SnmpType.NoSuchInstance || type === SnmpType.EndOfMibView;
}

export function createSnmpClient(options: SnmpClientOptions): SnmpClient {
  const transport = createTransport({
    maxInFlight: options.maxInFlight,
    slotHoldMs: options.slotHoldMs ?? 100,
    recvBufferBytes: options.recvBufferBytes,
  });
  const maxOidsPerPdu = options.maxOidsPerPdu ?? 32;
  const defaultMaxRep = options.maxRepetitions ?? 50;
  const defaultMaxVarbinds = options.maxVarbinds ?? 100_000;

  function timing(opts: SnmpRequestOptions | undefined): { timeoutMs: number; retries: number } {
    return { timeoutMs: opts?.timeoutMs ?? options.timeoutMs, retries: opts?.retries ?? options.retries };
  }

  async function getChunk(target: SnmpTarget, oids: string[], opts: SnmpRequestOptions | undefined): Promise<Varbind[]> {
    let ask = oids;
    // v1 answers a missing OID with noSuchName for the whole PDU: drop it and ask again (at most once per OID).
    for (let round = 0; round <= oids.length; round++) {
      if (ask.length === 0) return [];
      const msg = await transport.request(target, { pduTag: PduTag.GetRequest, oids: ask, a: 0, b: 0, ...timing(opts) });
      if (msg.errorStatus === ERR_NO_SUCH_NAME && msg.errorIndex >= 1 && msg.errorIndex <= ask.length) {
        ask = ask.filter((_, i) => i !== msg.errorIndex - 1);
        continue;
      }
      if (msg.errorStatus === ERR_TOO_BIG && ask.length > 1) {
        const half = Math.ceil(ask.length / 2);
        const [x, y] = await Promise.all([getChunk(target, ask.slice(0, half), opts), getChunk(target, ask.slice(half), opts)]);
        return [...x, ...y];
      }
      if (msg.errorStatus !== 0) {
        throw new SnmpError('protocol', `agent answered ${errorName(msg.errorStatus)} (index ${msg.errorIndex}) to GET`);
      }
      if (msg.varbinds.length !== ask.length) {
        throw new SnmpError('protocol', `GET of ${ask.length} OIDs answered with ${msg.varbinds.length} varbinds`);
      }
      return msg.varbinds.filter((vb) => !isException(vb.type));
    }
    return [];
  }

  async function walkColumns(target: SnmpTarget, rootOids: readonly string[], opts?: SnmpWalkOptions): Promise<Varbind[]> {
    const cols = rootOids.map((r) => ({ root: normalizeOid(r), cur: normalizeOid(r), done: false, rows: [] as Varbind[] }));
    const useNext = target.version === '1' || opts?.useGetNext === true;
    let budget = Math.max(1, opts?.maxRepetitions ?? defaultMaxRep);
    const maxVarbinds = opts?.maxVarbinds ?? defaultMaxVarbinds;
    let total = 0;
    for (;;) {
      const act = cols.filter((c) => !c.done);
      if (act.length === 0) break;
      const oids = act.map((c) => c.cur);
      const maxRep = Math.max(1, Math.floor(budget / act.length));
      const msg = await transport.request(target, useNext
        ? { pduTag: PduTag.GetNextRequest, oids, a: 0, b: 0, ...timing(opts) }
        : { pduTag: PduTag.GetBulkRequest, oids, a: 0, b: maxRep, ...timing(opts) });
      if (msg.errorStatus === ERR_NO_SUCH_NAME && msg.errorIndex >= 1 && msg.errorIndex <= act.length) {
        // v1 end of view for that column.
        (act[msg.errorIndex - 1] as (typeof act)[number]).done = true;
        continue;
      }
      if (msg.errorStatus === ERR_TOO_BIG && !useNext && maxRep > 1) {
        budget = Math.max(1, Math.floor(budget / 2));
        continue;
      }
      if (msg.errorStatus !== 0) {
        throw new SnmpError('protocol', `agent answered ${errorName(msg.errorStatus)} to ${useNext ? 'GETNEXT' : 'GETBULK'}`);
      }
      if (msg.varbinds.length === 0) throw new SnmpError('protocol', 'empty answer to a walk request');
      let progressed = false;
      msg.varbinds.forEach((vb, i) => {
        const c = act[i % act.length];
        if (!c || c.done) return;
        if (isException(vb.type) || !isUnder(c.root, vb.oid)) {
          c.done = true;
          progressed = true;
          return;
        }
        if (compareOids(vb.oid, c.cur) <= 0) {
          throw new SnmpError('protocol', `OID not increasing: ${vb.oid} after ${c.cur}`);
        }
        c.rows.push(vb);
        c.cur = vb.oid;
        progressed = true;
        total++;
      });
      if (total > maxVarbinds) throw new SnmpError('protocol', `walk exceeded ${maxVarbinds} varbinds`);
      if (!progressed) throw new SnmpError('protocol', 'walk made no progress');
    }
    return cols.flatMap((c) => c.rows);
  }

  return {
    async get(target: SnmpTarget, oids: readonly string[], opts?: SnmpRequestOptions): Promise<Varbind[]> {
      const norm = oids.map(normalizeOid);
      if (norm.length <= maxOidsPerPdu) return getChunk(target, norm, opts);
      const chunks: string[][] = [];
      for (let i = 0; i < norm.length; i += maxOidsPerPdu) chunks.push(norm.slice(i, i + maxOidsPerPdu));
      const parts = await Promise.all(chunks.map((c) => getChunk(target, c, opts)));
      return parts.flat();
    },
    async getNext(target: SnmpTarget, oids: readonly string[], opts?: SnmpRequestOptions): Promise<Varbind[]> {
      let ask = oids.map(normalizeOid);
      const out: Varbind[] = [];
      while (ask.length > 0) {
        const msg = await transport.request(target, { pduTag: PduTag.GetNextRequest, oids: ask, a: 0, b: 0, ...timing(opts) });
        if (msg.errorStatus === ERR_NO_SUCH_NAME && msg.errorIndex >= 1 && msg.errorIndex <= ask.length) {
          ask = ask.filter((_, i) => i !== msg.errorIndex - 1);
          continue;
        }
        if (msg.errorStatus !== 0) throw new SnmpError('protocol', `agent answered ${errorName(msg.errorStatus)} to GETNEXT`);
        if (msg.varbinds.length !== ask.length) {
          throw new SnmpError('protocol', `GETNEXT of ${ask.length} OIDs answered with ${msg.varbinds.length} varbinds`);
        }
        out.push(...msg.varbinds.filter((vb) => !isException(vb.type)));
        break;
      }
      return out;
    },
    walk(target: SnmpTarget, rootOid: string, opts?: SnmpWalkOptions): Promise<Varbind[]> {
      return walkColumns(target, [rootOid], opts);
    },
    walkColumns,
    stats: () => transport.stats(),
    close: () => transport.close(),
  };
}
