/**
 * Issue 17 in the staff console, in Debian's Chromium against the real server: the collectors page (name, group,
 * last seen, devices held through leases, lease state; a collector of a fixed list shows "no data", not 0), and an
 * admin limiting a staff account to one kabupaten/kota from the users page (the server then holds it there).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSharedData } from '../helpers/shared-data.ts';
import { screenshot, type WatchedPage } from './support/browser.ts';
import { ADMIN, type RunningServer } from './support/server.ts';
import { patientPoll, signInThroughForm, startSeededConsole, type SeededConsole } from './support/session.ts';

const poll = patientPoll(10_000);
const HIERARCHY = 'codeProp=kode&nameProp=nama&districtProp=kecamatan&districtCodeProp=kode_kecamatan&cityCodeProp=kode_kota&cityProp=kota&provinceProp=provinsi';
const CILEGON = '36.72';
const KOTA_SERANG = '36.73';

describe('issue 17 console pages in Chromium', () => {
  let c: SeededConsole;
  let server: RunningServer;
  let w: WatchedPage;
  let bearer: (token: string, method: string, path: string, json: unknown) => Promise<Response>;
  const staff = { email: 'petugas.cilegon@banten.local', password: 'kata-sandi-cukup-panjang' };
  let serangSiteId = '';

  beforeAll(async () => {
    c = await startSeededConsole({
      city: false,
      before: async (s) => {
        server = s;
        bearer = (token, method, path, json) =>
          fetch(server.baseUrl + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(json) });
        // Two kabupaten/kota of Banten with their hierarchy.
        const banten = JSON.parse(readSharedData('banten-desa.geojson')) as { features: { properties: { kode_kota: string; centroid_lat: number; centroid_lng: number } }[] };
        const two = { ...banten, features: banten.features.filter((f) => f.properties.kode_kota === CILEGON || f.properties.kode_kota === KOTA_SERANG) };
        const imported = await server.call('POST', `/api/v1/wards/import?${HIERARCHY}&repair=true`, { body: JSON.stringify(two), contentType: 'application/geo+json' });
        expect(imported.status, await imported.clone().text()).toBe(200);
        const serang = two.features.find((f) => f.properties.kode_kota === KOTA_SERANG)!.properties;
        const site = await server.call('POST', '/api/v1/sites', { json: { name: 'Alun-alun Serang', lat: serang.centroid_lat, lon: serang.centroid_lng, status: 'live' } });
        expect(site.status, await site.clone().text()).toBe(201);
        serangSiteId = ((await site.json()) as { id: string }).id;
        const made = await server.call('POST', '/api/v1/users', { json: { email: staff.email, password: staff.password, role: 'engineer' } });
        expect(made.status, await made.clone().text()).toBe(201);
        // An account an admin made changes its password at first sign-in.
        const first = await server.signIn(staff.email, staff.password);
        const changed = await server.call('POST', '/api/v1/auth/password', { cookie: first, json: { currentPassword: staff.password, newPassword: `${staff.password}-baru` } });
        expect(changed.status, await changed.clone().text()).toBeLessThan(300);
        staff.password = `${staff.password}-baru`;

        // Four devices in zone A; two collectors of that group ask for leases, the first takes all four (alone at first).
        for (let i = 1; i <= 4; i += 1) {
          const d = await server.call('POST', '/api/v1/devices', { json: { name: `ap-zona-a-${i}`, role: 'ap', address: `127.0.0.${i + 10}`, snmp: { community: 'public' }, collectorGroup: 'zona-a' } });
          expect(d.status, await d.clone().text()).toBe(201);
        }
        const personal = ((await (await server.call('POST', '/api/v1/auth/tokens', { json: { name: 'kolektor zona a' } })).json()) as { token: string }).token;
        for (const id of ['kolektor-a1', 'kolektor-a2']) {
          const lease = await bearer(personal, 'POST', '/api/v1/collector/leases', { collectorId: id, group: 'zona-a', ttlMs: 600_000 });
          expect(lease.status, await lease.clone().text()).toBe(200);
        }
        // A collector of a fixed list: it delivers results, never asks for leases.
        const fixedToken = ((await (await server.call('POST', '/api/v1/auth/tokens', { json: { name: 'kolektor tetap', kind: 'collector', collectorId: 'kolektor-tetap' } })).json()) as { token: string }).token;
        const ingest = await bearer(fixedToken, 'POST', '/api/v1/ingest', { collectorId: 'kolektor-tetap', batchId: 'kolektor-tetap-00000001', createdAtMs: Date.now(), items: [], events: [] });
        expect(ingest.status, await ingest.clone().text()).toBe(200);
      },
    });
    ({ w } = c);
  }, 180_000);

  afterAll(async () => {
    await c?.close();
  });

  it('lists the collectors with group, last seen, devices held and lease state, and "no data" for a fixed list', async () => {
    const { page } = w;
    await signInThroughForm(page, `${server.baseUrl}/console`);
    await poll(() => page.locator('a[href="#/collectors"]').count()).toBeGreaterThan(0);
    await page.goto(`${server.baseUrl}/console#/collectors`);
    const table = page.getByTestId('collectors-table');
    await poll(() => table.locator('tbody tr').count()).toBe(3);
    const row = (name: string) => table.locator(`tr[data-collector="${name}"]`);
    expect(await row('kolektor-a1').locator('td').nth(1).textContent()).toBe('zona-a');
    expect(await row('kolektor-a1').getByTestId('collector-held').textContent()).toBe('4');
    // The second came when every device was leased: a true zero.
    expect(await row('kolektor-a2').getByTestId('collector-held').textContent()).toBe('0');
    expect(await row('kolektor-a1').getByTestId('collector-state').textContent()).toBe('Aktif (sewa diperbarui)');
    expect(await row('kolektor-tetap').getByTestId('collector-held').textContent()).toBe('Tidak ada data: daftar tetap, tanpa sewa');
    expect(await row('kolektor-tetap').getByTestId('collector-state').textContent()).toBe('Daftar tetap');
    expect(await row('kolektor-tetap').locator('td').nth(1).textContent()).toBe('Tanpa kelompok');
    expect(await row('kolektor-a1').getByTestId('collector-last-seen').textContent()).toMatch(/lalu/);
    expect(await page.getByTestId('collectors-summary').textContent()).toBe('3 kolektor memegang 4 perangkat');
    await screenshot(page, 'console-collectors');
  });

  it('an admin limits a staff account to Kota Cilegon from the users page, and the server holds it there', async () => {
    const { page } = w;
    await page.goto(`${server.baseUrl}/console#/admin/users`);
    const row = page.locator(`tr[data-user="${staff.email}"]`);
    await poll(() => row.count()).toBe(1);
    const select = row.getByTestId('user-scope');
    // Province first, then the two kabupaten/kota imported.
    expect(await select.locator('option').allTextContents()).toEqual(['Provinsi (semua kabupaten/kota)', 'Kota Cilegon (36.72)', 'Kota Serang (36.73)']);
    expect(await select.inputValue()).toBe('');
    // The admin's own region cannot be changed here.
    expect(await page.locator(`tr[data-user="${ADMIN.email}"]`).getByTestId('user-scope').isDisabled()).toBe(true);
    await select.selectOption(CILEGON);
    await poll(() => page.getByTestId('scope-changed').textContent()).toBe(`Wilayah ${staff.email} sekarang: Kota Cilegon.`);
    expect(await page.locator(`tr[data-user="${staff.email}"]`).getByTestId('user-scope').inputValue()).toBe(CILEGON);
    await screenshot(page, 'console-users-scope');

    const users = (await (await server.call('GET', '/api/v1/users?limit=100')).json()) as { items: { email: string; scopeCityCode: string | null }[] };
    expect(users.items.find((u) => u.email === staff.email)!.scopeCityCode).toBe(CILEGON);
    const cookie = await server.signIn(staff.email, staff.password);
    const refused = await server.call('GET', `/api/v1/sites/${serangSiteId}`, { cookie });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { reason: string }).reason).toBe('scope.outside');

    // Back to the province: the account sees Kota Serang's site again.
    await page.locator(`tr[data-user="${staff.email}"]`).getByTestId('user-scope').selectOption('');
    await poll(() => page.getByTestId('scope-changed').textContent()).toBe(`Wilayah ${staff.email} sekarang: Provinsi (semua kabupaten/kota).`);
    const again = await server.signIn(staff.email, staff.password);
    expect((await server.call('GET', `/api/v1/sites/${serangSiteId}`, { cookie: again })).status).toBe(200);
  });
});
