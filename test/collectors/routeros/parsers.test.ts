import { describe, expect, it } from 'vitest';
import { parseHotspotActive } from '../../../collectors/routeros/hotspot-active.ts';
import { parseInterfaces } from '../../../collectors/routeros/interfaces.ts';
import { countClientsBySsid, parseWifiRegistrations, parseWirelessRegistrations } from '../../../collectors/routeros/registration-table.ts';
import { parseSystemIdentity } from '../../../collectors/routeros/system-identity.ts';
import { parseSystemResource } from '../../../collectors/routeros/system-resource.ts';

describe('system resource + identity', () => {
  it.each([
    [
      { uptime: '1w2d3h4m5s', 'cpu-load': '7', 'free-memory': '912965632', version: '7.18.2 (stable)', 'board-name': 'hAP ax^3' },
      { uptimeS: 788_645, cpuLoadPct: 7, memFreeBytes: 912_965_632, version: '7.18.2 (stable)', descr: 'RouterOS 7.18.2 (stable) hAP ax^3' },
    ],
    [{ uptime: '00:00:59', 'cpu-load': '100' }, { uptimeS: 59, cpuLoadPct: 100, memFreeBytes: null, version: null, descr: null }],
    [{}, { uptimeS: null, cpuLoadPct: null, memFreeBytes: null, version: null, descr: null }],
  ])('%j', (row, expected) => {
    expect(parseSystemResource([row], 'gw-1')).toMatchObject({ ...expected, name: 'gw-1', objectId: null });
  });

  it.each([[[{ name: 'rw03' }], 'rw03'], [[{ name: '  ' }], null], [[], null]])('identity %j -> %j', (rows, name) => {
    expect(parseSystemIdentity(rows)).toBe(name);
  });
});

describe('interfaces', () => {
  it('reads 64-bit counters as bigint without precision loss, running as operUp, .id as index', () => {
    const got = parseInterfaces([
      { '.id': '*1', name: 'ether1', running: 'true', 'rx-byte': '18446744073709551000', 'tx-byte': '9007199254740993' },
      { '.id': '*1A', name: 'wlan1', running: 'false', 'rx-byte': '0', 'tx-byte': '5' },
      { name: 'odd', 'rx-byte': 'n/a' },
    ]);
    expect(got).toEqual([
      { index: 1, name: 'ether1', operUp: true, inOctets: 18446744073709551000n, outOctets: 9007199254740993n, counterBits: 64, speedBps: null },
      { index: 26, name: 'wlan1', operUp: false, inOctets: 0n, outOctets: 5n, counterBits: 64, speedBps: null },
      { index: 3, name: 'odd', operUp: null, inOctets: null, outOctets: null, counterBits: 64, speedBps: null },
    ]);
  });
});

describe('registration tables', () => {
  it.each([
    [{ interface: 'wlan1', 'mac-address': 'AA:BB:CC:00:00:01', 'signal-strength': '-67@6Mbps' }, { mac: 'aa:bb:cc:00:00:01', iface: 'wlan1', signalDbm: -67 }],
    [{ interface: 'wlan2', 'mac-address': 'AA:BB:CC:00:00:02', 'signal-strength': '-71' }, { mac: 'aa:bb:cc:00:00:02', iface: 'wlan2', signalDbm: -71 }],
    [{ 'mac-address': 'AA:BB:CC:00:00:03' }, { mac: 'aa:bb:cc:00:00:03', iface: null, signalDbm: null }],
  ])('wireless %j', (row, station) => {
    expect(parseWirelessRegistrations([row])).toEqual([station]);
  });

  it('wifi (v7) uses `signal`, skips rows without a valid MAC, and counts per SSID', () => {
    const wifi = [
      { interface: 'wifi1', 'mac-address': '11:22:33:44:55:66', signal: '-58', ssid: 'Cilegon-Free' },
      { interface: 'wifi2', 'mac-address': '11:22:33:44:55:67', signal: '-80', ssid: 'Cilegon-Free' },
      { interface: 'wifi1', 'mac-address': 'garbage', signal: '-10', ssid: 'Cilegon-Free' },
    ];
    expect(parseWifiRegistrations(wifi)).toEqual([
      { mac: '11:22:33:44:55:66', iface: 'wifi1', signalDbm: -58 },
      { mac: '11:22:33:44:55:67', iface: 'wifi2', signalDbm: -80 },
    ]);
    expect(countClientsBySsid([{ interface: 'wlan1', 'mac-address': 'AA:BB:CC:00:00:01' }], wifi)).toEqual([
      { ssid: 'wlan1', radio: 'wlan1', clients: 1 },
      { ssid: 'Cilegon-Free', radio: 'wifi1', clients: 1 },
      { ssid: 'Cilegon-Free', radio: 'wifi2', clients: 1 },
    ]);
  });
});

describe('hotspot active', () => {
  it.each([
    [
      { user: 'warga-0812', address: '10.5.50.10', 'mac-address': 'AA:BB:CC:00:00:01', uptime: '1h2m3s', 'bytes-in': '1048576', 'bytes-out': '52428800' },
      [{ user: 'warga-0812', address: '10.5.50.10', mac: 'aa:bb:cc:00:00:01', uptimeS: 3_723, bytesIn: 1_048_576n, bytesOut: 52_428_800n }],
    ],
    [{ address: '10.5.50.11', uptime: 'bogus' }, [{ user: '', address: '10.5.50.11', mac: null, uptimeS: 0, bytesIn: 0n, bytesOut: 0n }]],
    [{ user: 'no-address' }, []],
  ])('%j', (row, expected) => {
    expect(parseHotspotActive([row])).toEqual(expected);
  });
});
