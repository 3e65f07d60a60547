import { describe, expect, it } from 'vitest';
import { detectVendor, VENDOR_PROBES } from '../../../collectors/drivers/index.ts';

describe('detectVendor', () => {
  it.each([
    { objectId: '1.3.6.1.4.1.14988.1', descr: 'router', expected: 'mikrotik' },
    { objectId: '1.3.6.1.4.1.8072.3.2.10', descr: 'RouterOS CCR1009', expected: 'mikrotik' },
    { objectId: '1.3.6.1.4.1.25053.3.1.11.1', descr: 'SmartZone', expected: 'ruckus' },
    { objectId: '1.3.6.1.4.1.17713.21', descr: 'Cambium ePMP', expected: 'cambium' },
    { objectId: '1.3.6.1.4.1.11863.5.190', descr: 'Omada 18-Port Gigabit Smart Switch', expected: 'tplink' },
    { objectId: '1.3.6.1.4.1.8072.3.2.10', descr: 'UAP-nanoHD 5.43.36.12724', expected: 'ubiquiti-unifi' },
    { objectId: '1.3.6.1.4.1.10002.1', descr: 'Linux 3.3.8', probes: [VENDOR_PROBES.unifi], expected: 'ubiquiti-unifi' },
    { objectId: '1.3.6.1.4.1.10002.1', descr: 'Linux 2.6.32', probes: [VENDOR_PROBES.airmax], expected: 'ubiquiti-airos' },
    { objectId: '1.3.6.1.4.1.8072.3.2.10', descr: 'Linux host', expected: 'generic' },
    { objectId: null, descr: null, expected: 'generic' },
  ])('$objectId / $descr => $expected', ({ objectId, descr, probes, expected }) => {
    expect(detectVendor({ objectId, descr, presentSubtrees: probes })).toBe(expected);
  });
});
