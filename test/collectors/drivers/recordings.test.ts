/**
 * Every driver against the ten real device recordings, served over UDP by the snmprec responder: discovery finds
 * the vendor, pollSnmpDevice returns what the recording says. Expected values are read from the recording files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnmpClient } from '../../../collectors/snmp/index.ts';
import type { SnmpClient } from '../../../collectors/snmp/index.ts';
import { discoverSnmpDevice, pollSnmpDevice } from '../../../collectors/drivers/index.ts';
import type { SnmpPollResult, SnmpPollSuccess } from '../../../collectors/drivers/index.ts';
import type { Vendor } from '../../../core/schemas/inventory.ts';
import { startSnmprecAgent } from '../../peers/snmp/snmprec-agent.ts';
import type { SnmprecAgent } from '../../peers/snmp/snmprec-agent.ts';
import { loadSnmprec } from '../../peers/snmp/snmprec.ts';
import type { SnmprecRecord } from '../../peers/snmp/snmprec.ts';
import { RECORDINGS, snmprecPath } from '../../peers/snmp/shared-data.ts';

/** Device kind per recording, as described in shared/data/SOURCES.md. */
const VENDOR_OF: Record<(typeof RECORDINGS)[number], Vendor> = {
  airos_airos8: 'ubiquiti-airos',
  epmp: 'cambium',
  jetstream_sg2218p: 'tplink',
  linux: 'generic',
  routeros: 'mikrotik',
  routeros_rb433gl: 'mikrotik',
  routeros_rb750gr3: 'mikrotik',
  'ruckuswireless-sz': 'ruckus',
  unifi: 'ubiquiti-unifi',
  unifi_nanohd: 'ubiquiti-unifi',
};

const recs = new Map<string, SnmprecRecord[]>();
let agent: SnmprecAgent;
let client: SnmpClient;
const polls = new Map<string, SnmpPollResult>();

function rec(stem: string): SnmprecRecord[] {
  return recs.get(stem) as SnmprecRecord[];
}
function value(stem: string, oid: string): SnmprecRecord['value'] | undefined {
  return rec(stem).find((r) => r.oid === oid)?.value;
}
function column(stem: string, root: string): Array<{ index: string; value: SnmprecRecord['value'] }> {
  return rec(stem).filter((r) => r.oid.startsWith(root + '.')).map((r) => ({ index: r.oid.slice(root.length + 1), value: r.value }));
}
function text(v: SnmprecRecord['value'] | undefined): string | null {
  return Buffer.isBuffer(v) ? v.toString('utf8') : typeof v === 'string' ? v : null;
}
function success(stem: string): SnmpPollSuccess {
  const r = polls.get(stem);
  if (!r || !r.ok) throw new Error(`poll of ${stem} failed: ${JSON.stringify(r && !r.ok ? r.error : r)}`);
  return r;
}

beforeAll(async () => {
  const devices: Record<string, { records: SnmprecRecord[] }> = {};
  for (const stem of RECORDINGS) {
    recs.set(stem, loadSnmprec(snmprecPath(stem)));
    devices[stem] = { records: rec(stem) };
  }
  agent = await startSnmprecAgent({ host: '127.0.2.1', port: 0, devices });
  client = createSnmpClient({ timeoutMs: 1000, retries: 1, maxInFlight: 32 });
  await Promise.all(RECORDINGS.map(async (stem) => {
    polls.set(stem, await pollSnmpDevice(client, {
      deviceId: stem, address: agent.host, vendor: VENDOR_OF[stem], pollIntervalS: 60,
      snmp: { community: stem, port: agent.port, version: '2c' }, routeros: null,
    }));
  }));
});

afterAll(async () => {
  await client?.close();
  await agent?.close();
});

describe.each(RECORDINGS.map((stem) => ({ stem })))('recording $stem', ({ stem }) => {
  it('is discovered as the right vendor', async () => {
    const d = await discoverSnmpDevice(client, { host: agent.host, port: agent.port, community: stem, version: '2c' });
    expect(d.ok).toBe(true);
    if (d.ok) expect(d.vendor).toBe(VENDOR_OF[stem]);
  });

  it('reports the system group and every interface counter as recorded', () => {
    const r = success(stem);
    const ticks = value(stem, '1.3.6.1.2.1.1.3.0');
    expect(r.system.uptimeS).toBe(typeof ticks === 'number' ? Math.floor(ticks / 100) : null);
    expect(r.system.descr).toBe(text(value(stem, '1.3.6.1.2.1.1.1.0')));
    expect(r.system.objectId).toBe(text(value(stem, '1.3.6.1.2.1.1.2.0')));
    const indices = new Set([...column(stem, '1.3.6.1.2.1.2.2.1.2'), ...column(stem, '1.3.6.1.2.1.31.1.1.1.1')].map((c) => Number(c.index)));
    expect(r.interfaces.map((i) => i.index)).toEqual([...indices].sort((a, b) => a - b));
    for (const i of r.interfaces) {
      const hc = value(stem, `1.3.6.1.2.1.31.1.1.1.6.${i.index}`);
      const c32 = value(stem, `1.3.6.1.2.1.2.2.1.10.${i.index}`);
      const expected = hc !== undefined ? hc : c32;
      expect(i.inOctets).toBe(expected === undefined ? null : BigInt(expected as number | bigint));
      expect(i.counterBits).toBe(hc !== undefined || value(stem, `1.3.6.1.2.1.31.1.1.1.10.${i.index}`) !== undefined ? 64 : 32);
      const oper = value(stem, `1.3.6.1.2.1.2.2.1.8.${i.index}`);
      expect(i.operUp).toBe(oper === undefined ? null : oper === 1);
    }
  });
});

describe('vendor data read from the recordings', () => {
  it('MikroTik hAP: registration-table signal per client MAC, SSIDs and client counts', () => {
    const r = success('routeros');
    const rtab = column('routeros', '1.3.6.1.4.1.14988.1.1.1.2.1.3');
    expect(rtab.length).toBeGreaterThan(0);
    expect(r.stations).toHaveLength(rtab.length);
    for (const row of rtab) {
      const arcs = row.index.split('.').map(Number);
      const mac = arcs.slice(0, 6).map((b) => b.toString(16).padStart(2, '0')).join(':');
      const st = r.stations.find((s) => s.mac === mac);
      expect(st?.signalDbm).toBe(row.value);
      const ifName = text(value('routeros', `1.3.6.1.2.1.31.1.1.1.1.${arcs[6]}`));
      expect(st?.iface).toBe(ifName);
    }
    const counts = column('routeros', '1.3.6.1.4.1.14988.1.1.1.3.1.6');
    expect(r.clients).toBe(counts.reduce((a, c) => a + (c.value as number), 0));
    for (const s of column('routeros', '1.3.6.1.4.1.14988.1.1.1.3.1.4')) {
      const n = counts.find((c) => c.index === s.index)?.value;
      expect(r.ssids).toContainEqual(expect.objectContaining({ ssid: text(s.value), clients: n }));
    }
    expect(r.system.version).toBe(text(value('routeros', '1.3.6.1.4.1.14988.1.1.4.4.0')));
  });

  it('MikroTik RB433GL and hEX: RouterOS 7 version and wireless AP rows', () => {
    expect(success('routeros_rb433gl').system.version).toBe(text(value('routeros_rb433gl', '1.3.6.1.4.1.14988.1.1.4.4.0')));
    expect(success('routeros_rb750gr3').system.version).toBe(text(value('routeros_rb750gr3', '1.3.6.1.4.1.14988.1.1.4.4.0')));
    const ssids = column('routeros_rb433gl', '1.3.6.1.4.1.14988.1.1.1.3.1.4').map((c) => text(c.value));
    expect(success('routeros_rb433gl').ssids.map((s) => s.ssid)).toEqual(ssids);
    expect(success('routeros_rb750gr3').ssids).toEqual([]);
  });

  it('UniFi UAP: stations per SSID, "Main SSID" and "guest" included', () => {
    const r = success('unifi');
    const essids = column('unifi', '1.3.6.1.4.1.41112.1.6.1.2.1.6');
    for (const name of ['Main SSID', 'guest']) {
      const idx = essids.find((e) => text(e.value) === name)?.index;
      expect(idx).toBeDefined();
      const n = value('unifi', `1.3.6.1.4.1.41112.1.6.1.2.1.8.${idx}`);
      expect(r.ssids).toContainEqual({ ssid: name, radio: text(value('unifi', `1.3.6.1.4.1.41112.1.6.1.2.1.9.${idx}`)), clients: n });
    }
    const total = column('unifi', '1.3.6.1.4.1.41112.1.6.1.2.1.8').reduce((a, c) => a + (c.value as number), 0);
    expect(r.clients).toBe(total);
  });

  it('UniFi nanoHD: one row per SSID and radio, firmware version', () => {
    const r = success('unifi_nanohd');
    const rows = column('unifi_nanohd', '1.3.6.1.4.1.41112.1.6.1.2.1.6');
    expect(r.ssids).toHaveLength(rows.length);
    expect(r.clients).toBe(column('unifi_nanohd', '1.3.6.1.4.1.41112.1.6.1.2.1.8').reduce((a, c) => a + (c.value as number), 0));
    expect(r.system.version).toBe(text(value('unifi_nanohd', '1.3.6.1.4.1.41112.1.6.3.6.0')));
  });

  it('airOS: station count and link signal from ubntWlStatTable', () => {
    const r = success('airos_airos8');
    expect(r.clients).toBe(value('airos_airos8', '1.3.6.1.4.1.41112.1.4.5.1.15.1'));
    expect(r.gauges.signalDbm).toBe(value('airos_airos8', '1.3.6.1.4.1.41112.1.4.5.1.5.1'));
    expect(r.ssids[0]?.radio).toBe(`${value('airos_airos8', '1.3.6.1.4.1.41112.1.4.1.1.4.1')} MHz`);
  });

  it('Ruckus SmartZone: AP and station counts, stations per WLAN', () => {
    const r = success('ruckuswireless-sz');
    expect(r.clients).toBe(value('ruckuswireless-sz', '1.3.6.1.4.1.25053.1.4.1.1.1.15.2.0'));
    expect(r.gauges.apCount).toBe(value('ruckuswireless-sz', '1.3.6.1.4.1.25053.1.4.1.1.1.15.1.0'));
    const perWlan = column('ruckuswireless-sz', '1.3.6.1.4.1.25053.1.4.2.1.1.1.2.1.12');
    expect(r.ssids.map((s) => s.clients)).toEqual(perWlan.map((c) => c.value));
  });

  it('Cambium ePMP: connected SMs and firmware', () => {
    const r = success('epmp');
    expect(r.clients).toBe(value('epmp', '1.3.6.1.4.1.17713.21.1.2.10.0'));
    expect(r.system.version).toBe(text(value('epmp', '1.3.6.1.4.1.17713.21.1.1.17.0')));
  });

  it('TP-Link JetStream: switch ports with 64-bit counters and firmware', () => {
    const r = success('jetstream_sg2218p');
    const ports = column('jetstream_sg2218p', '1.3.6.1.2.1.31.1.1.1.1').filter((c) => /Ethernet/i.test(text(c.value) ?? ''));
    expect(ports.length).toBeGreaterThanOrEqual(16);
    expect(r.interfaces.filter((i) => /Ethernet/i.test(i.name))).toHaveLength(ports.length);
    expect(r.system.version).toBe(text(value('jetstream_sg2218p', '1.3.6.1.4.1.11863.6.1.1.6.0')));
  });

  it('Linux: CPU load is the mean of hrProcessorLoad', () => {
    const loads = column('linux', '1.3.6.1.2.1.25.3.3.1.2').map((c) => c.value as number);
    expect(success('linux').system.cpuLoadPct).toBeCloseTo(loads.reduce((a, b) => a + b, 0) / loads.length, 1);
  });

  it('airOS: model and firmware from IEEE802dot11-MIB, CPU from ubntHostCpuLoad (hundredths of a percent)', async () => {
    const r = success('airos_airos8');
    const name = text(column('airos_airos8', '1.2.840.10036.3.1.2.1.3')[0]?.value);
    const productVersion = text(column('airos_airos8', '1.2.840.10036.3.1.2.1.4')[0]?.value) as string;
    expect(name).not.toBeNull();
    expect(productVersion).toContain('.v');
    const version = productVersion.slice(productVersion.lastIndexOf('.v') + 2);
    expect(r.identity).toEqual({ model: name, version, hardwareRevision: null });
    expect(r.system.version).toBe(version);
    expect(r.system.cpuLoadPct).toBe((value('airos_airos8', '1.3.6.1.4.1.41112.1.4.8.3.0') as number) / 100);
    const d = await discoverSnmpDevice(client, { host: agent.host, port: agent.port, community: 'airos_airos8', version: '2c' });
    expect(d).toMatchObject({ ok: true, vendor: 'ubiquiti-airos', model: name, version });
  });

  it('UniFi: CPU from FROGFOOT loadValue (5-minute row) when hrProcessorLoad is absent, hrProcessorLoad when present', async () => {
    const old = success('unifi');
    expect(column('unifi', '1.3.6.1.2.1.25.3.3.1.2')).toHaveLength(0);
    const fiveMin = column('unifi', '1.3.6.1.4.1.10002.1.1.1.4.2.1.2').find((c) => /^5 Minute/.test(text(c.value) ?? ''))?.index;
    expect(fiveMin).toBeDefined();
    expect(old.system.cpuLoadPct).toBe(value('unifi', `1.3.6.1.4.1.10002.1.1.1.4.2.1.3.${fiveMin}`));
    // The old UAP has no UniFi system scalars: the model is the radio's IEEE802dot11 product name.
    expect(value('unifi', '1.3.6.1.4.1.41112.1.6.3.3.0')).toBeUndefined();
    const name = text(column('unifi', '1.2.840.10036.3.1.2.1.3')[0]?.value);
    expect(old.identity.model).toBe(name);
    const d = await discoverSnmpDevice(client, { host: agent.host, port: agent.port, community: 'unifi', version: '2c' });
    expect(d).toMatchObject({ ok: true, vendor: 'ubiquiti-unifi', model: name });
    const hd = success('unifi_nanohd');
    const loads = column('unifi_nanohd', '1.3.6.1.2.1.25.3.3.1.2').map((c) => c.value as number);
    expect(hd.system.cpuLoadPct).toBeCloseTo(loads.reduce((a, b) => a + b, 0) / loads.length, 1);
    expect(hd.identity.model).toBe(text(value('unifi_nanohd', '1.3.6.1.4.1.41112.1.6.3.3.0')));
  });

  it('Cambium ePMP: model from the radio mode OIDs (not sysDescr), CPU from sysCPUUsage (tenths of a percent)', async () => {
    const r = success('epmp');
    const mode = value('epmp', '1.3.6.1.4.1.17713.21.3.8.2.1.0');
    const subMode = value('epmp', '1.3.6.1.4.1.17713.21.1.1.33.0');
    // The recorded radio is an AP (mode 1) in ePTP master sub-mode (5), per CAMBIUM-PMP80211-MIB.
    expect([mode, subMode]).toEqual([1, 5]);
    expect(r.identity.model).toBe('ePTP Master');
    expect(r.identity.model).not.toBe(text(value('epmp', '1.3.6.1.2.1.1.1.0')));
    expect(r.identity.version).toBe(text(value('epmp', '1.3.6.1.4.1.17713.21.1.1.17.0')));
    expect(r.system.cpuLoadPct).toBe((value('epmp', '1.3.6.1.4.1.17713.21.2.1.64.0') as number) / 10);
    const d = await discoverSnmpDevice(client, { host: agent.host, port: agent.port, community: 'epmp', version: '2c' });
    expect(d).toMatchObject({ ok: true, vendor: 'cambium', model: 'ePTP Master', version: r.identity.version });
  });

  it('TP-Link JetStream: model and hardware revision kept apart, CPU from tpSysMonitorCpu5Seconds', async () => {
    const r = success('jetstream_sg2218p');
    const hw = text(value('jetstream_sg2218p', '1.3.6.1.4.1.11863.6.1.1.5.0')) as string;
    expect(r.identity.hardwareRevision).not.toBeNull();
    expect(`${r.identity.model} ${r.identity.hardwareRevision}`).toBe(hw);
    const cpus = column('jetstream_sg2218p', '1.3.6.1.4.1.11863.6.4.1.1.1.1.2').map((c) => c.value as number);
    expect(cpus.length).toBeGreaterThan(0);
    expect(r.system.cpuLoadPct).toBe(cpus.reduce((a, b) => a + b, 0) / cpus.length);
    expect(r.gauges.memUsedPct).toBe(value('jetstream_sg2218p', '1.3.6.1.4.1.11863.6.4.1.2.1.1.2.1'));
    const d = await discoverSnmpDevice(client, { host: agent.host, port: agent.port, community: 'jetstream_sg2218p', version: '2c' });
    expect(d).toMatchObject({ ok: true, vendor: 'tplink', model: r.identity.model, hardwareRevision: r.identity.hardwareRevision });
  });

  it('Ruckus SmartZone: firmware version with the controller country suffix', async () => {
    const r = success('ruckuswireless-sz');
    const version = text(column('ruckuswireless-sz', '1.3.6.1.4.1.25053.1.8.1.1.1.1.1.1.9')[0]?.value);
    const country = text(column('ruckuswireless-sz', '1.3.6.1.4.1.25053.1.8.1.1.1.1.3.1.4')[0]?.value);
    expect(version).not.toBeNull();
    expect(country).toMatch(/^[A-Z]{2}$/);
    expect(r.system.version).toBe(`${version} (${country})`);
    const d = await discoverSnmpDevice(client, { host: agent.host, port: agent.port, community: 'ruckuswireless-sz', version: '2c' });
    expect(d).toMatchObject({ ok: true, version: `${version} (${country})` });
  });

  it('interface roles: ifType and names from the recordings, vendor-marked virtual APs, the uplink', () => {
    const VIRTUAL_IFTYPES = new Set([23, 24, 131, 135, 209]);
    const role = (stem: string, name: string): string | undefined => success(stem).interfaces.find((i) => i.name === name)?.role;
    for (const stem of RECORDINGS) {
      for (const i of success(stem).interfaces) {
        const ifType = value(stem, `1.3.6.1.2.1.2.2.1.3.${i.index}`);
        expect(i.ifType ?? null).toBe(ifType ?? null);
        // Loopback, PPP, tunnel, VLAN and bridge entries are virtual whatever they are called.
        if (typeof ifType === 'number' && VIRTUAL_IFTYPES.has(ifType)) expect(i.role, `${stem} ${i.name}`).toBe('virtual');
      }
    }
    // hAP ac lite: the AP table gives wlan3 and wlan4 no frequency and no band of their own (virtual APs of wlan1/2).
    for (const idx of [8, 9]) {
      expect(value('routeros', `1.3.6.1.4.1.14988.1.1.1.3.1.7.${idx}`)).toBe(0);
      expect(role('routeros', text(value('routeros', `1.3.6.1.2.1.31.1.1.1.1.${idx}`)) as string)).toBe('virtual');
    }
    expect(['wlan1', 'wlan2', 'ether2'].map((n) => role('routeros', n))).toEqual(['physical', 'physical', 'physical']);
    expect(role('routeros', 'WAN')).toBe('uplink');
    expect(role('routeros_rb750gr3', 'wan: STCable (eth1)')).toBe('uplink');
    expect(role('routeros_rb750gr3', 'wg: Hub (NMS)')).toBe('virtual');
    expect(role('routeros_rb433gl', 'trunk: blank (eth1)')).toBe('physical');
    // airOS: eth0 is the only wired port (the uplink), wifi0 the radio, ath0 its virtual AP, br0 the bridge.
    expect(['eth0', 'wifi0', 'ath0', 'br0', 'lo'].map((n) => role('airos_airos8', n))).toEqual(['uplink', 'physical', 'virtual', 'virtual', 'virtual']);
    // UniFi nanoHD (MediaTek): eth0 uplink; every raN/raiN VAP, WDS and client interface is virtual.
    const hd = success('unifi_nanohd').interfaces;
    expect(hd.filter((i) => i.role !== 'virtual').map((i) => [i.name, i.role])).toEqual([['eth0', 'uplink']]);
    // ePMP: the LAN port is the uplink, the radio physical. JetStream: VLAN interfaces virtual, 18 ports physical.
    expect(success('epmp').interfaces.map((i) => i.role)).toEqual(['uplink', 'physical']);
    const js = success('jetstream_sg2218p').interfaces;
    expect(js.filter((i) => i.role === 'physical')).toHaveLength(18);
    expect(js.filter((i) => /^Vlan-interface/.test(i.name)).every((i) => i.role === 'virtual')).toBe(true);
  });

  it('discovery reports model and version, and works over SNMPv1', async () => {
    const v2 = await discoverSnmpDevice(client, { host: agent.host, port: agent.port, community: 'unifi_nanohd', version: '2c' });
    const v1 = await discoverSnmpDevice(client, { host: agent.host, port: agent.port, community: 'routeros_rb750gr3', version: '1' });
    expect(v2).toMatchObject({ ok: true, model: text(value('unifi_nanohd', '1.3.6.1.4.1.41112.1.6.3.3.0')), version: text(value('unifi_nanohd', '1.3.6.1.4.1.41112.1.6.3.6.0')) });
    expect(v1).toMatchObject({ ok: true, vendor: 'mikrotik', model: text(value('routeros_rb750gr3', '1.3.6.1.4.1.14988.1.1.7.9.0')) });
    const sz = await discoverSnmpDevice(client, { host: agent.host, port: agent.port, community: 'ruckuswireless-sz', version: '2c' });
    expect(sz).toMatchObject({ ok: true, model: text(column('ruckuswireless-sz', '1.3.6.1.4.1.25053.1.8.1.1.1.1.1.1.3')[0]?.value) });
  });

  it('a device polled over SNMPv1 (GETNEXT walks) gives the same observations as over v2c', async () => {
    const v1 = await pollSnmpDevice(client, {
      deviceId: 'v1', address: agent.host, vendor: 'mikrotik', pollIntervalS: 60,
      snmp: { community: 'routeros', port: agent.port, version: '1' }, routeros: null,
    });
    const v2 = success('routeros');
    expect(v1.ok).toBe(true);
    if (v1.ok) {
      expect(v1.stations).toEqual(v2.stations);
      expect(v1.interfaces).toEqual(v2.interfaces);
      expect(v1.ssids).toEqual(v2.ssids);
    }
  });

  it('an unknown community is a failed poll with cause, not an exception', async () => {
    const r = await pollSnmpDevice(client, {
      deviceId: 'x', address: agent.host, vendor: null, pollIntervalS: 60,
      snmp: { community: 'nobody', port: agent.port, version: '2c' }, routeros: null,
    }, { timeoutMs: 100, retries: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe('timeout');
  });
});
