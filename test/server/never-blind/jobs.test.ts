/**
 * Issue 11, item 6: one background-job table, run by Node whatever JANGKAU_COLLECT says, exactly once per period
 * across server processes sharing one Postgres (a conditional claim plus an advisory lock per job), failures recorded
 * without stopping the other jobs. (Workers' cron running the same table: test/server/worker-runtime.test.ts.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeIngestBatch, type IngestBatch } from '../../../core/ingest.ts';
import type { PollSuccess } from '../../../core/observations.ts';
import { openPostgres } from '../../../server/db/connect-node.ts';
import type { DbHandle } from '../../../server/db/types.ts';
import { runDueJobs } from '../../../server/jobs/run-due.ts';
import { BACKGROUND_JOBS, type BackgroundJob } from '../../../server/jobs/table.ts';
import { silentLogger } from '../../../server/log.ts';
import { systemServiceCtx } from '../../../server/service-ctx.ts';
import { startSignedInServer } from '../../helpers/node-server.ts';
import { openTestDb, PG_URL } from '../../helpers/db.ts';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 250));
  }
}

function good(deviceId: string, atMs: number, octets: bigint): PollSuccess {
  return {
    ok: true,
    deviceId,
    startedAtMs: atMs,
    durationMs: 10,
    system: { uptimeS: atMs / 1000, descr: 'Linux', objectId: null, name: 'ap', version: null, cpuLoadPct: null, memFreeBytes: null },
    interfaces: [{ index: 1, name: 'eth0', operUp: true, inOctets: octets, outOctets: octets, counterBits: 64, speedBps: 1e9 }],
    ssids: [],
    stations: [],
    hotspotActive: [],
    clients: 7,
  };
}

describe('the Node job runner with JANGKAU_COLLECT=false', () => {
  it('still writes the 5-minute roll-ups of what a standalone collector delivers, and runs every job of the table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jangkau-jobs-'));
    const startedMs = Date.now();
    const { server, base, cookie } = await startSignedInServer(dir, { JANGKAU_SECRET_KEY: '11'.repeat(32), JANGKAU_COLLECT: 'false', JANGKAU_JOB_TICK_S: '0.5' });
    cleanups.push(async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    });
    expect(server.collector).toBeNull();
    const call = async <T>(method: string, path: string, body?: unknown): Promise<T> =>
      (await (
        await fetch(`${base}${path}`, { method, headers: { cookie, origin: base, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
      ).json()) as T;
    const { id } = await call<{ id: string }>('POST', '/api/v1/devices', { name: 'AP Stasiun', role: 'ap', address: '10.9.0.1', snmp: { community: 'c' } });
    const { token } = await call<{ token: string }>('POST', '/api/v1/auth/tokens', { name: 'collector-field-1' });
    // A standalone collector's batch delivered late (its outbox after an outage): a poll a minute for 15 minutes,
    // ending 10 minutes ago, behind the roll-ups' watermark, which must move back for them. The runner ticks every
    // 0.5 s on its own; wait for its first roll-up run, so this batch comes after it.
    await until(async () => (await call<{ items: { name: string; runs: number }[] }>('GET', '/api/v1/system/jobs')).items.find((j) => j.name === 'rollups')!.runs === 1, 10_000);
    const end = Math.floor((Date.now() - 10 * 60_000) / 60_000) * 60_000;
    const items = Array.from({ length: 16 }, (_, i) => good(id, end - (15 - i) * 60_000, BigInt(i) * 7_500_000n));
    const batch: IngestBatch = { collectorId: 'field-1', batchId: 'field-1-jobs-0001', createdAtMs: end, items, events: [] };
    const res = await fetch(`${base}/api/v1/ingest`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(encodeIngestBatch(batch)) });
    expect(res.status).toBe(200);

    const from = new Date(end - 20 * 60_000).toISOString();
    const to = new Date(end + 60_000).toISOString();
    // The next roll-up run (the job's period is a minute) takes the late samples in.
    let points: [number, number][] = [];
    await until(async () => {
      points = (await call<{ resolution: string; points: [number, number][] }>('GET', `/api/v1/devices/${id}/series?metric=rxBps&resolution=5m&from=${from}&to=${to}`)).points;
      return points.length >= 3;
    }, 75_000);
    // 7.5 MB a minute = 1 Mbit/s in every finished 5-minute bucket.
    expect(points.length).toBeGreaterThanOrEqual(3);
    expect(points.every(([, v]) => Math.abs(v - 1_000_000) < 1)).toBe(true);

    const jobs = await call<{ items: { name: string; runs: number; lastOk: boolean | null; lastRunner: string | null }[] }>('GET', '/api/v1/system/jobs');
    expect(jobs.items.map((j) => j.name).sort()).toEqual(BACKGROUND_JOBS.map((j) => j.name).sort());
    // Jobs of a minute (roll-ups, maintenance) have run once or twice by now (the roll-ups twice); jobs of a shorter
    // period (SMS delivery, every 10 s) at least once and at most once per period since the start; the others once.
    const elapsedMs = Date.now() - startedMs;
    for (const j of jobs.items) {
      const periodMs = BACKGROUND_JOBS.find((b) => b.name === j.name)!.periodMs;
      expect(j, j.name).toMatchObject({ lastOk: true, lastRunner: expect.stringMatching(/^node:/) });
      if (j.name === 'rollups') expect(j.runs).toBe(2);
      else if (periodMs < 60_000) expect(j.runs, j.name).toBeGreaterThanOrEqual(1), expect(j.runs, j.name).toBeLessThanOrEqual(Math.floor(elapsedMs / periodMs) + 1);
      else if (periodMs === 60_000) expect([1, 2], j.name).toContain(j.runs);
      else expect(j.runs, j.name).toBe(1);
    }
  }, 120_000);
});

describe('exactly once across processes on one Postgres', () => {
  const clockAt = (ms: number): { nowMs: () => number; set: (v: number) => void } => {
    let t = ms;
    return { nowMs: () => t, set: (v: number) => (t = v) };
  };

  it('runs a due job once among four processes ticking together, again only after its period, never overlapping itself, and records failures', async () => {
    const first = await openTestDb('postgres');
    cleanups.push(() => first.close());
    const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(first.db)).rows[0]!.s;
    // Four "server processes": a pool each on the same schema.
    const handles: DbHandle[] = [first, ...[1, 2, 3].map(() => openPostgres(PG_URL, { schema, max: 3 }))];
    for (const h of handles.slice(1)) cleanups.push(() => h.close());
    const clock = clockAt(Date.UTC(2026, 11, 5, 16, 59, 30));
    const ctxs = handles.map((h, i) => systemServiceCtx({ clock, secrets: null as never, config: {} as never, log: silentLogger }, h, { requestId: `p${i}` }));

    let calls = 0;
    let running = 0;
    let overlapped = false;
    const counted: BackgroundJob = {
      name: 'counted',
      periodMs: 60_000,
      run: async () => {
        calls += 1;
        running += 1;
        if (running > 1) overlapped = true;
        await new Promise((r) => setTimeout(r, 300));
        running -= 1;
      },
    };
    const broken: BackgroundJob = { name: 'broken', periodMs: 60_000, run: async () => Promise.reject(new Error('disk full')) };
    const tickAll = async (): Promise<string[]> =>
      (await Promise.all(ctxs.map((c, i) => runDueJobs(c, { runner: `p${i}`, jobs: [broken, counted] })))).flat().filter((o) => o.name === 'counted').map((o) => o.outcome);

    expect((await tickAll()).sort()).toEqual(['ran', 'skipped', 'skipped', 'skipped']);
    expect(calls).toBe(1);
    clock.set(clock.nowMs() + 30_000);
    expect(await tickAll()).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
    clock.set(clock.nowMs() + 30_000);
    expect((await tickAll()).sort()).toEqual(['ran', 'skipped', 'skipped', 'skipped']);
    expect(calls).toBe(2);

    // A run longer than its period: the next claim is due, but the advisory lock keeps it from overlapping.
    clock.set(clock.nowMs() + 60_000);
    const long = runDueJobs(ctxs[0]!, { runner: 'p0', jobs: [counted] });
    await new Promise((r) => setTimeout(r, 100));
    clock.set(clock.nowMs() + 60_000);
    expect((await runDueJobs(ctxs[1]!, { runner: 'p1', jobs: [counted] }))[0]!.outcome).toBe('skipped');
    expect((await long)[0]!.outcome).toBe('ran');
    expect(calls).toBe(3);
    expect(overlapped).toBe(false);

    const rows = await first.db.selectFrom('job_runs').selectAll().orderBy('name').execute();
    expect(rows.map((r) => [r.name, Number(r.runs), r.last_ok, r.last_error])).toEqual([
      ['broken', 2, 0, 'disk full'],
      ['counted', 3, 1, null],
    ]);
  }, 60_000);
});
