/**
 * Credentials that must not leave or outlive their reason (issue 10), on SQLite and Postgres:
 * - the collector's target list (every SNMP community and RouterOS password) reaches only a collector's own token;
 * - tokens end with a password change, a reset or a disable (and re-enabling revives none);
 * - tokens are minted only from a session, and expire within a year;
 * - an account that must change its password can do nothing else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWithToken } from '../../core/token-seal.ts';
import { encodeIngestBatch, type IngestBatch } from '../../core/ingest.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { cookieOf, makeTestApp, ORIGIN, type TestApp } from '../helpers/app.ts';

describe.each(DIALECTS)('credentials (%s)', (dialect) => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await makeTestApp(await openTestDb(dialect));
    admin = await t.signIn('admin');
    const dev = await t.call('POST', '/api/v1/devices', {
      as: admin,
      json: { name: 'Router Balai', role: 'router', address: '127.0.0.1', snmp: { community: 'komunitas-rahasia-77' }, routeros: { username: 'api', password: 'sandi-router-rahasia-88' }, pollIntervalS: 60 },
    });
    expect(dev.status).toBe(201);
  });
  afterAll(async () => t.handle.close());

  const bearer = async (token: string, method: string, path: string, body?: unknown): Promise<Response> =>
    t.app.request(`${ORIGIN}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  async function makeToken(cookie: string, json: Record<string, unknown>): Promise<string> {
    const res = await t.call('POST', '/api/v1/auth/tokens', { as: cookie, json });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { token: string }).token;
  }

  it('gives the collector targets only to a collector token: admin and engineer tokens and sessions get 403', async () => {
    const adminToken = await makeToken(admin, { name: 'skrip admin' });
    expect((await bearer(adminToken, 'GET', '/api/v1/collector/targets')).status).toBe(403);
    expect((await t.call('GET', '/api/v1/collector/targets', { as: admin })).status).toBe(403);
    const engineerToken = await makeToken(await t.signIn('engineer'), { name: 'skrip teknisi' });
    expect((await bearer(engineerToken, 'GET', '/api/v1/collector/targets')).status).toBe(403);

    const collectorToken = await makeToken(admin, { name: 'kolektor lapangan', kind: 'collector', collectorId: 'cilegon-field-1' });
    const ok = await bearer(collectorToken, 'GET', '/api/v1/collector/targets');
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { sealedTargets: string; devices: number };
    expect(JSON.stringify(body)).not.toContain('komunitas-rahasia-77');
    const opened = await openWithToken(collectorToken, body.sealedTargets);
    expect(opened).toContain('komunitas-rahasia-77');
    // A collector token opens nothing else a person could, and speaks only for its own collector.
    expect((await bearer(collectorToken, 'GET', '/api/v1/sites')).status).toBe(403);
    expect((await bearer(collectorToken, 'GET', '/api/v1/users')).status).toBe(403);
    const batch: IngestBatch = { collectorId: 'someone-else', batchId: 'someone-else-00000001', createdAtMs: t.clock.nowMs(), items: [], events: [] };
    expect((await bearer(collectorToken, 'POST', '/api/v1/ingest', encodeIngestBatch(batch))).status).toBe(403);
    const own: IngestBatch = { ...batch, collectorId: 'cilegon-field-1', batchId: 'cilegon-field-1-00000001' };
    expect((await bearer(collectorToken, 'POST', '/api/v1/ingest', encodeIngestBatch(own))).status).toBe(200);
    // Only admins and engineers make collector tokens.
    const planner = await t.signIn('planner');
    expect((await t.call('POST', '/api/v1/auth/tokens', { as: planner, json: { name: 'x', kind: 'collector', collectorId: 'c9' } })).status).toBe(403);
  });

  it('ends tokens made before a password change, a reset or a disable', async () => {
    const email = `pemilik-${dialect}@test.local`;
    const created = await t.call('POST', '/api/v1/users', { as: admin, json: { email, password: 'sandi-pertama-123', role: 'engineer' } });
    expect(created.status).toBe(201);
    const userId = ((await created.json()) as { id: string }).id;
    let cookie = cookieOf(await t.call('POST', '/api/v1/auth/login', { json: { email, password: 'sandi-pertama-123' } }));
    // Must change first: nothing else works, not even making a token.
    expect((await t.call('POST', '/api/v1/auth/tokens', { as: cookie, json: { name: 'x' } })).status).toBe(403);
    expect((await t.call('GET', '/api/v1/sites', { as: cookie })).status).toBe(403);
    expect((await t.call('POST', '/api/v1/auth/password', { as: cookie, json: { currentPassword: 'sandi-pertama-123', newPassword: 'sandi-kedua-4567' } })).status).toBe(200);
    expect((await t.call('GET', '/api/v1/sites', { as: cookie })).status).toBe(200);

    // Own password change.
    const before = await makeToken(cookie, { name: 'sebelum' });
    expect((await bearer(before, 'GET', '/api/v1/sites')).status).toBe(200);
    expect((await t.call('POST', '/api/v1/auth/password', { as: cookie, json: { currentPassword: 'sandi-kedua-4567', newPassword: 'sandi-ketiga-8910' } })).status).toBe(200);
    expect((await bearer(before, 'GET', '/api/v1/sites')).status).toBe(401);

    // Reset by an admin.
    const beforeReset = await makeToken(cookie, { name: 'sebelum reset' });
    expect((await t.call('PATCH', `/api/v1/users/${userId}`, { as: admin, json: { password: 'sandi-reset-admin-1' } })).status).toBe(200);
    expect((await bearer(beforeReset, 'GET', '/api/v1/sites')).status).toBe(401);

    // Disable, then enable again: the old token stays dead.
    cookie = cookieOf(await t.call('POST', '/api/v1/auth/login', { json: { email, password: 'sandi-reset-admin-1' } }));
    expect((await t.call('POST', '/api/v1/auth/password', { as: cookie, json: { currentPassword: 'sandi-reset-admin-1', newPassword: 'sandi-keempat-1112' } })).status).toBe(200);
    const beforeDisable = await makeToken(cookie, { name: 'sebelum nonaktif' });
    expect((await t.call('PATCH', `/api/v1/users/${userId}`, { as: admin, json: { disabled: true } })).status).toBe(200);
    expect((await t.call('PATCH', `/api/v1/users/${userId}`, { as: admin, json: { disabled: false } })).status).toBe(200);
    expect((await bearer(beforeDisable, 'GET', '/api/v1/sites')).status).toBe(401);
    expect((await t.call('GET', '/api/v1/sites', { as: cookie })).status).toBe(401);
  }, 90_000);

  it('mints tokens only from a session and never beyond a year', async () => {
    const token = await makeToken(admin, { name: 'induk' });
    const minted = await bearer(token, 'POST', '/api/v1/auth/tokens', { name: 'anak' });
    expect(minted.status).toBe(403);
    expect((await t.call('POST', '/api/v1/auth/tokens', { as: admin, json: { name: 'abadi', expiresInDays: 3650 } })).status).toBe(422);
    const res = await t.call('POST', '/api/v1/auth/tokens', { as: admin, json: { name: 'bawaan' } });
    const { expiresAt } = (await res.json()) as { expiresAt: string };
    expect(Date.parse(expiresAt) - t.clock.nowMs()).toBeLessThanOrEqual(365 * 86_400_000);
    const list = (await (await t.call('GET', '/api/v1/auth/tokens', { as: admin })).json()) as { items: Array<{ expiresAt: string | null }> };
    expect(list.items.every((i) => i.expiresAt !== null)).toBe(true);
  });
});
