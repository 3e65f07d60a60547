/**
 * Issue 11, item 2 (maintenance) on both databases: a device or a site in a maintenance window has its open incident
 * paused with the reason, opens no new incident during the window, and the window's time is unknown time (outside
 * availability's denominator); a device still down when the window ends gets an incident from the window's end, which
 * ends when it is back up. Set and cleared through the API by engineers and admins only.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeIngestBatch, type IngestBatch, type StateEvent } from '../../../core/ingest.ts';
import { systemServiceCtx } from '../../../server/service-ctx.ts';
import { silentLogger } from '../../../server/log.ts';
import { sweepMaintenance } from '../../../server/services/monitoring/maintenance.ts';
import { DIALECTS, openTestDb } from '../../helpers/db.ts';
import { makeTestApp, type TestApp } from '../../helpers/app.ts';

const MIN = 60_000;
const cause = { kind: 'timeout' as const, message: 'no answer after 2 tries' };
const iso = (ms: number): string => new Date(ms).toISOString();

describe.each(DIALECTS)('maintenance windows on %s', (dialect) => {
  let t: TestApp;
  let admin = '';
  let token = '';
  let seq = 0;
  const ingest = async (events: StateEvent[]): Promise<void> => {
    const batch: IngestBatch = { collectorId: 'field-1', batchId: `field-1-mw-${++seq}-${dialect}`, createdAtMs: t.clock.nowMs(), items: [], events };
    const res = await t.app.request('http://localhost/api/v1/ingest', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(encodeIngestBatch(batch)),
    });
    expect(res.status).toBe(200);
  };
  const device = async (name: string, siteId?: string): Promise<string> => {
    const res = await t.call('POST', '/api/v1/devices', { as: admin, json: { name, role: 'ap', address: '10.1.1.1', snmp: { community: 'c' }, ...(siteId === undefined ? {} : { siteId }) } });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const down = (id: string, atMs: number, incidentId = `${id}@${atMs}`): StateEvent[] => [
    { type: 'status_changed', deviceId: id, atMs, detectedAtMs: atMs + MIN, from: 'up', to: 'down' },
    { type: 'incident_opened', deviceId: id, incidentId, startedAtMs: atMs, detectedAtMs: atMs + MIN, cause },
  ];
  const up = (id: string, atMs: number): StateEvent => ({ type: 'status_changed', deviceId: id, atMs, detectedAtMs: atMs, from: 'unknown', to: 'up' });
  type Inc = { id: string; startedAt: string; endedAt: string | null; endReason: string | null };
  const incidentsOf = async (id: string): Promise<Inc[]> =>
    ((await (await t.call('GET', `/api/v1/incidents?deviceId=${id}`, { as: admin })).json()) as { items: Inc[] }).items;
  const availability = async (id: string, fromMs: number, toMs: number): Promise<{ percent: number | null; upS: number; downS: number; unknownS: number }> =>
    (await (await t.call('GET', `/api/v1/availability?deviceId=${id}&from=${iso(fromMs)}&to=${iso(toMs)}`, { as: admin })).json()) as never;
  const sweep = (): Promise<{ paused: number; incidentsOpened: number }> =>
    sweepMaintenance(systemServiceCtx({ clock: t.clock, secrets: t.secrets, config: { trustedOrigins: [], cookieSecure: null, sessionDays: 30, maxBodyBytes: 1 << 20 }, log: silentLogger }, t.handle, { requestId: 'mw' }));

  beforeAll(async () => {
    t = await makeTestApp(await openTestDb(dialect));
    admin = await t.signIn('admin');
    token = ((await (await t.call('POST', '/api/v1/auth/tokens', { as: admin, json: { name: 'field-1' } })).json()) as { token: string }).token;
  });
  afterAll(async () => t.handle.close());

  it('pauses the open incident with the reason, opens none in the window, and leaves the window out of availability', async () => {
    const id = await device('AP Alun-alun');
    const t0 = t.clock.nowMs();
    await ingest([up(id, t0 - 40 * MIN), ...down(id, t0 - 10 * MIN)]);
    expect((await incidentsOf(id))[0]).toMatchObject({ endedAt: null });

    // In maintenance for an hour from now, with the reason stated.
    const set = await t.call('PUT', `/api/v1/devices/${id}/maintenance`, { as: admin, json: { endsAt: iso(t0 + 60 * MIN), reason: 'ganti antena' } });
    expect(set.status, await set.clone().text()).toBe(200);
    expect(await set.json()).toMatchObject({ deviceId: id, state: 'active', reason: 'ganti antena' });
    const [paused] = await incidentsOf(id);
    expect(paused).toMatchObject({ endReason: 'maintenance' });
    expect(Math.abs(Date.parse(paused!.endedAt!) - t0)).toBeLessThan(5_000);

    // It comes up, goes down again inside the window: no incident opens (kept, ended at birth, with the reason).
    t.clock.advance(5 * MIN);
    const inWindow = `${id}@in-window`;
    await ingest([up(id, t0 + 2 * MIN), ...down(id, t0 + 4 * MIN, inWindow)]);
    expect((await t.call('GET', `/api/v1/incidents?open=true&deviceId=${id}`, { as: admin }).then((r) => r.json())) as { total: number }).toMatchObject({ total: 0 });
    expect((await incidentsOf(id)).find((i) => i.id === inWindow)).toMatchObject({ endReason: 'maintenance' });
    // The collector's later recovery of it cannot reopen or rewrite it.
    await ingest([{ type: 'incident_closed', deviceId: id, incidentId: inWindow, startedAtMs: t0 + 4 * MIN, endedAtMs: t0 + 5 * MIN, detectedAtMs: t0 + 5 * MIN, cause }]);
    expect((await incidentsOf(id)).find((i) => i.id === inWindow)).toMatchObject({ endReason: 'maintenance' });

    // Availability over [t0 - 40 min, t0 + 5 min): up 30, down 10 before the window; the 5 min inside are unknown.
    const av = await availability(id, t0 - 40 * MIN, t0 + 5 * MIN);
    expect(av.upS).toBeCloseTo(30 * 60, -1);
    expect(av.downS).toBeCloseTo(10 * 60, -1);
    expect(av.unknownS).toBeCloseTo(5 * 60, -1);
    expect(av.percent).toBeCloseTo(75, 0);
  });

  it('a device still down when its window is cleared gets an incident from then, ended when it is back up', async () => {
    const id = await device('AP Pasar');
    const t0 = t.clock.nowMs();
    await ingest([up(id, t0 - 20 * MIN)]);
    expect((await t.call('PUT', `/api/v1/devices/${id}/maintenance`, { as: admin, json: { endsAt: iso(t0 + 30 * MIN), reason: 'pindah tiang' } })).status).toBe(200);
    await ingest(down(id, t0 + MIN));
    t.clock.advance(10 * MIN);
    expect((await t.call('GET', `/api/v1/incidents?open=true&deviceId=${id}`, { as: admin }).then((r) => r.json())) as { total: number }).toMatchObject({ total: 0 });

    const cleared = await t.call('DELETE', `/api/v1/devices/${id}/maintenance`, { as: admin });
    expect(await cleared.json()).toEqual({ ended: 1, incidentsOpened: 1 });
    const open = (await incidentsOf(id)).filter((i) => i.endedAt === null);
    expect(open).toHaveLength(1);
    expect(Math.abs(Date.parse(open[0]!.startedAt) - (t0 + 10 * MIN))).toBeLessThan(5_000);
    // The sweep finds nothing more to do.
    expect(await sweep()).toMatchObject({ incidentsOpened: 0 });

    const backAt = t.clock.nowMs() + MIN;
    await ingest([{ type: 'status_changed', deviceId: id, atMs: backAt, detectedAtMs: backAt, from: 'down', to: 'up' }]);
    expect((await incidentsOf(id)).filter((i) => i.endedAt === null)).toEqual([]);
  });

  it('a site window covers its devices; an upcoming one begins by the sweep; only engineers and admins set it', async () => {
    const site = ((await (await t.call('POST', '/api/v1/sites', { as: admin, json: { name: 'Balai Warga', lat: -6.0, lon: 106.05 } })).json()) as { id: string }).id;
    expect(site).toBeTypeOf('string');
    const a = await device('AP Balai 1', site);
    const t0 = t.clock.nowMs();
    await ingest([up(a, t0 - 20 * MIN), ...down(a, t0 - 5 * MIN)]);

    const viewer = await t.signIn('viewer');
    expect((await t.call('PUT', `/api/v1/sites/${site}/maintenance`, { as: viewer, json: { endsAt: iso(t0 + 60 * MIN), reason: 'x' } })).status).toBe(403);
    const engineer = await t.signIn('engineer');
    // A reason is required, and a window cannot be back-dated.
    expect((await t.call('PUT', `/api/v1/sites/${site}/maintenance`, { as: engineer, json: { endsAt: iso(t0 + 60 * MIN), reason: ' ' } })).status).toBe(422);
    expect((await t.call('PUT', `/api/v1/sites/${site}/maintenance`, { as: engineer, json: { startsAt: iso(t0 - 60 * MIN), endsAt: iso(t0 + 60 * MIN), reason: 'x' } })).status).toBe(422);

    const upcoming = await t.call('PUT', `/api/v1/sites/${site}/maintenance`, { as: engineer, json: { startsAt: iso(t0 + 10 * MIN), endsAt: iso(t0 + 60 * MIN), reason: 'listrik padam terjadwal' } });
    expect(await upcoming.json()).toMatchObject({ siteId: site, state: 'upcoming' });
    expect((await incidentsOf(a))[0]).toMatchObject({ endedAt: null });
    t.clock.advance(11 * MIN);
    expect(await sweep()).toMatchObject({ paused: 1 });
    const [inc] = await incidentsOf(a);
    expect(inc).toMatchObject({ endReason: 'maintenance' });
    expect(Date.parse(inc!.endedAt!)).toBe(t0 + 10 * MIN);
    expect(await sweep()).toMatchObject({ paused: 0, incidentsOpened: 0 });
    expect((await t.call('PUT', `/api/v1/devices/nope/maintenance`, { as: admin, json: { endsAt: iso(t0 + 60 * MIN), reason: 'x' } })).status).toBe(404);
  });

  it('a device still down when its window ends opens an incident then, and the webhook hears of its start', async () => {
    const got: { event: string; body: { incidentId: string; deviceId: string; startedAt: string; cause: { message: string } } }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        got.push({ event: String(req.headers['x-jangkau-event'] ?? ''), body: JSON.parse(body) as never });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', () => ok()));
    try {
      // The receiver is on loopback: an admin allows private networks first (issue 10).
      expect((await t.call('PUT', '/api/v1/settings/outbound', { as: admin, json: { allowPrivate: true } })).status).toBe(200);
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      expect((await t.call('POST', '/api/v1/webhooks', { as: admin, json: { url, secret: 'maintenance-webhook-secret-123' } })).status).toBe(201);
      const id = await device('AP Terminal');
      const t0 = t.clock.nowMs();
      await ingest([up(id, t0 - 20 * MIN)]);
      expect((await t.call('PUT', `/api/v1/devices/${id}/maintenance`, { as: admin, json: { endsAt: iso(t0 + 10 * MIN), reason: 'ganti kabel' } })).status).toBe(200);
      await ingest(down(id, t0 + MIN));
      // Down inside the window: no incident stays open, and nothing is sent.
      expect(await sweep()).toMatchObject({ incidentsOpened: 0 });
      expect(got.filter((g) => g.body.deviceId === id)).toEqual([]);

      t.clock.advance(11 * MIN);
      expect(await sweep()).toMatchObject({ incidentsOpened: 1 });
      const [open] = (await incidentsOf(id)).filter((i) => i.endedAt === null);
      expect(Date.parse(open!.startedAt)).toBe(t0 + 10 * MIN);
      const mine = got.filter((g) => g.body.deviceId === id);
      expect(mine.map((g) => [g.event, g.body.incidentId, g.body.startedAt])).toEqual([['incident.opened', open!.id, iso(t0 + 10 * MIN)]]);
      expect(mine[0]!.body.cause.message).toContain('ganti kabel');
      // Once only: the next sweep opens nothing and sends nothing.
      expect(await sweep()).toMatchObject({ incidentsOpened: 0 });
      expect(got.filter((g) => g.body.deviceId === id)).toHaveLength(1);
      // Back up: the collector knows nothing of the server's incident, yet its end is told, once.
      const backAt = t.clock.nowMs() + MIN;
      await ingest([{ type: 'status_changed', deviceId: id, atMs: backAt, detectedAtMs: backAt, from: 'down', to: 'up' }]);
      await expect.poll(() => got.filter((g) => g.body.deviceId === id).length, { timeout: 10_000 }).toBe(2);
      const closed = got.filter((g) => g.body.deviceId === id)[1]!;
      expect([closed.event, closed.body.incidentId]).toEqual(['incident.closed', open!.id]);
      expect((closed.body as unknown as { endedAt: string }).endedAt).toBe(iso(backAt));
      await ingest([{ type: 'status_changed', deviceId: id, atMs: backAt + MIN, detectedAtMs: backAt + MIN, from: 'up', to: 'up' }]);
      await new Promise((r) => setTimeout(r, 300));
      expect(got.filter((g) => g.body.deviceId === id)).toHaveLength(2);
    } finally {
      await new Promise<void>((ok) => receiver.close(() => ok()));
    }
  });
});
