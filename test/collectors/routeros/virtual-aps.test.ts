/**
 * Virtual APs over the RouterOS API (both transports' wire protocol, the fake router): a wireless interface with a
 * `master-interface` is another SSID of its master's radio, not a radio of its own, in the SSID figures and in the
 * interface roles; the same on a v7 router whose radios are in the wifi package (`configuration.ssid`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { assignRoles } from '../../../core/interface-roles.ts';
import { pollRouterOsDevice } from '../../../collectors/routeros/poll-device.ts';
import type { PollResult } from '../../../core/observations.ts';
import { startRig, type Rig } from './fixtures.ts';

const station = (iface: string, n: number, extra: Record<string, string> = {}): Record<string, string> => ({
  '.id': `*${n}`, interface: iface, 'mac-address': `AA:BB:CC:00:10:0${n}`, 'signal-strength': '-60', signal: '-60', ...extra,
});

function ok(r: PollResult): Extract<PollResult, { ok: true }> {
  if (!r.ok) throw new Error(`poll failed: ${JSON.stringify(r.error)}`);
  return r;
}

describe('RouterOS virtual APs', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('counts a virtual AP as an SSID of its master radio, not as a radio (wireless package)', async () => {
    rig = await startRig({
      transport: 'native', tls: false, host: '127.0.0.13',
      router: {
        state: {
          interfaces: [
            { '.id': '*1', name: 'ether1', type: 'ether', running: 'true', disabled: 'false', 'rx-byte': '10', 'tx-byte': '20' },
            { '.id': '*A', name: 'wlan1', type: 'wlan', running: 'true', disabled: 'false', 'rx-byte': '1000', 'tx-byte': '2000' },
            { '.id': '*B', name: 'wlan2', type: 'wlan', running: 'true', disabled: 'false', 'rx-byte': '300', 'tx-byte': '400' },
          ],
          wirelessInterfaces: [
            { '.id': '*A', name: 'wlan1', ssid: 'Cilegon-WiFi', 'interface-type': 'Atheros AR9300' },
            { '.id': '*B', name: 'wlan2', ssid: 'Cilegon-WiFi-Tamu', 'master-interface': 'wlan1', 'interface-type': 'virtual' },
          ],
          wirelessRegistrations: [station('wlan1', 1), station('wlan1', 2), station('wlan2', 3)],
        },
      },
    });
    const r = ok(await pollRouterOsDevice(rig.pool, rig.target));
    expect(r.ssids).toEqual(expect.arrayContaining([
      { ssid: 'Cilegon-WiFi', radio: 'wlan1', clients: 2 },
      { ssid: 'Cilegon-WiFi-Tamu', radio: 'wlan1', clients: 1 },
    ]));
    expect(r.ssids).toHaveLength(2);
    // One radio, two SSIDs.
    expect(new Set(r.ssids.map((s) => s.radio))).toEqual(new Set(['wlan1']));
    expect(r.clients).toBe(3);
    // The virtual AP is typed wlan like its radio, but travels as virtual: its bytes are not added to the radio's.
    expect(r.interfaces.find((i) => i.name === 'wlan2')?.role).toBe('virtual');
    expect(r.interfaces.find((i) => i.name === 'wlan1')?.role).toBeUndefined();
    expect(assignRoles(r.interfaces.map((i) => ({ name: i.name, ifType: i.ifType ?? null })))[1]).toBe('physical');
  });

  it('does the same for the v7 wifi package (configuration.ssid), and without the menus keeps interface names', async () => {
    rig = await startRig({
      transport: 'native', tls: false, host: '127.0.0.14',
      router: {
        state: {
          wirelessRegistrations: [],
          wifiInterfaces: [
            { '.id': '*1', name: 'wifi1', 'configuration.ssid': 'Banten-Gratis' },
            { '.id': '*2', name: 'wifi3', 'configuration.ssid': 'Banten-Sekolah', 'master-interface': 'wifi1' },
          ],
          wifiRegistrations: [station('wifi1', 1), station('wifi3', 2), station('wifi3', 3)],
          missingMenus: ['/interface/wireless'],
        },
      },
    });
    const r = ok(await pollRouterOsDevice(rig.pool, rig.target));
    expect(r.ssids).toEqual(expect.arrayContaining([
      { ssid: 'Banten-Gratis', radio: 'wifi1', clients: 1 },
      { ssid: 'Banten-Sekolah', radio: 'wifi1', clients: 2 },
    ]));
    expect(r.ssids).toHaveLength(2);
  });
});
