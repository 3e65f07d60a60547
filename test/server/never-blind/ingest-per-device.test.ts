/**
 * Issue 11, items 1 and 3, end to end on the real server (npm start's code) polling Debian's snmpd on loopback:
 * - deleting a device right after its poll (its result still in the batcher) never stops storage for the others:
 *   the other device's lastPollAt advances every interval for the next 30 s, ingest counts what it dropped, and
 *   stopping snmpd then still opens the other device's incident;
 * - meanwhile a devices CSV of 500 rows without polling settings creates 500 `unmonitored` devices, none polled,
 *   no incident (and `monitor: false` does the same for a device that has SNMP settings).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../server/start-node.ts';
import { startSignedInServer, type AdminCall, type SignedInServer } from '../../helpers/node-server.ts';
import { until as untilEvery } from '../../helpers/wait.ts';
import { startSnmpd, type SnmpdPeer } from '../../peers/snmp/snmpd.ts';
import { freeUdpPort } from '../../peers/snmp/shared-data.ts';

describe('monitoring never goes blind (real snmpd, in-process collector)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jangkau-blind-'));
  let server: RunningServer;
  let api: AdminCall;
  let json: SignedInServer['json'];
  let snmpd: SnmpdPeer;
  let snmpPort = 0;
  const until = <T>(what: string, fn: () => Promise<T | null | undefined | false>, limitMs: number): Promise<T> => untilEvery(what, fn, limitMs, 200);

  beforeAll(async () => {
    snmpPort = await freeUdpPort();
    snmpd = await startSnmpd({ port: snmpPort, community: 'kota-cilegon' });
    ({ server, api, json } = await startSignedInServer(dir));
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await snmpd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps storing the other device after one is deleted right after its poll; inventory-only devices are never polled', async () => {
    const add = async (name: string): Promise<string> => {
      const res = await api('POST', '/api/v1/devices', { name, role: 'ap', address: '127.0.0.1', snmp: { community: 'kota-cilegon', port: snmpPort }, pollIntervalS: 5 });
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };
    const keep = await add('AP Alun-alun');
    const gone = await add('AP Pasar Kranggot');
    await server.collector!.reload();
    for (const id of [keep, gone]) await until(`${id} up`, async () => (await json<{ state: string }>('GET', `/api/v1/devices/${id}/status`)).state === 'up', 20_000);

    // Every poll result the collector produces, by device.
    const polled = new Map<string, number>();
    server.collector!.pipeline.observe((r) => polled.set(r.deviceId, (polled.get(r.deviceId) ?? 0) + 1));

    // Delete `gone` the moment its next result is handed to the batcher (stored at most 1 s later).
    const deleted = new Promise<number>((resolve) => {
      const stop = server.collector!.pipeline.observe((r) => {
        if (r.deviceId !== gone) return;
        stop();
        void api('DELETE', `/api/v1/devices/${gone}`).then((res) => resolve(res.status));
      });
    });
    expect(await deleted).toBe(200);
    const deletedAt = Date.now();

    // Meanwhile: 500 inventory rows without polling settings, and 3 with SNMP settings but monitor off.
    const rows = ['name,role,address,snmpCommunity,snmpPort,monitor'];
    for (let i = 0; i < 500; i++) rows.push(`Titik ${i},ap,10.20.${i >> 8}.${i & 255},,,`);
    for (let i = 0; i < 3; i++) rows.push(`Gudang ${i},ap,127.0.0.1,kota-cilegon,${snmpPort},tidak`);
    const imported = await api('POST', '/api/v1/devices/import', rows.join('\n') + '\n', 'text/csv');
    expect(imported.status).toBe(201);
    expect(((await imported.json()) as { created: number }).created).toBe(503);
    await server.collector!.reload();
    expect(server.collector!.pipeline.stats().devices).toBe(1);

    // For 30 s, the kept device's lastPollAt moves on every interval (grid slots 5 s apart, none missing; a poll
    // starts a few ms after its slot when the event loop is busy).
    const seen: number[] = [];
    while (Date.now() - deletedAt < 30_000) {
      const s = await json<{ lastPollAt: string | null }>('GET', `/api/v1/devices/${keep}/status`);
      const at = Date.parse(s.lastPollAt ?? '');
      if (seen.at(-1) !== at) seen.push(at);
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(seen.length).toBeGreaterThanOrEqual(6);
    const gaps = seen.slice(1).map((t, i) => t - seen[i]!);
    expect(gaps.filter((g) => g < 4000 || g > 6000), `gaps ${gaps.join(', ')}`).toEqual([]);

    // Ingest dropped the deleted device's result instead of refusing the batch, and says so.
    const health = await json<{ collectors: { id: string; droppedItems: number }[]; deadLetters: { available: boolean; total: number } }>('GET', '/api/v1/monitoring/ingest');
    expect(health.collectors.find((c) => c.id === 'in-process')!.droppedItems).toBeGreaterThanOrEqual(1);
    expect(health.deadLetters).toMatchObject({ available: true, total: 0 });
    expect(server.collector!.pipeline.stats().batcher).toMatchObject({ retained: 0, deadLettered: 0, dropped: 0 });

    // 503 unmonitored devices, none ever polled, no incident.
    const fleet = await json<{ counts: Record<string, number> }>('GET', '/api/v1/status');
    expect(fleet.counts.unmonitored).toBe(503);
    expect(fleet.counts.up).toBe(1);
    expect([...polled.keys()].filter((id) => id !== keep && id !== gone)).toEqual([]);
    const devices = await json<{ items: { id: string; name: string; monitored: boolean }[] }>('GET', '/api/v1/devices?q=Gudang');
    expect(devices.items.map((d) => d.monitored)).toEqual([false, false, false]);
    expect((await json<{ state: string }>('GET', `/api/v1/devices/${devices.items[0]!.id}/status`)).state).toBe('unmonitored');
    expect((await json<{ total: number }>('GET', '/api/v1/incidents?limit=1')).total).toBe(0);

    // A real outage of the kept device still opens its incident.
    await snmpd.stop();
    await until('incident of the kept device', async () => (await json<{ total: number }>('GET', `/api/v1/incidents?deviceId=${keep}&open=true`)).total === 1, 40_000);
    expect((await json<{ total: number }>('GET', '/api/v1/incidents?limit=1')).total).toBe(1);
  }, 120_000);
});
