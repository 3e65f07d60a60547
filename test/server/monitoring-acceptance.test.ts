/**
 * Issue 3's acceptance, end to end: the real server with its in-process collectors polls Debian's snmpd on loopback;
 * stopping snmpd turns the device down, opens an incident and sends a signed webhook; starting it again closes the
 * incident, and availability over the period falls below 100 %.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/start-node.ts';
import { startSignedInServer, type AdminCall } from '../helpers/node-server.ts';
import { until } from '../helpers/wait.ts';
import { verifySignatureHeader } from '../../server/notify/index.ts';
import { startSnmpd, type SnmpdPeer } from '../peers/snmp/snmpd.ts';
import { freeUdpPort, snmprecPath } from '../peers/snmp/shared-data.ts';
import { startSnmprecAgent } from '../peers/snmp/snmprec-agent.ts';
import { loadSnmprec } from '../peers/snmp/snmprec.ts';

describe('monitoring a real SNMP agent through npm start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jangkau-mon-'));
  let server: RunningServer;
  let api: AdminCall;
  let snmpd: SnmpdPeer;
  let snmpPort = 0;
  let receiver: Server;
  let receiverUrl = '';
  const deliveries: { body: string; signature: string; event: string }[] = [];
  let deviceId = '';
  const startedAt = new Date();

  beforeAll(async () => {
    snmpPort = await freeUdpPort();
    snmpd = await startSnmpd({ port: snmpPort, community: 'kota-cilegon' });
    receiver = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        deliveries.push({ body, signature: String(req.headers['x-jangkau-signature'] ?? ''), event: String(req.headers['x-jangkau-event'] ?? '') });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', () => ok()));
    const a = receiver.address();
    receiverUrl = `http://127.0.0.1:${typeof a === 'object' && a !== null ? a.port : 0}/hook`;
    ({ server, api } = await startSignedInServer(dir));
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await snmpd?.stop();
    await new Promise<void>((ok) => receiver.close(() => ok()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds a device by address and community and sees it up within two intervals', async () => {
    const res = await api('POST', '/api/v1/devices', {
      name: 'AP Taman Kota',
      role: 'ap',
      address: '127.0.0.1',
      snmp: { community: 'kota-cilegon', port: snmpPort },
      pollIntervalS: 5,
    });
    expect(res.status).toBe(201);
    deviceId = ((await res.json()) as { id: string }).id;
    // The receiver lives on loopback: an admin allows private networks for outbound URLs first (issue 10).
    expect((await api('PUT', '/api/v1/settings/outbound', { allowPrivate: true })).status).toBe(200);
    const hook = await api('POST', '/api/v1/webhooks', { url: receiverUrl, secret: 'webhook-shared-secret-123' });
    expect(hook.status).toBe(201);
    const t0 = Date.now();
    const status = await until(
      'state up',
      async () => {
        const s = (await (await api('GET', `/api/v1/devices/${deviceId}/status`)).json()) as { state: string; uptimeS: number; sysDescr: string };
        return s.state === 'up' ? s : null;
      },
      15_000,
    );
    // The in-process collector re-reads the inventory every 2 s; two 5 s intervals plus that.
    expect(Date.now() - t0).toBeLessThan(12_000);
    expect(status.uptimeS).toBeGreaterThanOrEqual(0);
    expect(status.sysDescr).toMatch(/Linux/);
  }, 30_000);

  it('turns the device down when snmpd stops, opens an incident and sends a signed webhook', async () => {
    await snmpd.stop();
    await until(
      'state down',
      async () => ((await (await api('GET', `/api/v1/devices/${deviceId}/status`)).json()) as { state: string }).state === 'down',
      40_000,
    );
    const inc = (await (await api('GET', `/api/v1/incidents?deviceId=${deviceId}`)).json()) as {
      items: { endedAt: string | null; cause: { kind: string } }[];
    };
    expect(inc.items).toHaveLength(1);
    expect(inc.items[0]!.endedAt).toBeNull();
    expect(inc.items[0]!.cause.kind).toBe('unreachable'); // issue 11: nothing listens on the port once snmpd stopped
    const opened = await until('webhook', async () => deliveries.find((d) => d.event === 'incident.opened'), 10_000);
    const check = await verifySignatureHeader('webhook-shared-secret-123', opened.signature, opened.body, { nowS: Math.floor(Date.now() / 1000) });
    expect(check.ok).toBe(true);
    expect(JSON.parse(opened.body)).toMatchObject({ type: 'incident.opened', deviceId });
    const wrong = await verifySignatureHeader('another-secret-456789', opened.signature, opened.body, { nowS: Math.floor(Date.now() / 1000) });
    expect(wrong.ok).toBe(false);
  }, 60_000);

  it('closes the incident when snmpd returns, and availability over the period is below 100 %', async () => {
    snmpd = await startSnmpd({ port: snmpPort, community: 'kota-cilegon' });
    await until(
      'state up again',
      async () => ((await (await api('GET', `/api/v1/devices/${deviceId}/status`)).json()) as { state: string }).state === 'up',
      30_000,
    );
    const inc = (await (await api('GET', `/api/v1/incidents?deviceId=${deviceId}`)).json()) as { items: { endedAt: string | null }[] };
    expect(inc.items[0]!.endedAt).not.toBeNull();
    await until('closing webhook', async () => deliveries.find((d) => d.event === 'incident.closed'), 10_000);
    const av = (await (
      await api('GET', `/api/v1/availability?deviceId=${deviceId}&from=${startedAt.toISOString()}&to=${new Date().toISOString()}`)
    ).json()) as { percent: number; downS: number; incidents: number; mttrS: number };
    expect(av.percent).toBeLessThan(100);
    expect(av.percent).toBeGreaterThan(0);
    expect(av.downS).toBeGreaterThan(0);
    expect(av.incidents).toBe(1);
    expect(av.mttrS).toBeGreaterThan(0);
    const polls = (await (await api('GET', `/api/v1/devices/${deviceId}/polls?limit=50`)).json()) as { items: { ok: boolean; error: { kind: string } | null }[] };
    expect(polls.items.some((p) => !p.ok && p.error?.kind === 'unreachable')).toBe(true);
    const fleet = (await (await api('GET', '/api/v1/status')).json()) as { items: { deviceId: string; state: string }[] };
    expect(fleet.items.find((i) => i.deviceId === deviceId)?.state).toBe('up');
  }, 60_000);

  it('discovers what a device is from its address and community: MikroTik from a real recording, Linux from snmpd', async () => {
    const port = await freeUdpPort();
    const agent = await startSnmprecAgent({ host: '127.0.0.1', port, devices: { routeros: { records: loadSnmprec(snmprecPath('routeros')) } } });
    try {
      const res = await api('POST', '/api/v1/devices/discover', { address: '127.0.0.1', snmp: { community: 'routeros', port } });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ ok: true, vendor: 'mikrotik' });
      const added = (await (await api('POST', '/api/v1/devices', { name: 'hAP ac lite', role: 'ap', address: '127.0.0.1', snmp: { community: 'routeros', port }, enabled: false })).json()) as { vendor: string };
      expect(added.vendor).toBe('mikrotik');
      const linux = (await (await api('POST', '/api/v1/devices/discover', { address: '127.0.0.1', snmp: { community: 'kota-cilegon', port: snmpPort } })).json()) as { vendor: string; sysDescr: string };
      expect(linux.sysDescr).toMatch(/Linux/);
      const silent = await api('POST', '/api/v1/devices/discover', { address: '127.0.0.1', snmp: { community: 'wrong-community', port: snmpPort } });
      expect(silent.status).toBe(503);
      expect((await silent.json()).message).toMatch(/timeout/);
    } finally {
      await agent.close();
    }
  }, 30_000);
});

