/** The interface-role rules and a device's choice of what its totals add (core/interface-roles.ts), on their own. */
import { describe, expect, it } from 'vitest';
import {
  assignRoles, countsInTotals, formatTrafficSelection, ifTypeOfRouterOsType, parseTrafficSelectionText, trafficSelection,
} from '../../core/interface-roles.ts';
import { rateSample } from '../../core/samples/rates.ts';
import type { InterfaceSample, PollSuccess } from '../../core/observations.ts';

describe('interface roles', () => {
  it('names without ifType (RouterOS API): ports and radios physical, the rest virtual', () => {
    const names = ['ether1', 'ether2', 'sfp-sfpplus1', 'wlan1', 'bridge', 'vlan100', 'ether1.20', 'pppoe-out1', 'l2tp-in1', 'ovpn-out1', 'gre-tunnel1', 'wg0', 'lo', 'bond1', 'wlan1-1'];
    expect(assignRoles(names.map((name) => ({ name })))).toEqual([
      'physical', 'physical', 'physical', 'physical', 'virtual', 'virtual', 'virtual', 'virtual', 'virtual', 'virtual', 'virtual', 'virtual', 'virtual', 'virtual', 'virtual',
    ]);
  });

  it('the uplink: a name or alias that says so, else the only wired port of an access point', () => {
    expect(assignRoles([{ name: 'ether1', alias: 'Uplink ke ISP' }, { name: 'ether2' }])).toEqual(['uplink', 'physical']);
    expect(assignRoles([{ name: 'eth0', ifType: 6 }, { name: 'wifi0', ifType: 71 }, { name: 'wifi1', ifType: 71 }])).toEqual(['uplink', 'physical', 'physical']);
    // A switch of several ports with no word for it has no uplink found: all its ports are physical.
    expect(assignRoles([{ name: 'ge1', ifType: 6 }, { name: 'ge2', ifType: 6 }])).toEqual(['physical', 'physical']);
  });

  it('a vendor mark makes a virtual AP whatever its type; ifType other is a port only when named like one', () => {
    expect(assignRoles([{ name: 'wlan3', ifType: 71, vendorVirtual: true }])).toEqual(['virtual']);
    expect(assignRoles([{ name: 'teql0', ifType: 1 }, { name: 'wifi0', ifType: 1 }, { name: 'eth9', ifType: 1 }, { name: 'mystery', ifType: 1 }]))
      .toEqual(['virtual', 'physical', 'uplink', 'virtual']);
  });

  it('RouterOS API types read as the ifType SNMP would give: a bridge renamed LAN stays a bridge', () => {
    const rows = [['ether1', 'ether'], ['LAN', 'bridge'], ['guest', 'vlan'], ['ke-ISP', 'pppoe-out'], ['kantor', 'eoip-tunnel'], ['wlan1', 'wlan'], ['sstp-kantor', 'sstp-client']] as const;
    const facts = rows.map(([name, type]) => ({ name, ifType: ifTypeOfRouterOsType(type) }));
    expect(facts.map((f) => f.ifType)).toEqual([6, 209, 135, 23, 131, 71, 23]);
    // ether1 is the only wired port left once the bridge, VLAN and tunnels are set apart: the uplink.
    expect(assignRoles(facts)).toEqual(['uplink', 'virtual', 'virtual', 'virtual', 'virtual', 'physical', 'virtual']);
    expect(ifTypeOfRouterOsType('lte')).toBeNull();
  });

  it('a selection counts roles or exact names; null counts physical and uplink', () => {
    expect(countsInTotals({ name: 'x', role: 'uplink' }, null)).toBe(true);
    expect(countsInTotals({ name: 'x', role: 'virtual' }, null)).toBe(false);
    expect(countsInTotals({ name: 'pppoe-out1', role: 'virtual' }, { names: ['pppoe-out1'] })).toBe(true);
    expect(countsInTotals({ name: 'ether2', role: 'physical' }, { roles: ['uplink'] })).toBe(false);
  });

  it('the CSV text form reads and writes roles and names, and a name like a role keeps its prefix', () => {
    expect(parseTrafficSelectionText(' uplink ; ether5 ;')).toEqual({ roles: ['uplink'], names: ['ether5'] });
    expect(parseTrafficSelectionText('')).toBeNull();
    expect(parseTrafficSelectionText('name:uplink')).toEqual({ names: ['uplink'] });
    expect(formatTrafficSelection({ roles: ['physical'], names: ['uplink', 'sfp1'] })).toBe('physical;name:uplink;sfp1');
    expect(trafficSelection.safeParse({ roles: ['uplink', 'uplink'] }).success).toBe(false);
  });

  it('rateSample totals only what counts, and reports every interface with its role', () => {
    const iface = (index: number, name: string, octets: bigint): InterfaceSample => ({ index, name, operUp: true, inOctets: octets, outOctets: octets, counterBits: 64, speedBps: null });
    const poll = (atMs: number, k: bigint): PollSuccess => ({
      ok: true, deviceId: 'd', startedAtMs: atMs, durationMs: 1,
      system: { uptimeS: atMs / 1000, descr: null, objectId: null, name: null, version: null, cpuLoadPct: null, memFreeBytes: null },
      interfaces: [iface(1, 'ether1', 1000n * k), iface(2, 'bridge1', 1000n * k), iface(3, 'vlan5', 1000n * k)],
      ssids: [], stations: [], hotspotActive: [], clients: null,
    });
    const r = rateSample(poll(60_000, 1n), poll(120_000, 2n));
    expect(r?.inBytes).toBe(1000n);
    expect(r?.interfaces.map((i) => [i.name, i.role, i.counted, i.inBytes])).toEqual([
      ['ether1', 'uplink', true, 1000n], ['bridge1', 'virtual', false, 1000n], ['vlan5', 'virtual', false, 1000n],
    ]);
    expect(rateSample(poll(60_000, 1n), poll(120_000, 2n), { roles: ['virtual'] })?.inBytes).toBe(2000n);
  });
});
