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

describe('JSON bodies with a key given twice', () => {
  it('are refused with the key named, wherever it repeats; equal keys in different objects are fine', async () => {
    const { findDuplicateJsonKey } = await import('../../core/json-duplicates.ts');
    expect(findDuplicateJsonKey('{"role":"viewer","role":"admin"}')).toBe('role');
    expect(findDuplicateJsonKey('{"a":{"b":1,"b":2}}')).toBe('a.b');
    expect(findDuplicateJsonKey('{"a":[{"x":1},{"x":2,"y":"\\"x\\"","x":3}]}')).toBe('a[].x');
    expect(findDuplicateJsonKey('{"a":{"x":1},"b":{"x":1},"s":"{\\"a\\":1,\\"a\\":2}"}')).toBeNull();
    expect(findDuplicateJsonKey('[1,2,{"k":1}]')).toBeNull();
    const t = await makeTestApp(await openTestDb('sqlite'));
    const admin = await t.signIn('admin');
    const res = await t.call('POST', '/api/v1/users', { as: admin, body: '{"email":"dua@test.local","password":"sandi-panjang-123","role":"viewer","role":"admin"}', contentType: 'application/json' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain('"role" twice');
    await t.handle.close();
  });
});
