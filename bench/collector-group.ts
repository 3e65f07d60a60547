/**
 * Issue 17: one collector group on Postgres, scaled down. DEVICES devices (default 2,000; the issue's figure is
 * 100,000 at 60 s) on a real Debian snmpd, polled every INTERVAL_S (10 s) by 4 standalone collector processes
 * sharing the group through leases, posting to the app served over HTTP in this process. Figures: polls stored per
 * interval, devices polled twice within an interval (target 0), takeover after kill -9 of one collector (target
 * <= 2 intervals), and the server's CPU per stored poll, as a ratio to a baseline in the same process: the same
 * devices polled by one collector with a fixed target list (no leases). The group runs twice: first with renewals
 * that answer the whole list (`changesOnly: false`, as before), then with renewals that answer only changes.
 *
 *   npx tsx bench/collector-group.ts        (JANGKAU_BENCH_DEVICES=5000 to scale)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { sql } from 'kysely';
import { makeTestApp } from '../test/helpers/app.ts';
import { openTestDb } from '../test/helpers/db.ts';
import { startSnmpd } from '../test/peers/snmp/snmpd.ts';
import { freeUdpPort } from '../test/peers/snmp/shared-data.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEVICES = Number(process.env.JANGKAU_BENCH_DEVICES ?? 2000);
const INTERVAL_S = Number(process.env.JANGKAU_BENCH_INTERVAL_S ?? 10);
const COLLECTORS = 4;
const TTL_S = 6;
const RENEW_S = 2;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const snmpd = await startSnmpd({ port: await freeUdpPort() });
  const t = await makeTestApp(await openTestDb('postgres'));
  const engineer = await t.signIn('engineer');
  const token = ((await (await t.call('POST', '/api/v1/auth/tokens', { as: engineer, json: { name: 'bench' } })).json()) as { token: string }).token;
  // The fixed list (GET /api/v1/collector/targets) is served to a collector's own token only.
  const baselineToken = ((await (await t.call('POST', '/api/v1/auth/tokens', { as: engineer, json: { name: 'bench baseline', kind: 'collector', collectorId: 'baseline' } })).json()) as { token: string }).token;
  const ids: string[] = [];
  for (let i = 0; i < DEVICES; i += 1) {
    const r = await t.call('POST', '/api/v1/devices', { as: engineer, json: { name: `ap-${i}`, role: 'ap', vendor: 'generic', address: snmpd.host, snmp: { community: snmpd.community, port: snmpd.port }, pollIntervalS: INTERVAL_S, collectorGroup: 'bench' } });
    ids.push(((await r.json()) as { id: string }).id);
  }
  const server = await new Promise<{ url: string; close: () => void }>((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve({ url: `http://127.0.0.1:${info.port}`, close: () => s.close() }));
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'jangkau-bench-group-'));
  const children: ChildProcess[] = [];
  const start = async (name: string, targets: unknown, as = token): Promise<ChildProcess> => {
    const file = path.join(dir, `${name}.json`);
    await writeFile(file, JSON.stringify({ collectorId: name, serverUrl: server.url, token: as, outboxDir: `./${name}-outbox`, targets, snmp: { timeoutMs: 2000, retries: 1, maxInFlight: 256 }, batch: { maxItems: 500, maxDelayMs: 1000 } }));
    const log = process.env.JANGKAU_BENCH_LOGS === undefined ? 'ignore' : openSync(path.join(process.env.JANGKAU_BENCH_LOGS, `${name}.log`), 'w');
    const c = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'collectors/main.ts'), '--config', file], { cwd: repoRoot, stdio: ['ignore', log, log] });
    children.push(c);
    return c;
  };
  const count = async (fromMs: number, toMs: number): Promise<{ polls: number; devices: number; twice: number }> => {
    const r = await sql<{ polls: number; devices: number }>`select count(*)::int as polls, count(distinct device_id)::int as devices from polls where at_ms >= ${fromMs} and at_ms < ${toMs}`.execute(t.handle.db);
    const d = await sql<{ n: number }>`select count(*)::int as n from (select device_id, at_ms - lag(at_ms) over (partition by device_id order by at_ms) as gap from polls) x where gap < ${INTERVAL_S * 500}`.execute(t.handle.db);
    return { polls: r.rows[0]!.polls, devices: r.rows[0]!.devices, twice: d.rows[0]!.n };
  };
  const window = async (intervals: number): Promise<{ pollsPerInterval: number; cpuUsPerPoll: number }> => {
    const from = Date.now();
    const cpu0 = process.cpuUsage();
    await sleep(intervals * INTERVAL_S * 1000);
    const cpu = process.cpuUsage(cpu0);
    await sleep(1500); // batches in flight
    const c = await count(from, from + intervals * INTERVAL_S * 1000);
    return { pollsPerInterval: c.polls / intervals, cpuUsPerPoll: (cpu.user + cpu.system) / Math.max(1, c.polls) };
  };
  try {
    // Baseline: one collector with a fixed list from the server (no leases).
    const base = await start('baseline', { source: 'server', refreshS: 3600 }, baselineToken);
    await sleep(3 * INTERVAL_S * 1000);
    const baseline = await window(3);
    base.kill('SIGTERM');
    await sleep(3000);

    // The group: 4 collectors sharing it through leases, first renewing with the whole list, then with changes only.
    const runGroup = async (label: string, changesOnly: boolean): Promise<{ procs: ChildProcess[]; settledS: number; measured: { pollsPerInterval: number; cpuUsPerPoll: number } }> => {
      const procs: ChildProcess[] = [];
      for (let i = 0; i < COLLECTORS; i += 1) procs.push(await start(`${label}-${i}`, { source: 'lease', group: 'bench', ttlS: TTL_S, renewS: RENEW_S, changesOnly }));
      const settleStart = Date.now();
      for (;;) {
        const r = await sql<{ n: number; c: number }>`select count(*)::int as n, count(distinct collector_id)::int as c from device_leases where released = 0 and expires_ms >= ${Date.now()} and collector_id like ${`${label}-%`}`.execute(t.handle.db);
        if (r.rows[0]!.n === DEVICES && r.rows[0]!.c === COLLECTORS) break;
        if (Date.now() - settleStart > 300_000) throw new Error(`the group (${label}) did not settle`);
        await sleep(500);
      }
      const settledS = (Date.now() - settleStart) / 1000;
      await sleep(INTERVAL_S * 1000);
      return { procs, settledS, measured: await window(3) };
    };
    const full = await runGroup('full', false);
    for (const c of full.procs) c.kill('SIGTERM');
    // Their leases lapse before the next group asks.
    await sleep((TTL_S + INTERVAL_S) * 1000);
    const changes = await runGroup('group', true);
    const group = changes.procs;
    const settledS = changes.settledS;
    const shared = changes.measured;
    const held = await sql<{ device_id: string }>`select device_id from device_leases where collector_id = 'group-0' and released = 0 and expires_ms >= ${Date.now()}`.execute(t.handle.db);
    const victim = new Set(held.rows.map((r) => r.device_id));
    group[0]!.kill('SIGKILL');
    const killedAt = Date.now();
    let takeoverMs = -1;
    while (Date.now() - killedAt < 6 * INTERVAL_S * 1000) {
      const r = await sql<{ device_id: string }>`select distinct device_id from polls where at_ms > ${killedAt}`.execute(t.handle.db);
      const polled = new Set(r.rows.map((x) => x.device_id));
      if ([...victim].every((d) => polled.has(d))) {
        takeoverMs = Date.now() - killedAt;
        break;
      }
      await sleep(250);
    }
    await sleep(2000);
    const dup = await sql<{ n: number }>`select count(*)::int as n from (select device_id, at_ms from polls group by 1, 2 having count(*) > 1) x`.execute(t.handle.db);
    const twice = (await count(0, Date.now() + 1)).twice;
    console.log([
      `Run: ${new Date().toISOString()}, Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(1)).join(' / ')}`,
      `Scale: ${DEVICES} devices on one snmpd, ${INTERVAL_S} s interval (the issue: 100,000 at 60 s, i.e. ${(100_000 / 60).toFixed(0)} polls/s; here ${(DEVICES / INTERVAL_S).toFixed(0)} polls/s)`,
      `| figure | 1 collector, fixed list (baseline) | ${COLLECTORS} collectors, whole-list renewals | ${COLLECTORS} collectors, change-only renewals | whole-list / baseline | change-only / baseline |`,
      `|---|---|---|---|---|---|`,
      `| polls stored per interval (of ${DEVICES}) | ${baseline.pollsPerInterval.toFixed(0)} | ${full.measured.pollsPerInterval.toFixed(0)} | ${shared.pollsPerInterval.toFixed(0)} | ${(full.measured.pollsPerInterval / baseline.pollsPerInterval).toFixed(2)}x | ${(shared.pollsPerInterval / baseline.pollsPerInterval).toFixed(2)}x |`,
      `| server CPU per stored poll | ${baseline.cpuUsPerPoll.toFixed(0)} us | ${full.measured.cpuUsPerPoll.toFixed(0)} us | ${shared.cpuUsPerPoll.toFixed(0)} us | ${(full.measured.cpuUsPerPoll / baseline.cpuUsPerPoll).toFixed(2)}x | ${(shared.cpuUsPerPoll / baseline.cpuUsPerPoll).toFixed(2)}x |`,
      `| group settled (every device leased, all ${COLLECTORS} holding) | - | ${full.settledS.toFixed(1)} s | ${settledS.toFixed(1)} s | - | - |`,
      `| takeover after kill -9 of one collector (${victim.size} devices) | - | - | ${takeoverMs < 0 ? 'not within 6 intervals' : `${(takeoverMs / 1000).toFixed(1)} s = ${(takeoverMs / (INTERVAL_S * 1000)).toFixed(2)} intervals`} | | target <= 2 |`,
      `| (device, time) stored twice, whole run | ${dup.rows[0]!.n} | | | | target 0 |`,
      `| polls of one device closer than half an interval, whole run | ${twice} | | | | target 0 |`,
    ].join('\n'));
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    server.close();
    await snmpd.stop();
    await t.handle.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
