/**
 * The monitoring store on both databases: ingest is idempotent per batch and per (device, time), accepts per device
 * (results of unknown or deleted devices are dropped and counted, the rest stored), refuses bad bodies and tokens
 * with nothing stored; status, incidents, availability, series and roll-ups read it back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeIngestBatch, type IngestBatch, type StateEvent } from '../../core/ingest.ts';
import type { PollResult, PollSuccess } from '../../core/observations.ts';
import { runRollups } from '../../server/services/monitoring/rollups.ts';
import { systemServiceCtx } from '../../server/service-ctx.ts';
import { silentLogger } from '../../server/log.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';

const MIN = 60_000;

function good(deviceId: string, atMs: number, inOctets: bigint, clients: number, uptimeS: number): PollSuccess {
  return {
    ok: true,
    deviceId,
    startedAtMs: atMs,
    durationMs: 12,
    system: { uptimeS, descr: 'RouterOS RB952Ui-5ac2nD', objectId: '1.3.6.1.4.1.14988.1', name: 'ap-alun-alun', version: '6.40.5', cpuLoadPct: 3, memFreeBytes: 1e7 },
    interfaces: [{ index: 1, name: 'wlan1', operUp: true, inOctets, outOctets: inOctets / 2n, counterBits: 32, speedBps: 1e8 }],
    ssids: [{ ssid: 'Cilegon-Free', radio: 'wlan1', clients }],
    stations: [],
    hotspotActive: [],
    clients,
  };
}

describe.each(DIALECTS)('monitoring store on %s', (dialect) => {
  let t: TestApp;
  let admin: string;
  let token = '';
  let deviceId = '';
  const t0 = Date.UTC(2026, 10, 28, 0, 0, 0);

  const ingest = async (batch: IngestBatch, bearer = token): Promise<Response> =>
    t.app.request('http://localhost/api/v1/ingest', {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify(encodeIngestBatch(batch)),
    });

  beforeAll(async () => {
    t = await makeTestApp(await openTestDb(dialect));
    admin = await t.signIn('admin');
    token = ((await (await t.call('POST', '/api/v1/auth/tokens', { as: admin, json: { name: 'collector-1' } })).json()) as { token: string }).token;
    deviceId = ((await (await t.call('POST', '/api/v1/devices', { as: admin, json: { name: 'AP Alun-alun', role: 'ap', address: '127.0.0.1', snmp: { community: 'c' } } })).json()) as { id: string }).id;
  });
  afterAll(async () => t.handle.close());

  it('stores polls once, turns 32-bit counters into rates across a wrap, and acknowledges a replayed batch without writing', async () => {
    const polls: PollResult[] = [
      good(deviceId, t0, 4_294_000_000n, 3, 1000),
      good(deviceId, t0 + MIN, 400_000n, 5, 1060), // wrapped: 967,296 + 400,000 bytes in 60 s
    ];
    const events: StateEvent[] = [{ type: 'status_changed', deviceId, atMs: t0, detectedAtMs: t0, from: 'unknown', to: 'up' }];
    const batch: IngestBatch = { collectorId: 'c1', batchId: 'c1-batch-00000001', createdAtMs: t0 + MIN, items: polls, events };
    const first = await ingest(batch);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ stored: true, items: 2 });
    const replay = await ingest(batch);
    expect(await replay.json()).toMatchObject({ stored: false });
    // The same polls in a new batch (a resend after a lost answer) store nothing twice.
    const resent = await ingest({ ...batch, batchId: 'c1-batch-00000002' });
    expect(await resent.json()).toMatchObject({ stored: true, items: 0 });
    const s = (await (await t.call('GET', `/api/v1/devices/${deviceId}/status`, { as: admin })).json()) as { state: string; clients: number; rxBps: number; ssids: { ssid: string }[] };
    expect(s.state).toBe('up');
    expect(s.clients).toBe(5);
    expect(s.rxBps).toBeCloseTo(((967_296 + 400_000) * 8) / 60, 3);
    expect(s.ssids[0]!.ssid).toBe('Cilegon-Free');
    const series = (await (
      await t.call('GET', `/api/v1/devices/${deviceId}/series?metric=clients&from=${new Date(t0 - MIN).toISOString()}&to=${new Date(t0 + 2 * MIN).toISOString()}`, { as: admin })
    ).json()) as { resolution: string; points: [number, number][] };
    expect(series.resolution).toBe('raw');
    expect(series.points).toEqual([
      [t0, 3],
      [t0 + MIN, 5],
    ]);
    const polled = (await (await t.call('GET', `/api/v1/devices/${deviceId}/polls`, { as: admin })).json()) as { items: unknown[] };
    expect(polled.items).toHaveLength(2);
  });

  it('drops and counts results of an unknown device without refusing the rest of the batch', async () => {
    const other = ((await (await t.call('POST', '/api/v1/devices', { as: admin, json: { name: 'AP Pasar', role: 'ap', address: '127.0.0.2', snmp: { community: 'c' } } })).json()) as { id: string }).id;
    const batch: IngestBatch = {
      collectorId: 'c1',
      batchId: 'c1-batch-unknown01',
      createdAtMs: t0,
      items: [good('no-such-device', t0 + 5 * MIN, 1n, 1, 1), good(other, t0 + 5 * MIN, 1n, 4, 1), good('no-such-device', t0 + 6 * MIN, 2n, 1, 2)],
      events: [
        { type: 'status_changed', deviceId: 'no-such-device', atMs: t0 + 5 * MIN, detectedAtMs: t0 + 5 * MIN, from: 'unknown', to: 'up' },
        { type: 'status_changed', deviceId: other, atMs: t0 + 5 * MIN, detectedAtMs: t0 + 5 * MIN, from: 'unknown', to: 'up' },
      ],
    };
    const res = await ingest(batch);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ stored: true, items: 1, events: 1, dropped: { items: 2, events: 1, devices: ['no-such-device'] } });
    const s = (await (await t.call('GET', `/api/v1/devices/${other}/status`, { as: admin })).json()) as { state: string; clients: number };
    expect(s).toMatchObject({ state: 'up', clients: 4 });
    // The metric: counted on the collector's row, summed over batches.
    await ingest({ ...batch, batchId: 'c1-batch-unknown02', items: [good('no-such-device', t0 + 7 * MIN, 3n, 1, 3)], events: [] });
    const health = (await (await t.call('GET', '/api/v1/monitoring/ingest', { as: admin })).json()) as { collectors: { id: string; droppedItems: number; droppedEvents: number }[]; deadLetters: { available: boolean } };
    expect(health.collectors.find((c) => c.id === 'c1')).toMatchObject({ droppedItems: 3, droppedEvents: 1 });
    expect(health.deadLetters.available).toBe(false); // this test app has no in-process collector
    await t.call('DELETE', `/api/v1/devices/${other}`, { as: admin });
  });

  it('refuses a malformed body and a bad token, storing nothing', async () => {
    const malformed = await t.app.request('http://localhost/api/v1/ingest', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"collectorId":"c1","batchId":"x"',
    });
    expect(malformed.status).toBe(400);
    const wrongToken = await ingest({ collectorId: 'c1', batchId: 'c1-batch-badtoken', createdAtMs: t0, items: [], events: [] }, `jk_${'b'.repeat(32)}`);
    expect(wrongToken.status).toBe(401);
    const viewerToken = ((await (await t.call('POST', '/api/v1/auth/tokens', { as: await t.signIn('viewer'), json: { name: 'v' } })).json()) as { token: string }).token;
    expect((await ingest({ collectorId: 'c1', batchId: 'c1-batch-viewer01', createdAtMs: t0, items: [], events: [] }, viewerToken)).status).toBe(403);
    const polled = (await (await t.call('GET', `/api/v1/devices/${deviceId}/polls`, { as: admin })).json()) as { items: unknown[] };
    expect(polled.items).toHaveLength(2);
  });

  it('keeps incidents and computes availability and time to restore from transitions', async () => {
    const start = t0 + 10 * MIN;
    const end = t0 + 40 * MIN;
    const cause = { kind: 'timeout' as const, message: 'no answer from 127.0.0.1:161 after 2 tries' };
    const events: StateEvent[] = [
      { type: 'incident_opened', deviceId, incidentId: `${deviceId}@${start}`, startedAtMs: start, detectedAtMs: start + 2 * MIN, cause },
      { type: 'status_changed', deviceId, atMs: start, detectedAtMs: start + 2 * MIN, from: 'up', to: 'down' },
    ];
    await ingest({ collectorId: 'c1', batchId: 'c1-batch-incident1', createdAtMs: start, items: [], events });
    let open = (await (await t.call('GET', `/api/v1/incidents?deviceId=${deviceId}&open=true`, { as: admin })).json()) as { items: { endedAt: string | null; cause: { kind: string } }[] };
    expect(open.items).toHaveLength(1);
    expect(open.items[0]!.cause.kind).toBe('timeout');
    await ingest({
      collectorId: 'c1',
      batchId: 'c1-batch-incident2',
      createdAtMs: end,
      items: [],
      events: [
        { type: 'incident_closed', deviceId, incidentId: `${deviceId}@${start}`, startedAtMs: start, endedAtMs: end, detectedAtMs: end, cause },
        { type: 'status_changed', deviceId, atMs: end, detectedAtMs: end, from: 'down', to: 'up' },
      ],
    });
    open = (await (await t.call('GET', `/api/v1/incidents?deviceId=${deviceId}&open=true`, { as: admin })).json()) as typeof open;
    expect(open.items).toHaveLength(0);
    const av = (await (
      await t.call('GET', `/api/v1/availability?deviceId=${deviceId}&from=${new Date(t0).toISOString()}&to=${new Date(t0 + 100 * MIN).toISOString()}`, { as: admin })
    ).json()) as { percent: number; downS: number; mttrS: number; incidents: number };
    expect(av.percent).toBeCloseTo(70, 6);
    expect(av.downS).toBe(30 * 60);
    expect(av.mttrS).toBe(30 * 60);
    expect(av.incidents).toBe(1);
    const none = (await (await t.call('GET', `/api/v1/availability?wardCode=nowhere`, { as: admin })).json()) as { percent: number | null; devices: number };
    expect(none).toMatchObject({ percent: null, devices: 0 });
  });

  it('rolls raw samples up to 5-minute and hourly buckets and serves the coarser resolution for long ranges', async () => {
    const items: PollResult[] = [];
    for (let i = 2; i < 130; i++) items.push(good(deviceId, t0 + i * MIN, BigInt(1_000_000 + i * 60_000), i % 7, 1000 + i * 60));
    await ingest({ collectorId: 'c1', batchId: 'c1-batch-series001', createdAtMs: t0, items, events: [] });
    const ctx = systemServiceCtx(
      { clock: { nowMs: () => t0 + 3 * 60 * MIN }, secrets: t.secrets, config: { trustedOrigins: [], cookieSecure: null, sessionDays: 30, maxBodyBytes: 1 }, log: silentLogger },
      t.handle,
      { requestId: 'rollup-test' },
    );
    const { written } = await runRollups(ctx);
    expect(written).toBeGreaterThan(26);
    const s = (await (
      await t.call('GET', `/api/v1/devices/${deviceId}/series?metric=clients&from=${new Date(t0).toISOString()}&to=${new Date(t0 + 2 * 86_400_000).toISOString()}`, { as: admin })
    ).json()) as { resolution: string; points: [number, number][]; max: [number, number][] };
    expect(s.resolution).toBe('5m');
    expect(s.points.length).toBeGreaterThanOrEqual(25);
    expect(s.max.every(([, v]) => v <= 6)).toBe(true);
    const hourly = (await (
      await t.call('GET', `/api/v1/devices/${deviceId}/series?metric=rxBps&resolution=1h&from=${new Date(t0).toISOString()}&to=${new Date(t0 + 3 * 3_600_000).toISOString()}`, { as: admin })
    ).json()) as { points: [number, number][] };
    expect(hourly.points.length).toBeGreaterThanOrEqual(2);
    // The second hour holds only the steady 60,000 bytes a minute (the first also holds the earlier test's polls).
    expect(hourly.points[1]![1]).toBeCloseTo((60_000 * 8) / 60, 0);
    const again = await runRollups(ctx);
    expect(again.written).toBe(0);
  });

  it('shows the public where free Wi-Fi works now, by site, without addresses or personal data', async () => {
    const site = (await (await t.call('POST', '/api/v1/sites', { as: admin, json: { name: 'Alun-alun Cilegon', lat: -6.0169, lon: 106.0539, status: 'live' } })).json()) as { id: string };
    await t.call('PATCH', `/api/v1/devices/${deviceId}`, { as: admin, json: { siteId: site.id } });
    await t.call('POST', '/api/v1/sites', { as: admin, json: { name: 'Taman Baru', lat: -6.02, lon: 106.05, status: 'planned' } });
    const res = await t.app.request('http://localhost/api/v1/public/hotspots');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { name: string; state: string }[] };
    expect(body.items.find((i) => i.name === 'Alun-alun Cilegon')?.state).toBe('up');
    expect(body.items.find((i) => i.name === 'Taman Baru')?.state).toBe('planned');
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|address|community/);
  });

  it('feeds captive-portal accounting from RouterOS polls, and an SNMP fallback poll ends no session', async () => {
    const gw = ((await (await t.call('POST', '/api/v1/devices', { as: admin, json: { name: 'GW Alun-alun', role: 'gateway', address: '127.0.0.2', routeros: { username: 'api', password: 'x' } } })).json()) as { id: string }).id;
    const hs = await t.call('POST', '/api/v1/portal/hotspots', { as: admin, json: { deviceId: gw, identity: 'gw-alun-alun', serverAddress: '10.5.50.1' } });
    expect(hs.status).toBe(201);
    const at = t0 + 200 * MIN;
    const active = [{ user: 'jk-abc', address: '10.5.50.20', mac: 'aa:bb:cc:dd:ee:01', uptimeS: 60, bytesIn: 1000n, bytesOut: 5000n }];
    const poll = (atMs: number, protocol: 'snmp' | 'routeros', list: typeof active): PollSuccess => ({ ...good(gw, atMs, 1n, 1, 100), hotspotActive: list, protocol });
    await ingest({ collectorId: 'c1', batchId: 'c1-batch-hotspot01', createdAtMs: at, items: [poll(at, 'routeros', active)], events: [] });
    const sessions = async (): Promise<unknown[]> => ((await (await t.call('GET', '/api/v1/portal/sessions/active', { as: admin })).json()) as { items: unknown[] }).items;
    expect(await sessions()).toHaveLength(1);
    await ingest({ collectorId: 'c1', batchId: 'c1-batch-hotspot02', createdAtMs: at + MIN, items: [poll(at + MIN, 'snmp', [])], events: [] });
    expect(await sessions()).toHaveLength(1);
    await ingest({ collectorId: 'c1', batchId: 'c1-batch-hotspot03', createdAtMs: at + 2 * MIN, items: [poll(at + 2 * MIN, 'routeros', [])], events: [] });
    expect(await sessions()).toHaveLength(0);
  });
});

