import { ensurePartitions, isPostgres, PARTITIONED } from './partitions.ts';
/** SQL for what the collectors report: polls, status, transitions, incidents, samples, batches. */
import { CompiledQuery } from 'kysely';
import { maskUnknownWindows, type DeviceStatus } from '../../core/availability.ts';
import { maintenanceSpansOf } from './webhooks.ts';

import type {
  DeviceStatusTable,
  Executor,
  IncidentsTable,
  PollsTable,
  SamplesRawTable,
  SamplesRollupTable,
  StatusTransitionsTable,
  DialectName,
} from './types.ts';

export async function batchSeen(db: Executor, batchId: string): Promise<boolean> {
  return (await db.selectFrom('ingest_batches').select('batch_id').where('batch_id', '=', batchId).executeTakeFirst()) !== undefined;
}

export async function insertBatch(db: Executor, row: { batch_id: string; collector_id: string; received_at_ms: number; items: number }): Promise<void> {
  await db.insertInto('ingest_batches').values(row).execute();
}

export async function touchCollector(db: Executor, id: string, atMs: number, batchId: string, dropped: { items: number; events: number } = { items: 0, events: 0 }): Promise<void> {
  await db
    .insertInto('collectors')
    .values({ id, last_seen_ms: atMs, last_batch_id: batchId, dropped_items: dropped.items, dropped_events: dropped.events })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        last_seen_ms: atMs,
        last_batch_id: batchId,
        dropped_items: eb(eb.ref('collectors.dropped_items'), '+', dropped.items),
        dropped_events: eb(eb.ref('collectors.dropped_events'), '+', dropped.events),
      })),
    )
    .execute();
}

/** Every collector that delivered a batch, with what ingest dropped for it (issue 11's metric). */
export async function listCollectorRows(db: Executor): Promise<{ id: string; last_seen_ms: number; last_batch_id: string | null; dropped_items: number; dropped_events: number }[]> {
  const rows = await db.selectFrom('collectors').select(['id', 'last_seen_ms', 'last_batch_id', 'dropped_items', 'dropped_events']).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, last_seen_ms: Number(r.last_seen_ms), last_batch_id: r.last_batch_id, dropped_items: Number(r.dropped_items ?? 0), dropped_events: Number(r.dropped_events ?? 0) }));
}

/** Rows per multi-row statement: D1 binds at most 100 parameters a statement; SQLite and Postgres take thousands. */
function rowsPerStatement(dialect: DialectName, columns: number): number {
  if (dialect === 'd1') return Math.floor(100 / columns);
  // SQLite (3.32+) binds up to 32,766 parameters a statement, Postgres 65,535: big statements amortise the driver.
  return Math.floor(30_000 / columns);
}

/**
 * A multi-row INSERT ... ON CONFLICT DO NOTHING written by hand: on the hot ingest path the query builder's compile
 * step cost more than SQLite's work. The column list is fixed here and values are always bound parameters.
 */
function multiInsert(dialect: DialectName, table: string, columns: readonly string[], rows: readonly unknown[][], tail: string): CompiledQuery {
  const params: unknown[] = [];
  const groups = rows.map((r) => {
    const marks = r.map((v) => {
      params.push(v);
      return dialect === 'postgres' ? `$${params.length}` : '?';
    });
    return `(${marks.join(',')})`;
  });
  return CompiledQuery.raw(`insert into ${table} (${columns.join(',')}) values ${groups.join(',')} ${tail}`, params);
}

const POLL_COLUMNS = ['device_id', 'at_ms', 'ok', 'duration_ms', 'error_kind', 'error_message'] as const;

/** Inserts the polls not stored yet and returns the keys that were new (a replayed poll is skipped). */
export async function insertNewPolls(db: Executor, dialect: DialectName, rows: PollsTable[], nowMs: number): Promise<Set<string>> {
  const fresh = new Set<string>();
  if (dialect === 'postgres') await ensurePartitions(db, PARTITIONED.polls, rows.map((r) => r.at_ms), nowMs);
  const per = rowsPerStatement(dialect, POLL_COLUMNS.length);
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per).map((r) => POLL_COLUMNS.map((c) => r[c]));
    const res = await db.executeQuery<{ device_id: string; at_ms: number }>(
      multiInsert(dialect, 'polls', POLL_COLUMNS, chunk, 'on conflict (device_id, at_ms) do nothing returning device_id, at_ms'),
    );
    for (const r of res.rows) fresh.add(`${r.device_id}@${Number(r.at_ms)}`);
  }
  return fresh;
}

const SAMPLE_COLUMNS = ['device_id', 't_ms', 'interval_ms', 'in_bps', 'out_bps', 'clients', 'in_bytes', 'out_bytes'] as const;

export async function insertRawSamples(db: Executor, dialect: DialectName, rows: SamplesRawTable[], nowMs: number): Promise<void> {
  if (dialect === 'postgres') await ensurePartitions(db, PARTITIONED.samples_raw, rows.map((r) => r.t_ms), nowMs);
  const per = rowsPerStatement(dialect, SAMPLE_COLUMNS.length);
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per).map((r) => SAMPLE_COLUMNS.map((c) => r[c]));
    await db.executeQuery(multiInsert(dialect, 'samples_raw', SAMPLE_COLUMNS, chunk, 'on conflict (device_id, t_ms) do nothing'));
  }
}

export async function findDeviceStatus(db: Executor, deviceId: string): Promise<DeviceStatusTable | undefined> {
  return db.selectFrom('device_status').selectAll().where('device_id', '=', deviceId).executeTakeFirst();
}

export async function listDeviceStatuses(db: Executor, deviceIds?: readonly string[]): Promise<DeviceStatusTable[]> {
  if (deviceIds === undefined) return db.selectFrom('device_status').selectAll().execute();
  const out: DeviceStatusTable[] = [];
  for (let i = 0; i < deviceIds.length; i += 90) {
    out.push(...(await db.selectFrom('device_status').selectAll().where('device_id', 'in', deviceIds.slice(i, i + 90)).execute()));
  }
  return out;
}

export async function upsertDeviceStatus(db: Executor, row: DeviceStatusTable): Promise<void> {
  const { device_id, ...rest } = row;
  await db
    .insertInto('device_status')
    .values(row)
    .onConflict((oc) => oc.column('device_id').doUpdateSet(rest))
    .execute();
}

const STATUS_COLUMNS = [
  'device_id', 'status', 'since_ms', 'last_poll_ms', 'last_ok_ms', 'last_error_kind', 'last_error_message', 'last_error_ms',
  'uptime_s', 'clients', 'in_bps', 'out_bps', 'sys_name', 'sys_descr', 'version', 'ssids', 'last_counters', 'interfaces',
] as const;

/** Many devices' current status in few statements (the ingest path updates every polled device per batch). */
export async function upsertDeviceStatuses(db: Executor, dialect: DialectName, rows: DeviceStatusTable[]): Promise<void> {
  const per = rowsPerStatement(dialect, STATUS_COLUMNS.length);
  const update = STATUS_COLUMNS.filter((c) => c !== 'device_id').map((c) => `${c} = excluded.${c}`).join(', ');
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per).map((r) => STATUS_COLUMNS.map((c) => r[c]));
    await db.executeQuery(multiInsert(dialect, 'device_status', STATUS_COLUMNS, chunk, `on conflict (device_id) do update set ${update}`));
  }
}

export async function upsertTransition(db: Executor, row: StatusTransitionsTable): Promise<void> {
  await db
    .insertInto('status_transitions')
    .values(row)
    .onConflict((oc) => oc.columns(['device_id', 'at_ms']).doUpdateSet({ status: row.status }))
    .execute();
}

/**
 * Each device's status transitions before `untilMs`, with its maintenance windows (its own and its site's) laid over
 * them as unknown time (issue 11; core/availability.ts maskUnknownWindows): every availability figure reads these.
 */
export async function transitionsOf(db: Executor, deviceIds: readonly string[], untilMs: number): Promise<StatusTransitionsTable[]> {
  if (deviceIds.length === 0) return [];
  // Chunks keep each statement under the engines' bound-parameter limits (a province holds thousands of devices).
  const rows: StatusTransitionsTable[] = [];
  for (let i = 0; i < deviceIds.length; i += 500) {
    rows.push(
      ...(await db
        .selectFrom('status_transitions')
        .selectAll()
        .where('device_id', 'in', deviceIds.slice(i, i + 500))
        .where('at_ms', '<', untilMs)
        .orderBy('device_id')
        .orderBy('at_ms')
        .execute()),
    );
  }
  const spans = await maintenanceSpansOf(db, deviceIds, untilMs);
  if (spans.size === 0) return rows;
  const out: StatusTransitionsTable[] = rows.filter((r) => !spans.has(r.device_id));
  for (const [deviceId, windows] of spans) {
    const own = rows.filter((r) => r.device_id === deviceId).map((r) => ({ atMs: Number(r.at_ms), status: r.status as DeviceStatus }));
    for (const t of maskUnknownWindows(own, windows, untilMs)) if (t.atMs < untilMs) out.push({ device_id: deviceId, at_ms: t.atMs, status: t.status });
  }
  return out;
}

export async function openIncident(db: Executor, row: IncidentsTable): Promise<void> {
  await db.insertInto('incidents').values(row).onConflict((oc) => oc.column('id').doNothing()).execute();
}

export async function closeIncident(db: Executor, row: IncidentsTable & { ended_ms: number }): Promise<void> {
  await db
    .insertInto('incidents')
    .values(row)
    // An incident the lifecycle already ended (disabled, deleted: issue 11) keeps that end and its reason.
    .onConflict((oc) => oc.column('id').doUpdateSet({ ended_ms: row.ended_ms }).where('incidents.end_reason', 'is', null))
    .execute();
}

export async function insertReboot(db: Executor, row: { device_id: string; booted_at_ms: number; detected_ms: number; previous_uptime_s: number }): Promise<void> {
  await db.insertInto('reboots').values(row).onConflict((oc) => oc.columns(['device_id', 'booted_at_ms']).doNothing()).execute();
}

export async function recentPolls(db: Executor, deviceId: string, limit: number): Promise<PollsTable[]> {
  return db.selectFrom('polls').selectAll().where('device_id', '=', deviceId).orderBy('at_ms', 'desc').limit(limit).execute();
}

export async function rawSeries(db: Executor, deviceId: string, fromMs: number, toMs: number): Promise<SamplesRawTable[]> {
  return db
    .selectFrom('samples_raw')
    .selectAll()
    .where('device_id', '=', deviceId)
    .where('t_ms', '>=', fromMs)
    .where('t_ms', '<', toMs)
    .orderBy('t_ms')
    .execute();
}

export async function rollupSeries(db: Executor, deviceId: string, bucketMs: number, fromMs: number, toMs: number): Promise<SamplesRollupTable[]> {
  return db
    .selectFrom('samples_rollup')
    .selectAll()
    .where('device_id', '=', deviceId)
    .where('bucket_ms', '=', bucketMs)
    .where('t_ms', '>=', fromMs)
    .where('t_ms', '<', toMs)
    .orderBy('t_ms')
    .execute();
}

export async function rawSamplesBetween(db: Executor, fromMs: number, toMs: number): Promise<SamplesRawTable[]> {
  return db.selectFrom('samples_raw').selectAll().where('t_ms', '>=', fromMs).where('t_ms', '<', toMs).execute();
}

export async function rollupsBetween(db: Executor, bucketMs: number, fromMs: number, toMs: number): Promise<SamplesRollupTable[]> {
  return db.selectFrom('samples_rollup').selectAll().where('bucket_ms', '=', bucketMs).where('t_ms', '>=', fromMs).where('t_ms', '<', toMs).execute();
}

export async function upsertRollups(db: Executor, rows: SamplesRollupTable[], nowMs: number): Promise<void> {
  if (isPostgres(db)) {
    await ensurePartitions(db, PARTITIONED.rollup_5m, rows.filter((r) => r.bucket_ms === 300_000).map((r) => r.t_ms), nowMs);
    await ensurePartitions(db, PARTITIONED.rollup_1h, rows.filter((r) => r.bucket_ms === 3_600_000).map((r) => r.t_ms), nowMs);
  }
  for (let i = 0; i < rows.length; i += 50) {
    await db
      .insertInto('samples_rollup')
      .values(rows.slice(i, i + 50))
      .onConflict((oc) =>
        oc.columns(['device_id', 'bucket_ms', 't_ms']).doUpdateSet((eb) => ({
          samples: eb.ref('excluded.samples'),
          rate_samples: eb.ref('excluded.rate_samples'),
          client_samples: eb.ref('excluded.client_samples'),
          in_bps_avg: eb.ref('excluded.in_bps_avg'),
          in_bps_max: eb.ref('excluded.in_bps_max'),
          out_bps_avg: eb.ref('excluded.out_bps_avg'),
          out_bps_max: eb.ref('excluded.out_bps_max'),
          clients_avg: eb.ref('excluded.clients_avg'),
          clients_max: eb.ref('excluded.clients_max'),
          in_bytes: eb.ref('excluded.in_bytes'),
          out_bytes: eb.ref('excluded.out_bytes'),
        })),
      )
      .execute();
  }
}

export async function purgeBefore(db: Executor, table: 'samples_raw' | 'polls', beforeMs: number): Promise<void> {
  if (table === 'samples_raw') await db.deleteFrom('samples_raw').where('t_ms', '<', beforeMs).execute();
  else await db.deleteFrom('polls').where('at_ms', '<', beforeMs).execute();
}

export async function purgeRollupsBefore(db: Executor, bucketMs: number, beforeMs: number): Promise<void> {
  await db.deleteFrom('samples_rollup').where('bucket_ms', '=', bucketMs).where('t_ms', '<', beforeMs).execute();
}

export async function getMeta(db: Executor, key: string): Promise<string | null> {
  return (await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst())?.value ?? null;
}

export async function setMeta(db: Executor, key: string, value: string): Promise<void> {
  await db.insertInto('meta').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
}


/**
 * Every device with its site and current status, for the fleet map; with `wardCodes` only the devices whose site
 * lies in those wards, in the same order. One statement: callers bind at most 90 codes (D1 allows 100 parameters).
 */
export async function fleetRows(db: Executor, opts: { wardCodes?: readonly string[] } = {}): Promise<
  {
    id: string;
    name: string;
    role: string;
    site_id: string | null;
    site_name: string | null;
    lat: number | null;
    lon: number | null;
    ward_code: string | null;
    provider: string | null;
    enabled: number;
    monitor?: number | undefined;
    snmp_port: number | null;
    routeros_port: number | null;
    status: string | null;
    since_ms: number | null;
    last_poll_ms: number | null;
    clients: number | null;
    last_error_kind: string | null;
  }[]
> {
  return db
    .selectFrom('devices as d')
    .leftJoin('sites as s', 's.id', 'd.site_id')
    .leftJoin('device_status as st', 'st.device_id', 'd.id')
    .select([
      'd.id',
      'd.name',
      'd.role',
      'd.site_id',
      's.name as site_name',
      's.lat',
      's.lon',
      's.ward_code',
      's.provider',
      'd.enabled',
      'd.monitor',
      'd.snmp_port',
      'd.routeros_port',
      'st.status',
      'st.since_ms',
      'st.last_poll_ms',
      'st.clients',
      'st.last_error_kind',
    ])
    .$if(opts.wardCodes !== undefined, (q) => q.where('s.ward_code', 'in', opts.wardCodes!.length === 0 ? [''] : [...opts.wardCodes!]))
    .orderBy('d.name')
    .execute();
}

export async function incidentsOfDevices(db: Executor, deviceIds: readonly string[], toMs: number): Promise<IncidentsTable[]> {
  if (deviceIds.length === 0) return [];
  const out: IncidentsTable[] = [];
  for (let i = 0; i < deviceIds.length; i += 500) {
    out.push(...(await db.selectFrom('incidents').selectAll().where('device_id', 'in', deviceIds.slice(i, i + 500)).where('started_ms', '<', toMs).execute()));
  }
  return out;
}

/** Sites with the states of their devices, for the public map (no addresses, no names of people). */
export async function siteStateRows(db: Executor): Promise<{ id: string; name: string; lat: number; lon: number; ward_code: string | null; site_status: string; device_status: string | null; enabled: number | null }[]> {
  const rows = await db
    .selectFrom('sites as s')
    .leftJoin('devices as d', 'd.site_id', 's.id')
    .leftJoin('device_status as st', 'st.device_id', 'd.id')
    .select(['s.id', 's.name', 's.lat', 's.lon', 's.ward_code', 's.status as site_status', 'st.status as device_status', 'd.enabled', 'd.monitor', 'd.snmp_port', 'd.routeros_port'])
    .where('s.status', '!=', 'retired')
    .execute();
  // An inventory-only device (issue 11) says nothing about whether a site works: its last state is not reported.
  return rows.map(({ monitor, snmp_port, routeros_port, ...r }) => ({
    ...r,
    device_status: (monitor ?? 1) === 1 ? r.device_status : null,
  }));
}

/** Issue 11: ends every open incident of these devices now, saying why (disabled, deleted, unmonitored). */
export async function closeOpenIncidentsOf(db: Executor, deviceIds: readonly string[], nowMs: number, reason: string): Promise<number> {
  let n = 0;
  for (let i = 0; i < deviceIds.length; i += 500) {
    const r = await db
      .updateTable('incidents')
      .set({ ended_ms: nowMs, end_reason: reason })
      .where('device_id', 'in', deviceIds.slice(i, i + 500))
      .where('ended_ms', 'is', null)
      .executeTakeFirst();
    n += Number(r.numUpdatedRows);
  }
  return n;
}

/** Issue 11: from now on these devices are `unknown` (a transition, so availability leaves the time out). */
export async function markStatusUnknown(db: Executor, deviceIds: readonly string[], nowMs: number): Promise<void> {
  for (let i = 0; i < deviceIds.length; i += 500) {
    const chunk = deviceIds.slice(i, i + 500);
    const known = await db.selectFrom('device_status').select(['device_id', 'status']).where('device_id', 'in', chunk).execute();
    for (const s of known) {
      if (s.status === 'unknown') continue;
      await upsertTransition(db, { device_id: s.device_id, at_ms: nowMs, status: 'unknown' });
    }
    await db.updateTable('device_status').set({ status: 'unknown', since_ms: nowMs }).where('device_id', 'in', chunk).where('status', '!=', 'unknown').execute();
  }
}

export async function deleteDeviceStatuses(db: Executor, deviceIds: readonly string[]): Promise<void> {
  for (let i = 0; i < deviceIds.length; i += 500) await db.deleteFrom('device_status').where('device_id', 'in', deviceIds.slice(i, i + 500)).execute();
}

/**
 * Issue 11, maintenance: open incidents of these devices end at `atMs` (or at their own start, if later) with the
 * reason. Returns how many ended.
 */
export async function pauseOpenIncidentsOf(db: Executor, deviceIds: readonly string[], atMs: number, reason: string): Promise<number> {
  let n = 0;
  for (let i = 0; i < deviceIds.length; i += 500) {
    const chunk = deviceIds.slice(i, i + 500);
    const early = await db.updateTable('incidents').set({ ended_ms: atMs, end_reason: reason }).where('device_id', 'in', chunk).where('ended_ms', 'is', null).where('started_ms', '<=', atMs).executeTakeFirst();
    const late = await db.updateTable('incidents').set((eb) => ({ ended_ms: eb.ref('started_ms'), end_reason: reason })).where('device_id', 'in', chunk).where('ended_ms', 'is', null).executeTakeFirst();
    n += Number(early.numUpdatedRows) + Number(late.numUpdatedRows);
  }
  return n;
}

/**
 * Issue 11: a device back up has no open incident (one opened by the server after a maintenance window ends here).
 * Answers the incidents it ended, as they were before, so their end can be told to the alert channels.
 */
export async function endOpenIncidentsOnRecovery(db: Executor, deviceId: string, atMs: number): Promise<IncidentsTable[]> {
  const open = await db.selectFrom('incidents').selectAll().where('device_id', '=', deviceId).where('ended_ms', 'is', null).where('started_ms', '<=', atMs).execute();
  if (open.length === 0) return [];
  await db.updateTable('incidents').set({ ended_ms: atMs }).where('device_id', '=', deviceId).where('ended_ms', 'is', null).where('started_ms', '<=', atMs).execute();
  return open;
}

/** Issue 11: devices whose status now is down and that have no open incident. */
export async function downWithoutIncident(db: Executor, deviceIds: readonly string[]): Promise<Array<{ device_id: string; last_error_kind: string | null; last_error_message: string | null }>> {
  const out: Array<{ device_id: string; last_error_kind: string | null; last_error_message: string | null }> = [];
  for (let i = 0; i < deviceIds.length; i += 500) {
    const chunk = deviceIds.slice(i, i + 500);
    const rows = await db
      .selectFrom('device_status')
      .select(['device_id', 'last_error_kind', 'last_error_message'])
      .where('device_id', 'in', chunk)
      .where('status', '=', 'down')
      .where((eb) => eb.not(eb.exists(eb.selectFrom('incidents').select('id').whereRef('incidents.device_id', '=', 'device_status.device_id').where('incidents.ended_ms', 'is', null))))
      .execute();
    out.push(...rows);
  }
  return out;
}
