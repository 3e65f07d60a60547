import { describe, expect, it } from 'vitest';
import { asBigInt, asMac, asNumber, asText } from '../../../collectors/snmp/values.ts';
import { SnmpType } from '../../../collectors/snmp/types.ts';
import type { Varbind } from '../../../collectors/snmp/types.ts';

const vb = (type: number, value: Varbind['value']): Varbind => ({ oid: '1.3.6.1', type, value });

describe('varbind value readers', () => {
  it('never rounds a Counter64: asBigInt is exact, asNumber refuses values above 2^53', () => {
    const big = vb(SnmpType.Counter64, 2n ** 53n + 1n);
    expect(asBigInt(big)).toBe(9007199254740993n);
    expect(asNumber(big)).toBeNull();
    expect(asNumber(vb(SnmpType.Counter64, 12345n))).toBe(12345);
    expect(asBigInt(vb(SnmpType.Counter32, 4294967295))).toBe(4294967295n);
  });

  it('reads MACs from raw bytes and text from OctetStrings', () => {
    expect(asMac(vb(SnmpType.OctetString, Buffer.from('04d6aaa80ed3', 'hex')))).toBe('04:d6:aa:a8:0e:d3');
    expect(asMac(vb(SnmpType.OctetString, Buffer.from('abc')))).toBeNull();
    expect(asText(vb(SnmpType.OctetString, Buffer.from('Main SSID\0')))).toBe('Main SSID');
    expect(asText(undefined)).toBeNull();
  });
});
