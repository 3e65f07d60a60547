/**
 * The body of POST /api/v1/ingest: what a standalone collector sends to the server (and what the in-process sink
 * hands over without HTTP). Poll results travel with their bigint counters as decimal strings; state events and
 * incidents come from the collector's state machine. `batchId` is unique per batch so the server can refuse a
 * replay (idempotent per batch, and per (deviceId, startedAtMs) for poll results).
 */
import { z } from 'zod';
import { DEVICE_STATUSES } from './availability.ts';
import { POLL_ERROR_KINDS } from './observations.ts';
import { VENDORS } from './schemas/inventory.ts';
import { INTERFACE_ROLES } from './interface-roles.ts';
import type { PollResult, InterfaceSample, HotspotActive } from './observations.ts';

/** Largest body the server accepts and the HTTP sink sends (bytes). */
export const INGEST_MAX_BODY_BYTES = 8 * 1024 * 1024;
export const INGEST_MAX_ITEMS = 10_000;
export const INGEST_MAX_EVENTS = 10_000;
const MAX_LIST = 4096;

const U64_MAX = (1n << 64n) - 1n;
/** A non-negative integer below 2^64 written in decimal, no sign, no leading zeros. */
export const counterString = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,19})$/, 'expected a decimal counter')
  .refine((s) => BigInt(s) <= U64_MAX, 'counter above 2^64-1');

const id = z.string().min(1).max(128);
const text = (max: number): z.ZodNullable<z.ZodString> => z.string().max(max).nullable();
const ms = z.number().int().min(0).max(8.64e15);
const finiteOrNull = z.number().finite().nullable();

export const pollErrorJson = z.object({ kind: z.enum(POLL_ERROR_KINDS), message: z.string().max(1000) });

const interfaceJson = z.object({
  index: z.number().int().min(0).max(2 ** 32),
  name: z.string().max(256),
  operUp: z.boolean().nullable(),
  inOctets: counterString.nullable(),
  outOctets: counterString.nullable(),
  counterBits: z.union([z.literal(32), z.literal(64)]),
  speedBps: z.number().finite().min(0).nullable(),
  ifType: z.number().int().min(0).max(2 ** 31).nullable().optional(),
  alias: z.string().max(256).nullable().optional(),
  role: z.enum(INTERFACE_ROLES).optional(),
});

const hotspotJson = z.object({
  user: z.string().max(256),
  address: z.string().max(64),
  mac: text(32),
  uptimeS: z.number().finite().min(0),
  bytesIn: counterString,
  bytesOut: counterString,
});

export const pollSuccessJson = z.object({
  ok: z.literal(true),
  deviceId: id,
  startedAtMs: ms,
  durationMs: z.number().finite().min(0),
  system: z.object({
    uptimeS: z.number().finite().min(0).nullable(),
    descr: text(1024),
    objectId: text(256),
    name: text(256),
    version: text(256),
    cpuLoadPct: finiteOrNull,
    memFreeBytes: finiteOrNull,
  }),
  interfaces: z.array(interfaceJson).max(MAX_LIST),
  ssids: z.array(z.object({ ssid: z.string().max(64), radio: text(64), clients: z.number().int().min(0) })).max(MAX_LIST),
  stations: z
    .array(z.object({ mac: z.string().max(32), iface: text(64), signalDbm: finiteOrNull }))
    .max(MAX_LIST),
  hotspotActive: z.array(hotspotJson).max(MAX_LIST),
  clients: z.number().int().min(0).nullable(),
  protocol: z.enum(['snmp', 'routeros']).optional(),
});

export const pollFailureJson = z.object({
  ok: z.literal(false),
  deviceId: id,
  startedAtMs: ms,
  durationMs: z.number().finite().min(0),
  error: pollErrorJson,
});

export const pollResultJson = z.discriminatedUnion('ok', [pollSuccessJson, pollFailureJson]);
export type PollResultJson = z.infer<typeof pollResultJson>;

const status = z.enum(DEVICE_STATUSES);

/** Status changed. `atMs` is the effective time (start of the run of polls that caused it), `detectedAtMs` when the rule fired. */
export const statusChangedEvent = z.object({
  type: z.literal('status_changed'),
  deviceId: id,
  atMs: ms,
  detectedAtMs: ms,
  from: status,
  to: status,
});
/** Uptime went back: the device restarted at about `bootedAtMs`. */
export const rebootEvent = z.object({
  type: z.literal('reboot'),
  deviceId: id,
  atMs: ms,
  bootedAtMs: ms,
  previousUptimeS: z.number().finite().min(0),
  uptimeS: z.number().finite().min(0),
});
/** A collector's incident id: stable, so a replay updates the same incident. Incidents the server opens itself use other ids. */
export function incidentIdOf(deviceId: string, startedAtMs: number): string {
  return `${deviceId}@${startedAtMs}`;
}

export const incidentOpenedEvent = z.object({
  type: z.literal('incident_opened'),
  deviceId: id,
  /** Stable: incidentIdOf(deviceId, startedAtMs), so a replay updates the same incident. */
  incidentId: id.max(200),
  startedAtMs: ms,
  detectedAtMs: ms,
  cause: pollErrorJson,
});
export const incidentClosedEvent = z.object({
  type: z.literal('incident_closed'),
  deviceId: id,
  incidentId: id.max(200),
  startedAtMs: ms,
  endedAtMs: ms,
  detectedAtMs: ms,
  cause: pollErrorJson,
});
export const stateEvent = z.discriminatedUnion('type', [statusChangedEvent, rebootEvent, incidentOpenedEvent, incidentClosedEvent]);
export type StateEvent = z.infer<typeof stateEvent>;
export type StatusChangedEvent = z.infer<typeof statusChangedEvent>;
export type RebootEvent = z.infer<typeof rebootEvent>;
export type IncidentOpenedEvent = z.infer<typeof incidentOpenedEvent>;
export type IncidentClosedEvent = z.infer<typeof incidentClosedEvent>;

export const ingestBatch = z
  .object({
    collectorId: z.string().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/),
    /** Unique per batch (e.g. `${collectorId}-${createdAtMs}-${random}`); the server stores it to refuse replays. */
    batchId: z.string().min(8).max(128).regex(/^[A-Za-z0-9._-]+$/),
    createdAtMs: ms,
    items: z.array(pollResultJson).max(INGEST_MAX_ITEMS),
    events: z.array(stateEvent).max(INGEST_MAX_EVENTS),
  })
  .strict();
export type IngestBatchJson = z.infer<typeof ingestBatch>;

/** The same batch with poll results in memory form (bigint counters). */
export interface IngestBatch {
  collectorId: string;
  batchId: string;
  createdAtMs: number;
  items: PollResult[];
  events: StateEvent[];
}

export const ingestAccepted = z.object({
  batchId: z.string(),
  /** False when this batchId had been stored before (a retry): nothing was written twice. */
  stored: z.boolean(),
  items: z.number().int(),
  events: z.number().int(),
  /** Issue 11: results and events of devices that do not exist (deleted, unknown), dropped without refusing the rest. */
  dropped: z.object({ items: z.number().int(), events: z.number().int(), devices: z.array(z.string()) }).optional(),
});
export type IngestAccepted = z.infer<typeof ingestAccepted>;

/** A batch moved aside for a person to read (collectors/sinks/dead-letters.ts), as the API lists it. */
export interface DeadLetterInfo {
  id: string;
  at: string;
  reason: string;
  collectorId: string;
  batchId: string;
  items: number;
  events: number;
  devices: number;
}

/** The dead letters this runtime keeps (the Node server's in-process collector); absent on Workers. */
export interface DeadLetterStore {
  list(limit?: number): Promise<{ total: number; items: DeadLetterInfo[] }>;
}

function big(value: bigint | null): string | null {
  return value === null ? null : value.toString(10);
}

export function encodePollResult(result: PollResult): PollResultJson {
  if (!result.ok) {
    return { ok: false, deviceId: result.deviceId, startedAtMs: result.startedAtMs, durationMs: result.durationMs, error: { ...result.error } };
  }
  return {
    ok: true,
    deviceId: result.deviceId,
    startedAtMs: result.startedAtMs,
    durationMs: result.durationMs,
    system: { ...result.system },
    interfaces: result.interfaces.map((i: InterfaceSample) => ({ ...i, inOctets: big(i.inOctets), outOctets: big(i.outOctets) })),
    ssids: result.ssids.map((s) => ({ ...s })),
    stations: result.stations.map((s) => ({ ...s })),
    hotspotActive: result.hotspotActive.map((h: HotspotActive) => ({ ...h, bytesIn: h.bytesIn.toString(10), bytesOut: h.bytesOut.toString(10) })),
    clients: result.clients,
    ...(result.protocol === undefined ? {} : { protocol: result.protocol }),
  };
}

/** Inverse of encodePollResult; `json` must have passed the schema (decode the batch with parseIngestBatch). */
export function decodePollResult(json: PollResultJson): PollResult {
  if (!json.ok) return { ...json, error: { ...json.error } };
  return {
    ...json,
    system: { ...json.system },
    interfaces: json.interfaces.map((i) => ({
      ...i,
      inOctets: i.inOctets === null ? null : BigInt(i.inOctets),
      outOctets: i.outOctets === null ? null : BigInt(i.outOctets),
    })),
    ssids: json.ssids.map((s) => ({ ...s })),
    stations: json.stations.map((s) => ({ ...s })),
    hotspotActive: json.hotspotActive.map((h) => ({ ...h, bytesIn: BigInt(h.bytesIn), bytesOut: BigInt(h.bytesOut) })),
  };
}

export function encodeIngestBatch(batch: IngestBatch): IngestBatchJson {
  return { ...batch, items: batch.items.map(encodePollResult), events: batch.events.map((e) => ({ ...e })) };
}

export type IngestParse =
  | { ok: true; batch: IngestBatch }
  | { ok: false; code: 'payload_too_large' | 'bad_request' | 'validation_failed'; message: string; issues: Array<{ path: string; message: string }> };

/**
 * Checks size, JSON and schema of a raw ingest body. The server maps the code with core/errors.ts httpStatusOf.
 * Nothing partial: one bad item refuses the whole batch.
 */
export function parseIngestBody(raw: string, options: { maxBytes?: number } = {}): IngestParse {
  const maxBytes = options.maxBytes ?? INGEST_MAX_BODY_BYTES;
  // A UTF-8 byte count is at most 3x the UTF-16 length; count exactly only when close.
  const bytes = raw.length * 3 <= maxBytes ? raw.length : new TextEncoder().encode(raw).length;
  if (bytes > maxBytes) return { ok: false, code: 'payload_too_large', message: `body of ${bytes} bytes exceeds ${maxBytes}`, issues: [] };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, code: 'bad_request', message: 'body is not JSON', issues: [] };
  }
  return parseIngestJson(value);
}

export function parseIngestJson(value: unknown): IngestParse {
  const parsed = ingestBatch.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 50).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    return { ok: false, code: 'validation_failed', message: 'ingest batch does not match the schema', issues };
  }
  return { ok: true, batch: { ...parsed.data, items: parsed.data.items.map(decodePollResult) } };
}

/**
 * GET /api/v1/collector/targets (Bearer collector token): the devices a standalone collector must poll, with their
 * credentials (send only over TLS). Also the shape of `devices` in a collector.json.
 */
export const deviceTargetJson = z
  .object({
    deviceId: id,
    address: z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9.:\-[\]]+$/),
    vendor: z.enum(VENDORS).nullable().default(null),
    pollIntervalS: z.number().int().min(1).max(3600).default(60),
    snmp: z
      .object({
        community: z.string().min(1).max(128),
        port: z.number().int().min(1).max(65535).default(161),
        version: z.enum(['2c', '1']).default('2c'),
        timeoutMs: z.number().int().min(100).max(30_000).optional(),
        retries: z.number().int().min(0).max(5).optional(),
      })
      .nullable()
      .default(null),
    routeros: z
      .object({ username: z.string().min(1).max(128), password: z.string().max(256), port: z.number().int().min(1).max(65535).optional(), tls: z.boolean().default(false) })
      .transform((r) => ({ ...r, port: r.port ?? (r.tls ? 8729 : 8728) }))
      .nullable()
      .default(null),
  })
  .strict();
export const collectorTargetsResponse = z.object({ targets: z.array(deviceTargetJson).max(100_000) });
export type CollectorTargetsResponse = z.infer<typeof collectorTargetsResponse>;
