/**
 * Issue 17: a collector renewing its leases gets only what changed since its last answer (devices newly leased to it
 * or edited), with the ids it holds, instead of its whole sealed target list; on SQLite and Postgres.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWithToken } from '../../core/token-seal.ts';
import { SINCE_MARGIN_MS } from '../../server/services/monitoring/leases.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';

interface Answer { mode: 'full' | 'changes'; version: number; ids?: string[]; devices: number; sealedTargets: string }
interface Target { deviceId: string; pollIntervalS: number }

describe.each(DIALECTS)('lease renewals that answer only changes on %s', (dialect) => {
  let t: TestApp;
  let engineer: string;
  let token = '';
  const ids: string[] = [];
  const device = async (i: number): Promise<string> => {
    const r = await t.call('POST', '/api/v1/devices', { as: engineer, json: { name: `ap-${i}`, role: 'ap', address: `127.0.0.${i + 1}`, snmp: { community: 'public' }, pollIntervalS: 60, collectorGroup: 'zona-b' } });
    expect(r.status, await r.clone().text()).toBe(201);
    return ((await r.json()) as { id: string }).id;
  };
  const renew = async (since?: number): Promise<{ answer: Answer; targets: Target[] }> => {
    const res = await t.app.request('http://localhost/api/v1/collector/leases', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ collectorId: 'kolektor-b1', group: 'zona-b', ttlMs: 600_000, ...(since === undefined ? {} : { since }) }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const answer = (await res.json()) as Answer;
    return { answer, targets: (JSON.parse(await openWithToken(token, answer.sealedTargets)) as { targets: Target[] }).targets };
  };

  beforeAll(async () => {
    t = await makeTestApp(await openTestDb(dialect));
    engineer = await t.signIn('engineer');
    token = ((await (await t.call('POST', '/api/v1/auth/tokens', { as: engineer, json: { name: 'kolektor b' } })).json()) as { token: string }).token;
    for (let i = 0; i < 3; i += 1) ids.push(await device(i));
  });
  afterAll(async () => t.handle.close());

  it('answers the whole list first, then only devices taken or edited since, and the ids held', async () => {
    const first = await renew();
    expect(first.answer.mode).toBe('full');
    expect(first.targets.map((x) => x.deviceId).sort()).toEqual([...ids].sort());
    expect(first.answer.ids).toBeUndefined();

    // Within the clock margin of the claim the devices are sent again; past it, nothing but the ids.
    t.clock.advance(SINCE_MARGIN_MS * 2);
    const second = await renew(first.answer.version);
    expect(second.answer.mode).toBe('changes');
    expect(second.targets).toHaveLength(3);
    t.clock.advance(SINCE_MARGIN_MS * 2);
    const quiet = await renew(second.answer.version);
    expect(quiet.answer).toMatchObject({ mode: 'changes', devices: 3 });
    expect(quiet.answer.ids!.sort()).toEqual([...ids].sort());
    expect(quiet.targets).toEqual([]);

    // An edited device comes again with its new settings; the others do not.
    t.clock.advance(SINCE_MARGIN_MS * 2);
    expect((await t.call('PATCH', `/api/v1/devices/${ids[1]}`, { as: engineer, json: { pollIntervalS: 30 } })).status).toBe(200);
    t.clock.advance(SINCE_MARGIN_MS * 2);
    const edited = await renew(quiet.answer.version);
    expect(edited.targets).toEqual([expect.objectContaining({ deviceId: ids[1], pollIntervalS: 30 })]);

    // A new device of the group is leased to the collector and sent; a disabled one leaves the ids.
    const fourth = await device(3);
    t.clock.advance(SINCE_MARGIN_MS * 2);
    const grown = await renew(edited.answer.version);
    expect(grown.targets.map((x) => x.deviceId)).toEqual([fourth]);
    expect(grown.answer.ids).toHaveLength(4);
    t.clock.advance(SINCE_MARGIN_MS * 2);
    expect((await t.call('PATCH', `/api/v1/devices/${ids[0]}`, { as: engineer, json: { enabled: false } })).status).toBe(200);
    t.clock.advance(SINCE_MARGIN_MS * 2);
    const shrunk = await renew(grown.answer.version);
    expect(shrunk.answer.ids!.sort()).toEqual([ids[1]!, ids[2]!, fourth].sort());
    expect(shrunk.answer.devices).toBe(3);
    // The fourth was taken at the previous answer's version, inside the clock margin: sent once more, nothing else.
    expect(shrunk.targets.map((x) => x.deviceId)).toEqual([fourth]);
    t.clock.advance(SINCE_MARGIN_MS * 2);
    expect((await renew(shrunk.answer.version)).targets).toEqual([]);

    // A version from the future (another clock, a forged body) gets the whole list rather than a wrong difference.
    const future = await renew(t.clock.nowMs() + 3_600_000);
    expect(future.answer.mode).toBe('full');
    expect(future.targets).toHaveLength(3);
  });
});
