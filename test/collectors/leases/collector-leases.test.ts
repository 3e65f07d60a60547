/**
 * Issue 17 acceptance: two standalone collector processes (`collectors/main.ts`) in one collector group share 200
 * devices on a real Debian snmpd through leases kept in Postgres, behind the real app served over HTTP. One is killed
 * with SIGKILL: within two poll intervals every device is polled again, by the survivor; no (device, time) is stored
 * twice and no device is polled twice within one interval. GET /api/v1/collectors lists both with what they hold.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../helpers/app.ts';
import { openTestDb } from '../../helpers/db.ts';
import { until as waitFor } from '../../helpers/wait.ts';
import { startSnmpd, type SnmpdPeer } from '../../peers/snmp/snmpd.ts';
import { freeUdpPort } from '../../peers/snmp/shared-data.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const DEVICES = 200;
const INTERVAL_S = 10;
const GROUP = 'zona-utara';

const until = <T>(what: string, timeoutMs: number, check: () => Promise<T | null | false>): Promise<T> => waitFor(what, check, timeoutMs);

interface Collector { name: string; child: ChildProcess; log: string[] }

describe('collector group with leases on Postgres', () => {
  let t: TestApp;
  let server: ServerType;
  let url = '';
  let token = '';
  let snmpd: SnmpdPeer;
  let dir = '';
  const collectors: Collector[] = [];

  beforeAll(async () => {
    snmpd = await startSnmpd({ port: await freeUdpPort() });
    t = await makeTestApp(await openTestDb('postgres'));
    const engineer = await t.signIn('engineer');
    const tok = await t.call('POST', '/api/v1/auth/tokens', { as: engineer, json: { name: 'collectors' } });
    token = ((await tok.json()) as { token: string }).token;
    for (let i = 0; i < DEVICES; i += 1) {
      const r = await t.call('POST', '/api/v1/devices', {
        as: engineer,
        json: { name: `ap-${String(i).padStart(3, '0')}`, role: 'ap', vendor: 'generic', address: snmpd.host, snmp: { community: snmpd.community, port: snmpd.port }, pollIntervalS: INTERVAL_S, collectorGroup: GROUP },
      });
      if (r.status !== 201) throw new Error(`device ${i}: ${r.status} ${await r.text()}`);
    }
    // One device of another group, which these collectors must never poll.
    await t.call('POST', '/api/v1/devices', { as: engineer, json: { name: 'elsewhere', role: 'ap', vendor: 'generic', address: snmpd.host, snmp: { community: 'public', port: snmpd.port }, pollIntervalS: INTERVAL_S, collectorGroup: 'zona-lain' } });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
        url = `http://127.0.0.1:${info.port}`;
        resolve();
      });
    });
    dir = await mkdtemp(path.join(tmpdir(), 'jangkau-leases-'));
  }, 120_000);

  afterAll(async () => {
    for (const c of collectors) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await new Promise<void>((r) => server?.close(() => r()));
    await snmpd?.stop();
    await t?.handle.close();
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  async function startCollector(name: string): Promise<Collector> {
    const file = path.join(dir, `${name}.json`);
    await writeFile(file, JSON.stringify({
      collectorId: name,
      serverUrl: url,
      token,
      outboxDir: `./${name}-outbox`,
      targets: { source: 'lease', group: GROUP, ttlS: 4, renewS: 1 },
      snmp: { timeoutMs: 1000, retries: 1, maxInFlight: 64 },
      batch: { maxItems: 500, maxDelayMs: 500 },
    }));
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'collectors/main.ts'), '--config', file], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    const c: Collector = { name, child, log: [] };
    child.stderr!.on('data', (d: Buffer) => c.log.push(d.toString('utf8')));
    collectors.push(c);
    return c;
  }

  const pollsSince = async (sinceMs: number): Promise<Map<string, number[]>> => {
    const r = await sql<{ device_id: string; at_ms: string }>`select device_id, at_ms from polls where at_ms >= ${sinceMs} order by device_id, at_ms`.execute(t.handle.db);
    const m = new Map<string, number[]>();
    for (const row of r.rows) m.set(row.device_id, [...(m.get(row.device_id) ?? []), Number(row.at_ms)]);
    return m;
  };
  const heldBy = async (): Promise<Map<string, string>> => {
    const r = await sql<{ device_id: string; collector_id: string }>`select device_id, collector_id from device_leases where released = 0 and expires_ms >= ${Date.now()}`.execute(t.handle.db);
    return new Map(r.rows.map((x) => [x.device_id, x.collector_id]));
  };

  it('ACCEPTANCE: two collectors share 200 devices; after kill -9 of one the survivor polls them all within two intervals, nothing twice', async () => {
    const a = await startCollector('kolektor-a');
    const b = await startCollector('kolektor-b');
    // Both settle on their share (a collector that came first gives back the excess, which cools for an interval).
    await until('both collectors holding 100 devices', 90_000, async () => {
      const held = await heldBy();
      const counts = [...held.values()].reduce((m, c) => m.set(c, (m.get(c) ?? 0) + 1), new Map<string, number>());
      return held.size === DEVICES && counts.get('kolektor-a') === 100 && counts.get('kolektor-b') === 100 ? counts : null;
    });
    // Both poll: every device polled at least once since they settled.
    const settled = Date.now();
    await until('every device polled after the split', 4 * INTERVAL_S * 1000, async () => (await pollsSince(settled)).size === DEVICES);

    // GET /api/v1/collectors lists both with the devices each holds.
    const admin = await t.signIn('viewer');
    const list = (await (await t.call('GET', '/api/v1/collectors', { as: admin })).json()) as { items: { name: string; group: string; devicesHeld: number; state: string; lastSeen: string }[] };
    const listed = list.items.filter((c) => c.group === GROUP);
    expect(listed.map((c) => [c.name, c.devicesHeld, c.state])).toEqual([['kolektor-a', 100, 'alive'], ['kolektor-b', 100, 'alive']]);
    expect(Number.isNaN(Date.parse(listed[0]!.lastSeen))).toBe(false);

    const aDevices = [...(await heldBy())].filter(([, c]) => c === 'kolektor-a').map(([d]) => d);
    a.child.kill('SIGKILL');
    const killedAt = Date.now();
    await new Promise<void>((r) => a.child.once('exit', () => r()));
    // Within two intervals every device, those kolektor-a held included, is polled again, and held by the survivor.
    // Judged by when each poll ran (its time in the ledger), not by when the test saw it stored: the survivor's outbox
    // ships results every few seconds, and on a loaded machine that delivery alone took the stored view past 20 s.
    const after = await until('every device polled again after the kill', 2 * INTERVAL_S * 1000 + 15_000, async () => {
      const p = await pollsSince(killedAt);
      return p.size === DEVICES ? p : null;
    });
    const tookMs = Math.max(...[...after.values()].map((times) => times[0]! - killedAt));
    console.info(`takeover after kill -9: every device polled again ${tookMs} ms after the kill (interval ${INTERVAL_S * 1000} ms; all stored ${Date.now() - killedAt} ms after)`);
    expect(tookMs).toBeLessThanOrEqual(2 * INTERVAL_S * 1000);
    expect(aDevices).toHaveLength(100);
    expect(aDevices.every((d) => after.has(d))).toBe(true);
    const held = await heldBy();
    expect([...held.values()].every((c) => c === 'kolektor-b')).toBe(true);
    expect(held.size).toBe(DEVICES);

    // No (device, time) stored twice (the ledger's key), and no device polled twice within one interval by the two.
    const dup = await sql<{ n: number }>`select count(*)::int as n from (select device_id, at_ms from polls group by 1, 2 having count(*) > 1) x`.execute(t.handle.db);
    expect(dup.rows[0]!.n).toBe(0);
    for (const [device, times] of await pollsSince(0)) {
      for (let i = 1; i < times.length; i += 1) expect(times[i]! - times[i - 1]!, `${device} polled twice within an interval`).toBeGreaterThan(INTERVAL_S * 1000 * 0.5);
    }
    // The device of another group was never polled by this group's collectors.
    const other = await sql<{ n: number }>`select count(*)::int as n from polls p join devices d on d.id = p.device_id where d.name = 'elsewhere'`.execute(t.handle.db);
    expect(other.rows[0]!.n).toBe(0);
    expect(b.child.exitCode).toBeNull();
    expect(b.log.join('')).not.toContain(token);
  }, 240_000);
});
