/** Shared SNMP types: what a caller passes in and what comes back. */

/** BER tags of SNMP values (application and context tags included). */
export const SnmpType = {
  Integer: 0x02,
  OctetString: 0x04,
  Null: 0x05,
  ObjectIdentifier: 0x06,
  IpAddress: 0x40,
  Counter32: 0x41,
  Gauge32: 0x42,
  TimeTicks: 0x43,
  Opaque: 0x44,
  Counter64: 0x46,
  NoSuchObject: 0x80,
  NoSuchInstance: 0x81,
  EndOfMibView: 0x82,
} as const;

export const PduTag = {
  GetRequest: 0xa0,
  GetNextRequest: 0xa1,
  Response: 0xa2,
  SetRequest: 0xa3,
  GetBulkRequest: 0xa5,
} as const;

/** A decoded value: Integer/Counter32/Gauge32/TimeTicks -> number, Counter64 -> bigint, OctetString/Opaque -> Buffer,
 * ObjectIdentifier and IpAddress -> dotted string, Null and the v2 exceptions -> null. */
export type VarbindValue = number | bigint | string | Buffer | null;

export interface Varbind {
  /** Dotted OID without a leading dot, e.g. `1.3.6.1.2.1.1.3.0`. */
  oid: string;
  /** BER tag, see SnmpType. */
  type: number;
  value: VarbindValue;
}

export interface SnmpTarget {
  host: string;
  port: number;
  community: string;
  version: '2c' | '1';
}

export interface SnmpRequestOptions {
  /** Time to wait for one answer before resending (or giving up). */
  timeoutMs?: number;
  /** Resends after the first try; 1 retry => at most 2 datagrams. */
  retries?: number;
}

export interface SnmpWalkOptions extends SnmpRequestOptions {
  /** GETBULK max-repetitions (split over the walked columns). Ignored for v1 (GETNEXT). */
  maxRepetitions?: number;
  /** Use GETNEXT even on v2c (for comparison or broken agents). */
  useGetNext?: boolean;
  /** Stop after this many varbinds (a runaway agent must not eat memory). */
  maxVarbinds?: number;
}

/** Closed set of failure kinds; a subset of core's PollErrorKind so a poll failure can carry it unchanged. */
export type SnmpErrorKind = 'timeout' | 'malformed' | 'protocol' | 'auth' | 'unreachable' | 'config' | 'internal';

export class SnmpError extends Error {
  readonly kind: SnmpErrorKind;
  constructor(kind: SnmpErrorKind, message: string) {
    super(message);
    this.name = 'SnmpError';
    this.kind = kind;
  }
}

export interface SnmpClientStats {
  sent: number;
  retransmits: number;
  received: number;
  malformed: number;
  /** Answers with a request-id nobody asked from that address (counted as `protocol` trouble for the address). */
  unmatched: number;
  /**
   * Late answers: the request-id of a request of that agent already settled (answered by an earlier try, or given up).
   * A slow agent, not a broken one: counted here, never a `protocol` error, and the requests behind it keep waiting.
   */
  late: number;
  /** Requests holding a window slot. */
  inFlight: number;
  /** Requests sent and not yet settled (>= inFlight when slotHoldMs releases slots early). */
  pending: number;
  queued: number;
}

export interface SnmpClient {
  /** GET of many OIDs (split into PDUs of `maxOidsPerPdu`). Absent OIDs (noSuch*) are left out of the result. */
  get(target: SnmpTarget, oids: readonly string[], opts?: SnmpRequestOptions): Promise<Varbind[]>;
  /** One GETNEXT of many OIDs (one varbind per OID; endOfMibView/noSuch* left out). */
  getNext(target: SnmpTarget, oids: readonly string[], opts?: SnmpRequestOptions): Promise<Varbind[]>;
  /** Walk one subtree: GETBULK on v2c, GETNEXT on v1. */
  walk(target: SnmpTarget, rootOid: string, opts?: SnmpWalkOptions): Promise<Varbind[]>;
  /** Walk several table columns side by side (one request fetches rows of all columns). */
  walkColumns(target: SnmpTarget, rootOids: readonly string[], opts?: SnmpWalkOptions): Promise<Varbind[]>;
  stats(): SnmpClientStats;
  close(): Promise<void>;
}
