/**
 * Ingest into embedded SQLite: how many samples a second the server stores.
 *   npx tsx bench/ingest-sqlite.ts
 * Three runs over the same rows, each into a fresh file-backed database with WAL (as `npm start` opens it):
 *  - baseline: better-sqlite3 alone, one prepared 100-row INSERT, all in one transaction (the engine's ceiling here);
 *  - store: the server's insertRawSamples (hand-written 3,750-row statements through Kysely's driver) in one transaction;
 *  - ingest: the whole ingest service on encoded poll results (batch ledger, poll ledger, rates from counters,
 *    device status, samples) - what POST /api/v1/ingest and the in-process collector do per batch.
 * Figures are reported as a ratio to the baseline measured in the same process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { PollSuccess } from '../core/observations.ts';
import { openSqlite } from '../server/db/connect-node.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { insertRawSamples } from '../server/db/monitoring.ts';
import { insertDevices } from '../server/db/devices.ts';
import type { SamplesRawTable } from '../server/db/types.ts';
import { createSecretBox } from '../server/crypto/secret-box.ts';
import { silentLogger } from '../server/log.ts';
import { systemServiceCtx } from '../server/service-ctx.ts';
import { ingestBatch } from '../server/services/monitoring/ingest-batch.ts';

const DEVICES = 5000;
const PER_DEVICE = 100;
const dir = mkdtempSync(join(tmpdir(), 'jangkau-bench-ingest-'));

function rows(): SamplesRawTable[] {
  const out: SamplesRawTable[] = [];
  for (let d = 0; d < DEVICES; d++) for (let i = 0; i < PER_DEVICE; i++) {
    out.push({ device_id: `dev${d}`, t_ms: 1_764_000_000_000 + i * 60_000, interval_ms: 60_000, in_bps: 1000 + i, out_bps: 500 + i, clients: i % 17, in_bytes: 7500 + i, out_bytes: 3750 + i });
  }
  return out;
}

async function fresh(name: string): Promise<ReturnType<typeof openSqlite>> {
  const h = openSqlite(join(dir, `${name}.db`));
  await migrateToLatest(h.db, 'sqlite');
  return h;
}

async function main(): Promise<void> {
  const data = rows();
  const n = data.length;

  // Baseline: raw better-sqlite3.
  const base = await fresh('baseline');
  await base.close();
  const raw = new SQLite(join(dir, 'baseline.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  const cols = '(device_id, t_ms, interval_ms, in_bps, out_bps, clients, in_bytes, out_bytes)';
  const stmt = raw.prepare(`INSERT INTO samples_raw ${cols} VALUES ${Array(100).fill('(?,?,?,?,?,?,?,?)').join(',')}`);
  let t = performance.now();
  raw.transaction(() => {
    for (let i = 0; i < n; i += 100) {
      const args: unknown[] = [];
      for (const r of data.slice(i, i + 100)) args.push(r.device_id, r.t_ms, r.interval_ms, r.in_bps, r.out_bps, r.clients, r.in_bytes, r.out_bytes);
      stmt.run(...args);
    }
  })();
  const baseMs = performance.now() - t;
  raw.close();

  // Store path.
  const store = await fresh('store');
  t = performance.now();
  await store.db.transaction().execute((trx) => insertRawSamples(trx, 'sqlite', data, Date.now()));
  const storeMs = performance.now() - t;
  await store.close();

  // Full ingest: 1,000 devices x 20 polls each, 500 polls a batch.
  const ing = await fresh('ingest');
  const devs = 1000;
  const now = new Date().toISOString();
  await insertDevices(
    ing.db,
    Array.from({ length: devs }, (_, d) => ({
      id: `dev${d}`, site_id: null, name: `d${d}`, role: 'ap', vendor: null, model: null, address: '127.0.0.1', snmp_port: 161, snmp_version: '2c',
      routeros_port: null, routeros_tls: null, routeros_username: null, secrets_sealed: null, poll_interval_s: 60, enabled: 1, coverage: null, created_at: now, updated_at: now,
    })),
  );
  const ctx = systemServiceCtx(
    { clock: { nowMs: () => Date.now() }, secrets: await createSecretBox(new Uint8Array(32)), config: { trustedOrigins: [], cookieSecure: null, sessionDays: 30, maxBodyBytes: 1 }, log: silentLogger },
    ing,
    { requestId: 'bench' },
  );
  const polls: PollSuccess[] = [];
  for (let i = 0; i < 20; i++) for (let d = 0; d < devs; d++) {
    polls.push({
      ok: true, deviceId: `dev${d}`, startedAtMs: 1_764_000_000_000 + i * 60_000, durationMs: 5,
      system: { uptimeS: 1000 + i * 60, descr: null, objectId: null, name: null, version: null, cpuLoadPct: null, memFreeBytes: null },
      interfaces: [{ index: 1, name: 'wlan1', operUp: true, inOctets: BigInt(1e6 + i * 75_000), outOctets: BigInt(5e5 + i * 37_500), counterBits: 64, speedBps: 1e8 }],
      ssids: [{ ssid: 'Cilegon-Free', radio: null, clients: i % 9 }], stations: [], hotspotActive: [], clients: i % 9,
    });
  }
  t = performance.now();
  for (let i = 0; i < polls.length; i += 500) {
    await ingestBatch(ctx, { collectorId: 'bench', batchId: `bench-${i}-xxxxxxxx`, createdAtMs: Date.now(), items: polls.slice(i, i + 500), events: [] });
  }
  const ingestMs = performance.now() - t;
  await ing.close();
  rmSync(dir, { recursive: true, force: true });

  const rate = (count: number, ms: number): string => `${Math.round((count / ms) * 1000).toLocaleString('en')}/s`;
  console.log(`samples: ${n.toLocaleString('en')} rows; ingest: ${polls.length.toLocaleString('en')} poll results`);
  console.log(`baseline better-sqlite3   ${baseMs.toFixed(0)} ms  ${rate(n, baseMs)}  1.00x`);
  console.log(`store (3,750 rows/stmt)   ${storeMs.toFixed(0)} ms  ${rate(n, storeMs)}  ${(baseMs / storeMs).toFixed(2)}x of baseline speed`);
  console.log(`ingest service            ${ingestMs.toFixed(0)} ms  ${rate(polls.length, ingestMs)} polls  (per poll ${(((ingestMs / polls.length) * (n / baseMs)) ).toFixed(1)}x a baseline row)`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
