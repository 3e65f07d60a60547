/**
 * The console where staff act (issue 13), in Debian's Chromium against the real server: edit and delete a device
 * (seen through the API), bulk changes, acknowledging an incident (who shows in GET /api/v1/incidents and on the
 * wall), maintenance, alert channels with "send test" against a local Telegram Bot API, staff accounts and the
 * audit log, report triage, plan export and rollout steps; then axe-core on every view and every view at 390x844
 * without sideways scrolling. Screenshots of each view at both sizes go to test-artifacts/web/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBotApi, type FakeBotApi } from '../peers/telegram/bot-api.ts';
import { seriousViolations } from './support/axe.ts';
import { ensureWebBuild } from './support/build.ts';
import { launchChromium, openPage, screenshot, takeExpected, type WatchedPage } from './support/browser.ts';
import { ADMIN, seedActivity, seedCity, startSeededServer, type RunningServer, type Seeded } from './support/server.ts';

const poll: typeof expect.poll = (fn, options) => expect.poll(fn, { timeout: 10_000, ...(typeof options === 'object' ? options : {}) });
const VIEWS = ['monitor', 'incidents', 'wall', 'coverage', 'planner', 'kpis', 'reports', 'inventory', 'alerts', 'admin', 'account'] as const;
const BOT_TOKEN = '123456789:AAHk-console_test_token_0123456789ab';
const BOT_CHAT = '-1001234500000';

async function signIn(page: Page, baseUrl: string, hash = '#/monitor'): Promise<void> {
  await page.goto(`${baseUrl}/console${hash}`);
  await page.getByTestId('email').fill(ADMIN.email);
  await page.getByTestId('password').fill(ADMIN.password);
  await page.getByTestId('sign-in').click();
  await page.locator('main#main').waitFor();
}

/** Waits until a view has loaded: nothing says "Memuat…" any more. */
async function settled(page: Page): Promise<void> {
  await poll(() => page.locator('main .note-loading').count(), { timeout: 20_000 }).toBe(0);
}

describe('the console where staff act', () => {
  let server: RunningServer;
  let seeded: Seeded;
  let browser: Browser;
  let w: WatchedPage;
  let bot: FakeBotApi;

  const api = async <T>(path: string): Promise<T> => (await (await server.call('GET', path)).json()) as T;

  beforeAll(async () => {
    ensureWebBuild();
    server = await startSeededServer();
    seeded = await seedCity(server);
    await seedActivity(server, seeded.devices, { nowMs: Date.now() });
    // A citizen's report to triage.
    const site = (await api<{ items: { lat: number; lon: number }[] }>('/api/v1/sites?limit=1')).items[0]!;
    await fetch(`${server.baseUrl}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lat: site.lat, lon: site.lon, note: 'Sinyal hilang <b>sore</b> hari' }) });
    bot = await startFakeBotApi({ token: BOT_TOKEN, chats: [BOT_CHAT] });
    // The local Bot API listens on loopback: an admin allows private networks for outbound URLs (issue 10's policy).
    expect((await server.call('PUT', '/api/v1/settings/outbound', { json: { allowPrivate: true } })).status).toBe(200);
    browser = await launchChromium();
    w = await openPage(browser);
    await signIn(w.page, server.baseUrl);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await bot?.close();
    await server?.close();
  });

  it('edits a device name in the devices view, then deletes it after the confirmation; the API sees both', async () => {
    const { page } = w;
    const target = seeded.devices[7]!;
    await page.goto(`${server.baseUrl}/console#/inventory/devices`);
    const row = page.locator(`tr[data-device-id="${target.id}"]`);
    // Search by kelurahan finds it (the device's site is named after its ward).
    const ward = target.name.replace(/^AP /, '');
    await page.getByTestId('device-search').fill(ward);
    await poll(() => row.count()).toBe(1);
    await screenshot(page, 'actions-devices-search');
    // The status column says the state and for how long.
    expect(await row.locator('td[data-state]').textContent()).toMatch(/Aktif|Mati|Terganggu/);
    await row.getByTestId('device-edit').click();
    const dialog = page.getByTestId('device-dialog');
    await dialog.waitFor();
    await dialog.locator('#edev-name').fill(`${target.name} (ganti)`);
    await dialog.locator('#edev-interval').fill('30');
    // Issue 11: the device's traffic adds its uplink and one named port only.
    expect(await dialog.locator('#edev-traffic').inputValue()).toBe('');
    await dialog.locator('#edev-traffic').fill('uplink; ether5');
    await screenshot(page, 'actions-device-edit');
    await dialog.getByTestId('dialog-submit').click();
    await poll(() => dialog.count()).toBe(0);
    const edited = await api<{ name: string; pollIntervalS: number; snmp: { communitySet: boolean } }>(`/api/v1/devices/${target.id}`);
    expect(edited).toMatchObject({ name: `${target.name} (ganti)`, pollIntervalS: 30, trafficInterfaces: { roles: ['uplink'], names: ['ether5'] } });
    // The community was not retyped: it stays set.
    expect(edited.snmp.communitySet).toBe(true);
    await poll(() => row.locator('a.strong').textContent()).toBe(`${target.name} (ganti)`);

    await row.getByTestId('device-delete').click();
    const confirm = page.getByTestId('delete-dialog');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain(`${target.name} (ganti)`);
    // Cancelling keeps it.
    await confirm.getByTestId('dialog-cancel').click();
    expect((await server.call('GET', `/api/v1/devices/${target.id}`)).status).toBe(200);
    await row.getByTestId('device-delete').click();
    await screenshot(page, 'actions-device-delete-confirm');
    await page.getByTestId('delete-dialog').getByTestId('dialog-confirm').click();
    await poll(() => row.count()).toBe(0);
    expect((await server.call('GET', `/api/v1/devices/${target.id}`)).status).toBe(404);
    await page.getByTestId('device-search').fill('');
  });

  it('disables two devices at once and enables them again', async () => {
    const { page } = w;
    const ids = [seeded.devices[10]!.id, seeded.devices[11]!.id];
    await page.getByTestId('device-search').fill('');
    for (const id of ids) {
      await poll(() => page.locator(`input[data-select="${id}"]`).count()).toBe(1);
      await page.locator(`input[data-select="${id}"]`).check();
    }
    await page.getByTestId('bulk-disable').click();
    await poll(async () => (await api<{ items: { id: string; enabled: boolean }[] }>('/api/v1/devices?limit=1000')).items.filter((d) => ids.includes(d.id) && !d.enabled).length).toBe(2);
    // The console says so: both rows redrawn as disabled and unticked, the bar gone (the database changes before the
    // page has the answer, so ticking earlier would race the redraw).
    for (const id of ids) {
      const row = page.locator(`tr[data-device-id="${id}"]`);
      await poll(async () => (await row.locator('td').nth(2).textContent())?.trim()).toMatch(/^(nonaktif|disabled)$/);
      await poll(() => row.locator('input[data-select]').isChecked()).toBe(false);
    }
    await poll(() => page.getByTestId('bulk-bar').isHidden()).toBe(true);
    for (const id of ids) await page.locator(`input[data-select="${id}"]`).check();
    await poll(() => page.getByTestId('bulk-bar').textContent()).toMatch(/2/);
    await page.getByTestId('bulk-enable').click();
    await poll(async () => (await api<{ items: { id: string; enabled: boolean }[] }>('/api/v1/devices?limit=1000')).items.filter((d) => ids.includes(d.id) && d.enabled).length).toBe(2);
  });

  it('acknowledges an incident with a note; GET /api/v1/incidents and the wall show who', async () => {
    const { page } = w;
    await page.goto(`${server.baseUrl}/console#/incidents`);
    const table = page.getByTestId('incident-table');
    await poll(() => table.locator('tbody tr').count(), { timeout: 15_000 }).toBe(2);
    await screenshot(page, 'actions-incidents');
    const first = table.locator('tbody tr').first();
    const id = await first.getAttribute('data-incident-id');
    await first.getByTestId('ack').click();
    await page.getByTestId('ack-note').fill('Teknisi menuju lokasi');
    await page.getByTestId('ack-dialog').getByTestId('dialog-submit').click();
    await poll(() => first.getByTestId('ack-line').count()).toBe(1);
    const list = await api<{ items: { id: string; acknowledged: { by: string; note: string | null } | null }[] }>('/api/v1/incidents?open=true');
    const acked = list.items.find((i) => i.id === id)!;
    expect(acked.acknowledged?.by).toContain(ADMIN.email);
    expect(acked.acknowledged?.note).toBe('Teknisi menuju lokasi');
    // Filters: only the unacknowledged one is left.
    await page.locator('#f-ack').selectOption('false');
    await poll(() => table.locator('tbody tr').count()).toBe(1);
    await page.locator('#f-ack').selectOption('');
    await page.locator('a[data-route="wall"]').click();
    await poll(() => page.locator('.wall-incidents [data-testid="ack-line"]').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.locator('.wall-incidents').textContent()).toContain(ADMIN.email);
    await page.locator('.wall-header a[href="#/monitor"]').click();
  });

  it('schedules a maintenance window and ends it', async () => {
    const { page } = w;
    await page.goto(`${server.baseUrl}/console#/incidents`);
    await page.getByTestId('maint-add').click();
    const dialog = page.getByTestId('maintenance-dialog');
    await dialog.getByTestId('mw-reason').fill('Ganti kabel PoE');
    await dialog.getByTestId('dialog-submit').click();
    const list = page.getByTestId('maintenance-list');
    await poll(() => list.locator('li').count()).toBe(1);
    expect(await list.textContent()).toContain('Ganti kabel PoE');
    await list.getByTestId('maint-end').click();
    await page.getByTestId('confirm-dialog').getByTestId('dialog-confirm').click();
    await poll(async () => (await api<{ items: { state: string }[] }>('/api/v1/maintenance')).items.map((m) => m.state)).toEqual(['past']);
  });

  it('sets up a Telegram channel and sends a test message to a local Bot API', async () => {
    const { page } = w;
    await page.goto(`${server.baseUrl}/console#/alerts`);
    await page.getByTestId('add-telegram').click();
    const dialog = page.getByTestId('channel-dialog');
    await dialog.getByTestId('ch-name').fill('Grup NOC <Diskominfo>');
    await dialog.getByTestId('ch-chat').fill(BOT_CHAT);
    await dialog.getByTestId('ch-secret').fill(BOT_TOKEN);
    await dialog.getByTestId('ch-api').fill(bot.baseUrl);
    await screenshot(page, 'actions-alert-channel-form');
    await dialog.getByTestId('dialog-submit').click();
    const card = page.getByTestId('channel').filter({ hasText: 'Grup NOC <Diskominfo>' });
    await poll(() => card.count()).toBe(1);
    await card.getByTestId('ch-test').click();
    await poll(() => card.getByTestId('test-result').textContent()).toContain('terkirim');
    expect(bot.messages.at(-1)!.text).toContain('Pesan uji dari Jangkau');
    await screenshot(page, 'actions-alerts');
  });

  it('creates a staff account with a temporary password and finds it in the audit log', async () => {
    const { page } = w;
    await page.goto(`${server.baseUrl}/console#/admin/users`);
    await page.getByTestId('user-add').click();
    const dialog = page.getByTestId('user-dialog');
    await dialog.getByTestId('u-email').fill('teknisi@cilegon.go.id');
    await dialog.getByTestId('u-name').fill('Budi Teknisi');
    await dialog.locator('#u-role').selectOption('engineer');
    await dialog.getByTestId('dialog-submit').click();
    await poll(() => page.getByTestId('temp-password').count()).toBe(1);
    const users = await api<{ items: { email: string; role: string }[] }>('/api/v1/users');
    expect(users.items.find((u) => u.email === 'teknisi@cilegon.go.id')?.role).toBe('engineer');
    await page.goto(`${server.baseUrl}/console#/admin/audit`);
    await page.locator('#a-entity').selectOption('user');
    await poll(() => page.getByTestId('audit-table').textContent()).toContain('create');
  });

  it('triages a citizen report, shown as text on the map and in the list', async () => {
    const { page } = w;
    await page.goto(`${server.baseUrl}/console#/reports`);
    const list = page.getByTestId('report-list');
    await poll(() => list.locator('li').count()).toBe(1);
    // The note's markup is text.
    expect(await list.locator('li button.link').textContent()).toBe('Sinyal hilang <b>sore</b> hari');
    expect(await list.locator('b').count()).toBe(0);
    await list.getByTestId('triage').selectOption('planned');
    await poll(async () => (await api<{ items: { triage: string }[] }>('/api/v1/reports')).items[0]!.triage).toBe('planned');
  });

  it('exports a plan, turns it into rollout items and moves one on with an owner', async () => {
    const { page } = w;
    await page.goto(`${server.baseUrl}/console#/planner`);
    await page.getByTestId('candidates-generate').click();
    await poll(() => page.getByTestId('candidate-count').textContent(), { timeout: 30_000 }).not.toMatch(/^0 /);
    await page.getByTestId('plan-amount').fill('3');
    await page.getByTestId('plan-run').click();
    await poll(() => page.getByTestId('plan-sites').locator('li').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const csvHref = await page.getByTestId('plan-csv').getAttribute('href');
    const csv = await server.call('GET', csvHref!);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect((await csv.text()).split('\r\n')[0]).toMatch(/^rank,name,lat,lon/);
    await page.getByTestId('plan-to-rollout').click();
    await poll(() => page.getByTestId('plan-rollout-result').textContent()).toMatch(/\d/);
    await page.locator('a[data-route="kpis"]').click();
    const items = page.getByTestId('rollout-list').locator('li');
    await poll(() => items.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const first = items.first();
    const id = await first.getAttribute('data-rollout-id');
    await first.getByTestId('ro-advance').click();
    const dialog = page.getByTestId('rollout-dialog');
    await dialog.getByTestId('ro-owner').fill('Siti Perencana');
    await dialog.getByTestId('ro-note').fill('Disetujui rapat');
    await dialog.getByTestId('dialog-submit').click();
    await poll(async () => (await api<{ status: string; owner: string | null }>(`/api/v1/rollout/${id}`)).owner).toBe('Siti Perencana');
    expect((await api<{ status: string }>(`/api/v1/rollout/${id}`)).status).toBe('approved');
  });

  it('reaches map points by keyboard: Tab lands on a named point and Enter opens its panel', async () => {
    const { page } = w;
    await page.goto(`${server.baseUrl}/console#/monitor`);
    await poll(() => page.locator('.jk-key-target').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const target = page.locator('.jk-key-target').first();
    expect(await target.getAttribute('aria-label')).toBeTruthy();
    expect(await target.getAttribute('tabindex')).toBe('0');
    await target.focus();
    await page.keyboard.press('Enter');
    // A single point opens its panel; a cluster zooms in and offers its members.
    await poll(async () => (await page.getByTestId('device-panel').count()) + (await page.locator('.jk-key-target').count())).toBeGreaterThan(0);
  });

  it('speaks one language at a time: server errors worded in Indonesian, no English words on any view', async () => {
    const { page } = w;
    await page.goto(`${server.baseUrl}/console#/inventory/sites`);
    const csv = ['name,lat,lon,status', 'Baik,-6.0,106.05,planned', 'Rusak,abc,106.0,planned', 'Juga rusak,-6.0,106.0,entah'].join('\n');
    await page.getByTestId('sites-import-file').setInputFiles({ name: 'lokasi.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('sites-import-result').locator('xpath=..').locator('button[type=submit]').click();
    const result = page.getByTestId('sites-import-result');
    await poll(() => result.locator('.error-details li').count()).toBeGreaterThan(1);
    takeExpected(w, /status of 422 .*\/api\/v1\/sites\/import/);
    const shown = await result.evaluate((el) => (el as HTMLElement).innerText);
    expect(shown).toContain('2 dari 3 baris tidak valid');
    expect(shown).toContain('baris 3');
    expect(shown).not.toMatch(/rows are invalid|nothing was imported|Invalid|expected/);
    await screenshot(page, 'actions-import-errors-id');
    // The server's own words are there, folded, for whoever needs them.
    expect(await result.locator('details.tech pre').textContent()).toMatch(/rows are invalid/);
    // Every view in Bahasa Indonesia shows no English sentence words.
    const english = /\b(the|and|with|not|of|is|are|for|from|no data|loading|error|failed|unknown)\b/i;
    const leaks: Record<string, string> = {};
    for (const v of VIEWS) {
      await page.goto(`${server.baseUrl}/console#/${v}`);
      await page.locator('main#main').waitFor();
      await settled(page);
      const text = await page.evaluate(() => document.body.innerText);
      const m = english.exec(text);
      if (m !== null) leaks[v] = text.slice(Math.max(0, m.index - 60), m.index + 60);
    }
    expect(leaks).toEqual({});
  }, 120_000);

  it('has no serious or critical axe-core violation on any view', async () => {
    const { page } = w;
    const found: Record<string, unknown> = {};
    for (const v of VIEWS) {
      await page.goto(`${server.baseUrl}/console#/${v}`);
      await page.locator('main#main').waitFor();
      await settled(page);
      await page.waitForTimeout(300);
      const violations = await seriousViolations(page);
      if (violations.length > 0) found[v] = violations;
    }
    // A dialog too.
    await page.goto(`${server.baseUrl}/console#/inventory/devices`);
    await settled(page);
    await page.getByTestId('device-edit').first().click();
    await page.getByTestId('device-dialog').waitFor();
    const dialogViolations = await seriousViolations(page);
    if (dialogViolations.length > 0) found['device-dialog'] = dialogViolations;
    await page.keyboard.press('Escape');
    expect(found).toEqual({});
  }, 180_000);

  it('at 390x844 no view scrolls sideways, and the menu opens as a drawer', async () => {
    const phone = await openPage(browser, { viewport: { width: 390, height: 844 } });
    await signIn(phone.page, server.baseUrl);
    const wide: Record<string, number> = {};
    for (const v of VIEWS) {
      await phone.page.goto(`${server.baseUrl}/console#/${v}`);
      await phone.page.locator('main#main').waitFor();
      await settled(phone.page);
      const width = await phone.page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth));
      if (width > 390) wide[v] = width;
      await screenshot(phone.page, `phone-${v}`);
    }
    expect(wide).toEqual({});
    // The header is compact and the menu is a button that opens the list of views.
    await phone.page.goto(`${server.baseUrl}/console#/monitor`);
    const headerHeight = await phone.page.locator('header.topbar').evaluate((el) => el.getBoundingClientRect().height);
    expect(headerHeight).toBeLessThan(64);
    expect(await phone.page.locator('a[data-route="coverage"]').isVisible()).toBe(false);
    await phone.page.getByTestId('menu-toggle').click();
    await poll(() => phone.page.locator('a[data-route="coverage"]').isVisible()).toBe(true);
    await screenshot(phone.page, 'phone-menu');
    await phone.page.locator('a[data-route="coverage"]').click();
    await poll(() => phone.page.getByTestId('coverage-map').isVisible()).toBe(true);
    expect(await phone.page.locator('a[data-route="coverage"]').isVisible()).toBe(false);
    expect(phone.problems).toEqual([]);
    await phone.context.close();
  }, 240_000);

  it('takes a desktop screenshot of every view', async () => {
    const { page } = w;
    for (const v of VIEWS) {
      await page.goto(`${server.baseUrl}/console#/${v}`);
      await page.locator('main#main').waitFor();
      await settled(page);
      await screenshot(page, `desktop-${v}`);
    }
  }, 120_000);

  it('logged no console error, page error or external request', () => {
    // 404s the delete test provoked on purpose are answers, not faults.
    while (w.problems.some((p) => /status of 404/.test(p))) takeExpected(w, /status of 404/);
    expect(w.problems).toEqual([]);
  });
});
