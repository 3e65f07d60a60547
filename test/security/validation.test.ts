/** Input that must be refused with a clear message (issue 10): impossible device addresses and absurd radii. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';

describe.each(DIALECTS)('validation (%s)', (dialect) => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await makeTestApp(await openTestDb(dialect));
    admin = await t.signIn('admin');
  });
  afterAll(async () => t.handle.close());

  it('refuses device addresses no device can have, naming why', async () => {
    for (const address of ['0.0.0.0', '255.255.255.255', '999.1.1.1', '-bad-']) {
      const res = await t.call('POST', '/api/v1/devices', { as: admin, json: { name: `AP ${address}`, role: 'ap', address } });
      expect(res.status, address).toBe(422);
      const body = (await res.json()) as { message: string };
      expect(body.message, address).toMatch(/address|label|host name/);
    }
    const ok = await t.call('POST', '/api/v1/devices', { as: admin, json: { name: 'AP Balai', role: 'ap', address: '10.5.50.2' } });
    expect(ok.status).toBe(201);
  });

  it('refuses a radius under a metre', async () => {
    const res = await t.call('POST', '/api/v1/devices', { as: admin, json: { name: 'AP kecil', role: 'ap', address: '10.5.50.3', coverage: { radiusM: 1e-9 } } });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { message: string }).message).toContain('radius');
  });
});
