/**
 * Outbound URLs (issue 10, item 8): where webhooks, alert channels and the SMS gateway may send. A local HTTP
 * listener on a random 127.x address stands for a receiver on the city's own network; a resolver the test controls
 * stands for DNS, so a name can answer a public address when saved and a metadata address when sent (rebinding).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OUTBOUND_POLICY, literalAddress, outboundAddressProblem, outboundUrlProblem } from '../../core/net/outbound-policy.ts';
import { createNodeOutboundNet } from '../../server/notify/outbound-fetch-node.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';

function verdict(text: string, allowPrivate = false): string | null {
  const url = new URL(text);
  const p = outboundUrlProblem(url);
  if (p !== null) return p;
  const ip = literalAddress(url);
  return ip === null ? null : outboundAddressProblem(ip, { allowPrivate });
}

describe('outbound URL policy (pure)', () => {
  it('sees through decimal, hex and octal IPv4 and the IPv6 spellings of loopback, link-local and metadata', () => {
    for (const u of ['http://2130706433/', 'http://0x7f.1/', 'http://017700000001/', 'http://127.1:8080/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://[0:0:0:0:0:ffff:7f00:1]/']) {
      expect(verdict(u), u).toMatch(/loopback addresses are refused unless an admin allows/);
      expect(verdict(u, true), u).toBeNull();
    }
    for (const u of ['http://10.0.0.5/', 'http://172.16.1.1/', 'http://192.168.88.1/', 'http://100.64.0.1/', 'http://[fd12::1]/', 'http://0xa000005/']) {
      expect(verdict(u), u).toMatch(/private addresses are refused/);
      expect(verdict(u, true), u).toBeNull();
    }
    // Link-local and metadata stay refused even when private networks are allowed.
    for (const u of ['http://169.254.169.254/latest/meta-data/', 'http://2852039166/', 'http://0xa9.0xfe.0xa9.0xfe/', 'http://[fe80::1]/', 'http://[::ffff:169.254.169.254]/', 'http://[fd00:ec2::254]/', 'http://100.100.100.200/']) {
      expect(verdict(u, true), u).toMatch(/link-local|metadata/);
    }
    for (const u of ['http://0.0.0.0/', 'http://0/', 'http://255.255.255.255/', 'http://224.0.0.1/', 'http://[ff02::1]/']) expect(verdict(u, true), u).not.toBeNull();
    expect(verdict('http://user:pw@example.org/')).toMatch(/credentials/);
    expect(verdict('ftp://example.org/')).toMatch(/only http and https/);
    expect(verdict('https://hooks.example.org/x')).toBeNull();
    expect(verdict('http://93.184.216.34/')).toBeNull();
    expect(DEFAULT_OUTBOUND_POLICY.allowPrivate).toBe(false);
  });
});

interface Listener {
  server: Server;
  host: string;
  port: number;
  got: Array<{ path: string; headers: IncomingHttpHeaders }>;
}

async function listen(): Promise<Listener> {
  const host = `127.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${2 + Math.floor(Math.random() * 250)}`;
  const got: Listener['got'] = [];
  const server = createServer((req, res) => {
    got.push({ path: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((ok) => server.listen(0, host, () => ok()));
  return { server, host, port: (server.address() as AddressInfo).port, got };
}

describe.each(DIALECTS)('outbound URLs through the API (%s)', (dialect) => {
  let t: TestApp;
  let admin: string;
  let engineer: string;
  let rx: Listener;
  // What the test's DNS answers, per name; changed between saving and sending to play a rebinding name.
  const dns = new Map<string, string[]>();

  beforeAll(async () => {
    rx = await listen();
    const outbound = createNodeOutboundNet({ resolve: async (host) => dns.get(host) ?? Promise.reject(new Error(`ENOTFOUND ${host}`)) });
    t = await makeTestApp(await openTestDb(dialect), { deps: { outbound } });
    [admin, engineer] = await Promise.all([t.signIn('admin'), t.signIn('engineer')]);
  });
  afterAll(async () => {
    await new Promise<void>((ok) => rx.server.close(() => ok()));
    await t.handle.close();
  });

  const setPrivate = async (allowPrivate: boolean): Promise<Response> => t.call('PUT', '/api/v1/settings/outbound', { as: admin, json: { allowPrivate } });
  const createHook = (url: string): Promise<Response> => t.call('POST', '/api/v1/alerts/channels', { as: engineer, json: { kind: 'webhook', name: 'uji', settings: { url }, secret: 'rahasia-webhook-123' } });
  const sendTest = async (id: string): Promise<{ delivered: boolean; error: string | null }> =>
    (await t.call('POST', `/api/v1/alerts/channels/${id}/test`, { as: engineer })).json() as Promise<{ delivered: boolean; error: string | null }>;

  it('refuses a receiver on loopback by default, and reaches it once an admin allows private networks', async () => {
    expect(await (await t.call('GET', '/api/v1/settings/outbound', { as: admin })).json()).toEqual({ allowPrivate: false });
    const url = `http://${rx.host}:${rx.port}/hook`;
    const refused = await createHook(url);
    expect(refused.status).toBe(422);
    expect(JSON.stringify(await refused.json())).toMatch(/loopback addresses are refused unless an admin allows private networks/);
    // The same through the incident webhooks route, and the decimal spelling of the same address.
    const viaWebhooks = await t.call('POST', '/api/v1/webhooks', { as: engineer, json: { url: `http://2130706433:${rx.port}/hook`, secret: 'rahasia-webhook-123' } });
    expect(viaWebhooks.status).toBe(422);
    // Only an admin changes the policy.
    expect((await t.call('PUT', '/api/v1/settings/outbound', { as: engineer, json: { allowPrivate: true } })).status).toBe(403);
    expect((await setPrivate(true)).status).toBe(200);
    const created = await createHook(url);
    expect(created.status).toBe(201);
    const id = ((await created.json()) as { id: string }).id;
    expect(await sendTest(id)).toMatchObject({ delivered: true });
    expect(rx.got.map((g) => g.path)).toEqual(['/hook']);
    // Taken back: the saved channel is refused at send time too, and nothing reaches the listener.
    expect((await setPrivate(false)).status).toBe(200);
    const blocked = await sendTest(id);
    expect(blocked.delivered).toBe(false);
    expect(blocked.error).toMatch(/loopback/);
    expect(rx.got).toHaveLength(1);
    const audit = await t.handle.db.selectFrom('audit_log').select(['action', 'detail']).where('entity', '=', 'app_settings').execute();
    expect(audit.map((a) => [a.action, JSON.parse(a.detail ?? '{}').allowPrivate])).toEqual([['update', true], ['update', false]]);
  });

  it('never reaches link-local or metadata addresses, whatever the setting', async () => {
    expect((await setPrivate(true)).status).toBe(200);
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://[fe80::1]/x', 'http://[::ffff:a9fe:a9fe]/', 'http://user:pw@example.org/x']) {
      const r = await createHook(url);
      expect(r.status, url).toBe(422);
    }
    dns.set('metadata.test', ['169.254.169.254']);
    const byName = await createHook('http://metadata.test/latest/meta-data/');
    expect(byName.status).toBe(422);
    expect(JSON.stringify(await byName.json())).toMatch(/metadata\.test resolves to 169\.254\.169\.254/);
  });

  it('checks the name again at send time: a name that turns to a metadata address (rebinding) reaches nothing', async () => {
    expect((await setPrivate(false)).status).toBe(200);
    dns.set('hooks.city.test', ['93.184.216.34']);
    const created = await createHook('http://hooks.city.test/hook');
    expect(created.status).toBe(201);
    const id = ((await created.json()) as { id: string }).id;
    dns.set('hooks.city.test', ['169.254.169.254']);
    const out = await sendTest(id);
    expect(out.delivered).toBe(false);
    expect(out.error).toMatch(/169\.254\.169\.254.*link-local/);
    // One bad address among several refuses the name: every answer is checked.
    dns.set('hooks.city.test', ['93.184.216.34', '10.1.2.3']);
    expect((await sendTest(id)).error).toMatch(/10\.1\.2\.3: private/);
  });

  it('connects to the address it checked, keeping the name for the Host header', async () => {
    expect((await setPrivate(true)).status).toBe(200);
    dns.set('gateway.city.test', [rx.host]);
    const created = await createHook(`http://gateway.city.test:${rx.port}/pinned`);
    expect(created.status).toBe(201);
    const before = rx.got.length;
    expect(await sendTest(((await created.json()) as { id: string }).id)).toMatchObject({ delivered: true });
    expect(rx.got.slice(before).map((g) => [g.path, g.headers.host])).toEqual([['/pinned', `gateway.city.test:${rx.port}`]]);
  });
});
