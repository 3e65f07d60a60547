/**
 * Issue 11, item 2 on both databases: disabling, deleting or making a device inventory only ends its open incident
 * with the reason, and its time from then on is unknown (outside availability's denominator); results that arrive
 * afterwards for it (a collector's list lags behind) are dropped and counted, never reopening anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeIngestBatch, type IngestBatch, type StateEvent } from '../../../core/ingest.ts';
import { DIALECTS, openTestDb } from '../../helpers/db.ts';
import { makeTestApp, type TestApp } from '../../helpers/app.ts';

const MIN = 60_000;
const cause = { kind: 'timeout' as const, message: 'no answer after 2 tries' };

describe.each(DIALECTS)('device lifecycle on %s', (dialect) => {
  let t: TestApp;
  let admin = '';
  let token = '';
  let seq = 0;
  const ingest = async (events: StateEvent[]): Promise<{ stored: boolean; dropped: { items: number; events: number } }> => {
    const batch: IngestBatch = { collectorId: 'field-1', batchId: `field-1-life-${++seq}-${dialect}`, createdAtMs: t.clock.nowMs(), items: [], events };
    const res = await t.app.request('http://localhost/api/v1/ingest', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(encodeIngestBatch(batch)),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { stored: boolean; dropped: { items: number; events: number } };
  };
  const device = async (name: string): Promise<string> =>
    ((await (await t.call('POST', '/api/v1/devices', { as: admin, json: { name, role: 'ap', address: '10.1.1.1', snmp: { community: 'c' } } })).json()) as { id: string }).id;
  /** Up from `upAt`, down (incident open) from `downAt`. */
  const upThenDown = async (id: string, upAt: number, downAt: number): Promise<string> => {
    const incidentId = `${id}@${downAt}`;
    await ingest([
      { type: 'status_changed', deviceId: id, atMs: upAt, detectedAtMs: upAt, from: 'unknown', to: 'up' },
      { type: 'status_changed', deviceId: id, atMs: downAt, detectedAtMs: downAt + 2 * MIN, from: 'up', to: 'down' },
      { type: 'incident_opened', deviceId: id, incidentId, startedAtMs: downAt, detectedAtMs: downAt + 2 * MIN, cause },
    ]);
    return incidentId;
  };
  const incidentsOf = async (id: string): Promise<{ id: string; endedAt: string | null; endReason: string | null }[]> =>
    ((await (await t.call('GET', `/api/v1/incidents?deviceId=${id}`, { as: admin })).json()) as { items: { id: string; endedAt: string | null; endReason: string | null }[] }).items;

  beforeAll(async () => {
    t = await makeTestApp(await openTestDb(dialect));
    admin = await t.signIn('admin');
    token = ((await (await t.call('POST', '/api/v1/auth/tokens', { as: admin, json: { name: 'field-1' } })).json()) as { token: string }).token;
  });
  afterAll(async () => t.handle.close());

  it('disabling a down device ends its incident and leaves the disabled time out of availability', async () => {
    const id = await device('AP Terminal');
    const now = t.clock.nowMs();
    const incidentId = await upThenDown(id, now - 30 * MIN, now - 20 * MIN);
    expect((await t.call('PATCH', `/api/v1/devices/${id}`, { as: admin, json: { enabled: false } })).status).toBe(200);
    const [inc] = await incidentsOf(id);
    expect(inc).toMatchObject({ id: incidentId, endReason: 'disabled' });
    expect(Math.abs(Date.parse(inc!.endedAt!) - now)).toBeLessThan(5000);

    // A collector that has not yet heard of it still reports it down: dropped, nothing reopened.
    const late = await ingest([{ type: 'incident_opened', deviceId: id, incidentId: `${id}@${now + MIN}`, startedAtMs: now + MIN, detectedAtMs: now + MIN, cause }]);
    expect(late.dropped).toMatchObject({ events: 1 });
    // And its recovery, sent by a collector that still holds the old incident, does not rewrite the reason.
    await t.call('PATCH', `/api/v1/devices/${id}`, { as: admin, json: { enabled: true } });
    await ingest([{ type: 'incident_closed', deviceId: id, incidentId, startedAtMs: now - 20 * MIN, endedAtMs: now + 5 * MIN, detectedAtMs: now + 5 * MIN, cause }]);
    expect(await incidentsOf(id)).toEqual([expect.objectContaining({ id: incidentId, endReason: 'disabled' })]);

    t.clock.advance(10 * MIN);
    const av = (await (
      await t.call('GET', `/api/v1/availability?deviceId=${id}&from=${new Date(now - 30 * MIN).toISOString()}&to=${new Date(now + 10 * MIN).toISOString()}`, { as: admin })
    ).json()) as { percent: number; upS: number; downS: number; unknownS: number };
    // Up 10 min, down 20 min until the disable, then unknown: 10 / 30, not 10 / 40.
    expect(av.upS).toBeCloseTo(600, -1);
    expect(av.downS).toBeCloseTo(1200, -1);
    expect(av.percent).toBeCloseTo(33.33, 0);
  });

  it('deleting, bulk-disabling and making inventory only end open incidents with their reason', async () => {
    const now = t.clock.nowMs();
    const gone = await device('AP Gudang');
    const bulk = await device('AP Pelabuhan');
    const inv = await device('AP Kantor Lurah');
    const ids = { gone: await upThenDown(gone, now - 10 * MIN, now - 5 * MIN), bulk: await upThenDown(bulk, now - 10 * MIN, now - 5 * MIN), inv: await upThenDown(inv, now - 10 * MIN, now - 5 * MIN) };
    expect((await t.call('GET', '/api/v1/incidents?open=true', { as: admin }).then((r) => r.json())) as { total: number }).toMatchObject({ total: 3 });

    expect((await t.call('DELETE', `/api/v1/devices/${gone}`, { as: admin })).status).toBe(200);
    expect((await t.call('POST', '/api/v1/devices/bulk', { as: admin, json: { action: 'disable', ids: [bulk] } })).status).toBe(200);
    expect((await t.call('PATCH', `/api/v1/devices/${inv}`, { as: admin, json: { snmp: null } })).status).toBe(200);

    expect((await t.call('GET', '/api/v1/incidents?open=true', { as: admin }).then((r) => r.json())) as { total: number }).toMatchObject({ total: 0 });
    expect(await incidentsOf(gone)).toEqual([expect.objectContaining({ id: ids.gone, endReason: 'deleted' })]);
    expect(await incidentsOf(bulk)).toEqual([expect.objectContaining({ id: ids.bulk, endReason: 'disabled' })]);
    expect(await incidentsOf(inv)).toEqual([expect.objectContaining({ id: ids.inv, endReason: 'unmonitored' })]);
    const st = (await (await t.call('GET', `/api/v1/devices/${inv}/status`, { as: admin })).json()) as { state: string };
    expect(st.state).toBe('unmonitored');
  });
});
