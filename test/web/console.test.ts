/**
 * The staff console in Debian's Chromium against the real server with the Cilegon wards seeded through the API:
 * sign in, see the markers, open a device panel, switch the coverage layer, run the planner, see imports report
 * per-row errors, switch language, and hide write actions from a viewer. No console errors anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeUdpPort, snmprecPath } from '../peers/snmp/shared-data.ts';
import { startSnmprecAgent } from '../peers/snmp/snmprec-agent.ts';
import { loadSnmprec } from '../peers/snmp/snmprec.ts';
import { openPage, screenshot, takeExpected, type WatchedPage } from './support/browser.ts';
import { ADMIN, type RunningServer, type Seeded } from './support/server.ts';
import { patientPoll, signInThroughForm, startSeededConsole, type SeededConsole } from './support/session.ts';

const poll = patientPoll(10_000);

describe('staff console in Chromium', () => {
  let c: SeededConsole;
  let server: RunningServer;
  let seeded: Seeded;
  let w: WatchedPage;
  let activity: SeededConsole['activity'];

  beforeAll(async () => {
    c = await startSeededConsole({ city: true });
    ({ server, w, activity } = c);
    seeded = c.seeded!;
  }, 120_000);

  afterAll(async () => {
    await c?.close();
  });

  it('signs in and shows every access point on the monitor map and in the list', async () => {
    const { page } = w;
    await page.goto(`${server.baseUrl}/console`);
    await page.getByTestId('email').fill(ADMIN.email);
    await page.getByTestId('password').fill('wrong password');
    await page.getByTestId('sign-in').click();
    await poll(() => page.locator('.note-error').count()).toBe(1);
    // Chromium logs every 4xx answer; this one was provoked on purpose.
    takeExpected(w, /status of 401 .*\/api\/v1\/auth\/login/);
    await page.getByTestId('password').fill(ADMIN.password);
    await page.getByTestId('sign-in').click();
    const map = page.getByTestId('monitor-map');
    await poll(() => map.getAttribute('data-points-shown'), { timeout: 15_000 }).toBe(String(seeded.devices.length));
    await poll(() => page.locator('.device-item').count()).toBe(seeded.devices.length);
    // The canvas renderer drew something (clusters or shapes).
    expect(await page.locator('.leaflet-jk-points-pane canvas').count()).toBeGreaterThan(0);
    await screenshot(page, 'console-monitor');
  });

  it('opens a device panel from the list (keyboard) and goes back', async () => {
    const { page } = w;
    const first = page.locator('.device-item').first();
    const name = (await first.locator('.device-name').textContent()) ?? '';
    await first.focus();
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('device-panel');
    await poll(() => panel.isVisible()).toBe(true);
    expect(await panel.locator('.panel-title').textContent()).toBe(name);
    expect(page.url()).toContain('#/monitor/');
    // Every section ends loading: either figures or a calm "not available yet" note.
    await poll(() => panel.locator('.note-loading').count(), { timeout: 10_000 }).toBe(0);
    // Availability says the window actually observed (three hours of polls), beside each of 24 h / 7 d / 30 d.
    const observed = panel.getByTestId('observed-window');
    await poll(() => observed.count()).toBe(3);
    expect(await observed.last().textContent()).toMatch(/^teramati \d+ j \d+ mnt dari 30 hari$/);
    if (activity !== null) {
      // Issue 11: every interface with its role; the bridge repeats the radio's bytes and is not added to the total.
      const ifaces = panel.getByTestId('device-interfaces');
      await poll(() => ifaces.locator('tbody tr').count()).toBe(2);
      expect(await ifaces.locator('tr[data-role="physical"] td').allTextContents()).toEqual(expect.arrayContaining(['wlan1', 'Fisik', '✓']));
      expect(await ifaces.locator('tr[data-role="virtual"] td').allTextContents()).toEqual(expect.arrayContaining(['bridge1', 'Virtual', '–']));
    }
    await screenshot(page, 'console-device-panel');
    await page.getByTestId('panel-back').click();
    await poll(() => page.locator('.device-item').count()).toBe(seeded.devices.length);
  });

  it('filters to problems only', async () => {
    const { page } = w;
    await page.getByTestId('problems-only').check();
    const shown = Number(await page.getByTestId('monitor-map').getAttribute('data-points-shown'));
    if (activity !== null) {
      // Two down and one degraded; every other access point answered.
      expect(shown).toBe(activity.down.length + activity.degraded.length);
      expect(await page.locator('.device-item').count()).toBe(shown);
      await screenshot(page, 'console-monitor-problems');
    } else {
      expect(shown).toBeLessThanOrEqual(seeded.devices.length);
    }
    await page.getByTestId('problems-only').uncheck();
  });

  it('switches the coverage layer (or says calmly that coverage is not served yet)', async () => {
    const { page } = w;
    await page.locator('a[data-route="coverage"]').click();
    await poll(() => page.getByTestId('coverage-map').isVisible()).toBe(true);
    await poll(() => page.locator('.leaflet-overlay-pane path').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(seeded.wards);
    if (await server.hasRoute('GET', '/api/v1/coverage/wards')) {
      await poll(() => page.getByTestId('coverage-table').locator('tbody tr').count(), { timeout: 15_000 }).toBe(seeded.wards);
      // The default layer counts installed access points unless they are down, and says what it is.
      expect(await page.locator('[data-layer="assumed"]').getAttribute('aria-checked')).toBe('true');
      expect(await page.getByTestId('layer-note').textContent()).toMatch(/^Lapisan Terpasang \(diasumsikan\): semua AP di lokasi yang tidak dipensiunkan, kecuali yang terbukti mati/);
      // The footprints arrive as points and are drawn as circles on one canvas, with the grid-traced union.
      await poll(() => page.locator('.leaflet-overlay-pane canvas').count(), { timeout: 10_000 }).toBeGreaterThan(0);
      await page.locator('[data-layer="reliable"]').click();
      expect(await page.locator('[data-layer="reliable"]').getAttribute('aria-checked')).toBe('true');
      await poll(() => page.getByTestId('coverage-table').locator('tbody tr').count(), { timeout: 15_000 }).toBe(seeded.wards);
    } else {
      await poll(() => page.locator('[data-note="not-available"]').count()).toBeGreaterThan(0);
      await page.locator('[data-layer="reliable"]').click();
      expect(await page.locator('[data-layer="reliable"]').getAttribute('aria-checked')).toBe('true');
    }
    // Clicking a ward shows its figures.
    await page.locator('.leaflet-overlay-pane path.jk-ward').nth(5).click({ force: true });
    await poll(() => page.getByTestId('ward-figures').count()).toBe(1);
    await screenshot(page, 'console-coverage');
  });

  it('runs the planner and lists its sites (or says it is not served yet)', async () => {
    const { page } = w;
    await page.locator('a[data-route="planner"]').click();
    await poll(() => page.getByTestId('planner-map').isVisible()).toBe(true);
    if (await server.hasRoute('POST', '/api/v1/plans')) {
      if (await server.hasRoute('POST', '/api/v1/candidates/generate')) {
        await page.getByTestId('candidates-generate').click();
        await poll(() => page.getByTestId('candidate-count').textContent(), { timeout: 30_000 }).not.toMatch(/^0 /);
      }
      await page.getByTestId('plan-amount').fill('5');
      await page.getByTestId('plan-run').click();
      await poll(() => page.getByTestId('plan-sites').locator('li').count(), { timeout: 30_000 }).toBeGreaterThan(0);
      // Beside the bound, what a denser automatic candidate set would reach.
      expect(await page.getByTestId('plan-denser').textContent()).toMatch(/^Calon lebih rapat \([\d.]+ titik otomatis\): [\d.,]+ warga, [\d.,]+ lebih (banyak|sedikit)/);
    } else {
      await poll(() => page.locator('[data-note="not-available"]').count()).toBeGreaterThan(0);
      expect(await page.getByTestId('plan-run').count()).toBe(0);
    }
    await page.getByTestId('whatif-place').click();
    await poll(() => page.getByTestId('whatif-result').locator('.note-loading').count(), { timeout: 30_000 }).toBe(0);
    await screenshot(page, 'console-planner');
  });

  it('shows the rollout pipeline per ward and the KPI table or a calm note', async () => {
    const { page } = w;
    await page.locator('a[data-route="kpis"]').click();
    await poll(() => page.getByTestId('pipeline-table').locator('tbody tr').count(), { timeout: 10_000 }).toBe(seeded.wards);
    // With the rollout API, each ward shows its overdue steps and budget beside the site pipeline.
    await poll(() => page.getByTestId('pipeline-table').locator('thead th', { hasText: 'Terlambat' }).count(), { timeout: 10_000 }).toBe(1);
    if (await server.hasRoute('GET', '/api/v1/kpis/wards')) {
      await poll(() => page.getByTestId('kpi-table').count(), { timeout: 10_000 }).toBe(1);
      // A KPI without data is a grey no-data chip with its reason, never a red cross.
      const noData = page.getByTestId('kpi-table').locator('td[data-reason]');
      expect(await noData.count()).toBeGreaterThan(0);
      expect(await noData.first().locator('.chip-no-data').textContent()).toContain('Tidak ada data');
      expect(await noData.first().getAttribute('title')).toMatch(/\.$/);
      expect(await page.getByTestId('kpi-table').locator('td[data-reason] .chip-red').count()).toBe(0);
    } else {
      await poll(() => page.locator('[data-note="not-available"]').count()).toBeGreaterThan(0);
    }
    await screenshot(page, 'console-kpis');
  });

  it('lists wards, and shows every faulty row of a rejected site CSV', async () => {
    const { page } = w;
    await page.locator('a[data-route="inventory"]').click();
    await poll(() => page.getByTestId('wards-table').locator('tbody tr').count(), { timeout: 10_000 }).toBe(seeded.wards);
    await page.locator('a[href="#/inventory/sites"]').click();
    await poll(() => page.getByTestId('sites-table').locator('tbody tr').count(), { timeout: 10_000 }).toBe(seeded.wards);
    const csv = ['name,lat,lon,status', 'Good,-6.0,106.05,planned', 'Broken,abc,106.0,planned', 'Also broken,-6.0,106.0,nonsense'].join('\n');
    await page.getByTestId('sites-import-file').setInputFiles({ name: 'sites.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('sites-import-result').locator('xpath=..').locator('button[type=submit]').click();
    const details = page.getByTestId('sites-import-result').locator('.error-details li');
    await poll(() => details.count(), { timeout: 10_000 }).toBe(2);
    // Worded in Indonesian from the server's codes: the line, the field and the rule.
    expect(await details.first().textContent()).toContain('baris 3');
    expect(await details.first().textContent()).toMatch(/lat|lon/);
    expect(await page.getByTestId('sites-import-result').locator('.note-error').first().textContent()).toMatch(/tidak valid; tidak ada yang diimpor/);
    takeExpected(w, /status of 422 .*\/api\/v1\/sites\/import/);
    await screenshot(page, 'console-inventory-import-errors');
  });

  it('deletes a ward from the wards list: asks first, and when sites lie in it says so and deletes anyway (issue 10)', async () => {
    const { page } = w;
    // A ward of its own, far from Cilegon, with one site in it, so the seeded city stays as the other tests expect.
    const ring = [[110.0, -7.5], [110.01, -7.5], [110.01, -7.49], [110.0, -7.49], [110.0, -7.5]];
    const fc = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { kode: 'HAPUS-1', nama: 'Kelurahan Uji Hapus', kecamatan: 'Uji' }, geometry: { type: 'Polygon', coordinates: [ring] } }] };
    const imported = await server.call('POST', '/api/v1/wards/import?codeProp=kode&nameProp=nama&districtProp=kecamatan', { body: JSON.stringify(fc), contentType: 'application/geo+json' });
    expect(imported.status).toBe(200);
    // The site comes through the console's CSV import; the second import of the same file changes nothing.
    await page.locator('a[href="#/inventory/sites"]').click();
    const csv = Buffer.from(['code,name,lat,lon', 'HAPUS-S1,Titik Uji Hapus,-7.495,110.005'].join('\n'));
    const note = page.getByTestId('sites-import-result').locator('.note-ok');
    for (const expected of ['Ditambah 1, diperbarui 0, tidak berubah 0.', 'Ditambah 0, diperbarui 0, tidak berubah 1.']) {
      await page.getByTestId('sites-import-file').setInputFiles({ name: 'sites.csv', mimeType: 'text/csv', buffer: csv });
      await page.getByTestId('sites-import-result').locator('xpath=..').locator('button[type=submit]').click();
      await poll(async () => ((await note.count()) === 0 ? '' : ((await note.first().textContent()) ?? '')), { timeout: 10_000 }).toContain(expected);
    }
    const found = (await (await server.call('GET', '/api/v1/sites?q=uji%20hapus')).json()) as { items: { id: string; code: string | null; wardCode: string | null }[] };
    expect(found.items).toHaveLength(1);
    const site = found.items[0]!;
    expect(site).toMatchObject({ code: 'HAPUS-S1', wardCode: 'HAPUS-1' });
    await page.locator('a[href="#/inventory/wards"]').click();
    const row = page.locator('[data-testid="wards-table"] tr[data-ward-code="HAPUS-1"]');
    await poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    await row.getByTestId('ward-delete').click();
    const first = page.getByTestId('ward-delete-dialog');
    expect(await first.textContent()).toContain('Kelurahan Uji Hapus');
    await first.getByTestId('dialog-confirm').click();
    // The server refuses while the site lies in it; the second dialog gives the counts and offers "Hapus juga".
    const force = page.getByTestId('ward-delete-force-dialog');
    await poll(() => force.count(), { timeout: 10_000 }).toBe(1);
    expect(await force.textContent()).toContain('1 lokasi dan 0 perangkat');
    takeExpected(w, /status of 409 .*\/api\/v1\/wards\/HAPUS-1/);
    await force.getByTestId('dialog-confirm').click();
    await poll(() => row.count(), { timeout: 10_000 }).toBe(0);
    expect((await server.call('GET', '/api/v1/wards/HAPUS-1')).status).toBe(404);
    const moved = (await (await server.call('GET', `/api/v1/sites/${site.id}`)).json()) as { wardCode: string | null; outsideCity: boolean };
    expect(moved).toMatchObject({ wardCode: null, outsideCity: true });
    expect((await server.call('DELETE', `/api/v1/sites/${site.id}`)).ok).toBe(true);
  });

  it('discovers a device by its address (a real SNMP agent serving a MikroTik recording) and fills the form', async () => {
    const { page } = w;
    await page.locator('a[href="#/inventory/devices"]').click();
    await poll(() => page.getByTestId('devices-table').locator('tbody tr').count()).toBeGreaterThan(0);
    if (!(await server.hasRoute('POST', '/api/v1/devices/discover'))) {
      expect(await page.getByTestId('discover').isHidden()).toBe(true);
      return;
    }
    const port = await freeUdpPort();
    const jetstream = loadSnmprec(snmprecPath('jetstream_sg2218p'));
    const agent = await startSnmprecAgent({ host: '127.0.0.1', port, devices: { 'web-test': { records: loadSnmprec(snmprecPath('routeros')) }, 'web-js': { records: jetstream } } });
    try {
      await page.locator('#dev-address').fill('127.0.0.1');
      await page.locator('#dev-community').fill('web-test');
      await page.locator('#dev-port').fill(String(port));
      await page.getByTestId('discover').click();
      await poll(() => page.getByTestId('discover-result').textContent(), { timeout: 15_000 }).toContain('mikrotik');
      expect(await page.locator('#dev-vendor').inputValue()).toBe('mikrotik');
      await screenshot(page, 'console-inventory-discover');
      // Issue 11: a TP-Link JetStream keeps its hardware revision next to the model, as its TP-LINK-SYSINFO-MIB says.
      const hw = jetstream.find((r) => r.oid === '1.3.6.1.4.1.11863.6.1.1.5.0')?.value;
      await page.locator('#dev-community').fill('web-js');
      await page.getByTestId('discover').click();
      await poll(() => page.getByTestId('discover-result').textContent(), { timeout: 15_000 }).toContain('tplink');
      expect(await page.getByTestId('discover-result').textContent()).toContain(String(hw));
    } finally {
      await agent.close();
    }
  });

  it('shows the command-centre wall with its big figures', async () => {
    const { page } = w;
    await page.locator('a[data-route="wall"]').click();
    await poll(() => page.getByTestId('wall-live').locator('.wall-value').textContent(), { timeout: 10_000 }).toMatch(/\d/);
    await poll(() => page.locator('.wall-map .leaflet-overlay-pane path').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(seeded.wards);
    // Incident causes read as text, never as "[object Object]".
    expect(await page.locator('.wall-incidents').textContent()).not.toContain('[object');
    await screenshot(page, 'console-wall');
    await page.locator('.wall-header a[href="#/monitor"]').click();
    await poll(() => page.getByTestId('monitor-map').isVisible()).toBe(true);
  });

  it('switches to English and back, and remembers the choice across a reload', async () => {
    const { page } = w;
    const tab = page.locator('a[data-route="monitor"]');
    expect(await tab.textContent()).toBe('Pemantauan');
    await page.getByTestId('lang-switch').click();
    await poll(() => tab.textContent()).toBe('Monitor');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('label[for="problems-only"]').textContent()).toContain('Problems only');
    await page.reload();
    await poll(() => page.locator('a[data-route="monitor"]').textContent()).toBe('Monitor');
    await poll(() => page.getByTestId('monitor-map').getAttribute('data-points-shown'), { timeout: 15_000 }).toBe(String(seeded.devices.length));
    await screenshot(page, 'console-monitor-en');
    await page.getByTestId('lang-switch').click();
    await poll(() => page.locator('a[data-route="monitor"]').textContent()).toBe('Pemantauan');
  });

  it('makes a collector token in the account view that fetches targets, where a personal token is refused', async () => {
    const { page } = w;
    await page.goto(`${server.baseUrl}/console#/account`);
    const secretOf = async (): Promise<string> => {
      await page.getByTestId('token-secret').waitFor();
      return (await page.getByTestId('token-secret').locator('code').textContent())!.trim();
    };
    // The collector's id is asked only for a collector token.
    await page.getByTestId('token-name').waitFor();
    expect(await page.getByTestId('token-collector-id').isVisible()).toBe(false);
    await page.getByTestId('token-name').fill('kolektor kantor Ciwandan');
    await page.getByTestId('token-kind').selectOption('collector');
    await page.getByTestId('token-collector-id').fill('kolektor-ciwandan');
    await page.getByTestId('token-create').click();
    const collectorToken = await secretOf();
    await poll(() => page.getByTestId('token-kind-badge').allTextContents()).toContain('kolektor kolektor-ciwandan');
    await screenshot(page, 'console-account-tokens');
    await page.getByTestId('token-name').fill('skrip laporan');
    await page.getByTestId('token-create').click();
    await poll(() => page.getByTestId('token-kind-badge').count()).toBe(2);
    const personalToken = await secretOf();
    expect(personalToken).not.toBe(collectorToken);
    const targets = (token: string): Promise<Response> => fetch(`${server.baseUrl}/api/v1/collector/targets`, { headers: { authorization: `Bearer ${token}` } });
    const asCollector = await targets(collectorToken);
    expect(asCollector.status).toBe(200);
    expect(((await asCollector.json()) as { devices: number }).devices).toBe(seeded.devices.length);
    // An admin's personal token carries the admin role, yet cannot read the device credentials.
    expect((await targets(personalToken)).status).toBe(403);
  });

  it('hides write actions from a viewer', async () => {
    const res = await server.call('POST', '/api/v1/users', { json: { email: 'viewer@jangkau.test', password: 'viewer-password-123', role: 'viewer', displayName: 'Dinas Pemantau' } });
    expect(res.status).toBe(201);
    const v = await openPage(c.browser);
    await signInThroughForm(v.page, `${server.baseUrl}/console#/inventory/sites`, { email: 'viewer@jangkau.test', password: 'viewer-password-123' });
    // An account made by an admin starts with a temporary password: the console asks for a new one first.
    await v.page.getByTestId('current-password').fill('viewer-password-123');
    await v.page.getByTestId('new-password').fill('a-viewer-own-password');
    await v.page.getByTestId('repeat-password').fill('a-viewer-own-password');
    await screenshot(v.page, 'console-change-password');
    await v.page.getByTestId('change-password').click();
    await poll(() => v.page.getByTestId('sites-table').locator('tbody tr').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await v.page.locator('form').count()).toBe(0);
    await v.page.locator('a[href="#/inventory/wards"]').click();
    await poll(() => v.page.getByTestId('wards-table').locator('tbody tr').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await v.page.getByTestId('ward-delete').count()).toBe(0);
    await v.page.locator('a[data-route="planner"]').click();
    await poll(() => v.page.getByTestId('planner-map').isVisible()).toBe(true);
    expect(await v.page.getByTestId('plan-run').count()).toBe(0);
    expect(v.problems).toEqual([]);
    await v.context.close();
    // Four scrypt hashes (two sign-ins, the password change) take a while when other browser tests share the cores.
  }, 90_000);

  it('logged no console error, page error or external request', () => {
    expect(w.problems).toEqual([]);
  });
});
