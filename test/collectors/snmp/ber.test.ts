import { describe, expect, it } from 'vitest';
import { BerError, decodeMessage, encodeMessage } from '../../../collectors/snmp/ber.ts';
import { PduTag, SnmpType } from '../../../collectors/snmp/types.ts';

const response = (): Buffer =>
  encodeMessage({
    version: 1,
    community: Buffer.from('public'),
    pduTag: PduTag.Response,
    requestId: 123456789,
    errorStatus: 0,
    errorIndex: 0,
    varbinds: [
      { oid: '1.3.6.1.2.1.1.3.0', type: SnmpType.TimeTicks, value: 4294967295 },
      { oid: '1.3.6.1.2.1.31.1.1.1.6.1', type: SnmpType.Counter64, value: 18446744073709551615n },
      { oid: '1.3.6.1.2.1.31.1.1.1.6.2', type: SnmpType.Counter64, value: 9007199254740993n },
      { oid: '1.3.6.1.4.1.14988.1.1.1.2.1.3.0.39.16.50.237.96.9', type: SnmpType.Integer, value: -63 },
      { oid: '1.3.6.1.2.1.2.2.1.6.1', type: SnmpType.OctetString, value: Buffer.from('000456ab43ba', 'hex') },
      { oid: '1.3.6.1.2.1.1.2.0', type: SnmpType.ObjectIdentifier, value: '1.3.6.1.4.1.14988.1' },
      { oid: '1.3.6.1.2.1.4.20.1.1.10.0.0.1', type: SnmpType.IpAddress, value: '10.0.0.1' },
      { oid: '1.3.6.1.2.1.1.9.0', type: SnmpType.NoSuchObject, value: null },
      { oid: '1.3.6.1.2.1.1.1.0', type: SnmpType.OctetString, value: Buffer.alloc(300, 0x41) },
    ],
  });

describe('BER codec', () => {
  it('round-trips every value type, Counter64 above 2^53 exactly', () => {
    const msg = decodeMessage(response());
    expect(msg.requestId).toBe(123456789);
    expect(msg.community.toString()).toBe('public');
    const [ticks, c64max, c64odd, signal, mac, oid, ip, missing, long] = msg.varbinds;
    expect(ticks?.value).toBe(4294967295);
    expect(c64max?.value).toBe(18446744073709551615n);
    expect(c64odd?.value).toBe(9007199254740993n);
    expect(signal?.value).toBe(-63);
    expect(signal?.oid).toBe('1.3.6.1.4.1.14988.1.1.1.2.1.3.0.39.16.50.237.96.9');
    expect((mac?.value as Buffer).toString('hex')).toBe('000456ab43ba');
    expect(oid?.value).toBe('1.3.6.1.4.1.14988.1');
    expect(ip?.value).toBe('10.0.0.1');
    expect(missing?.type).toBe(SnmpType.NoSuchObject);
    expect((long?.value as Buffer).length).toBe(300);
  });

  it('encodes GetBulkRequest with non-repeaters and max-repetitions in the error slots', () => {
    const buf = encodeMessage({
      version: 1, community: Buffer.from('c'), pduTag: PduTag.GetBulkRequest, requestId: 7, errorStatus: 0, errorIndex: 25,
      varbinds: [{ oid: '1.3.6.1.2.1.2.2', type: SnmpType.Null, value: null }],
    });
    const msg = decodeMessage(buf);
    expect(msg.pduTag).toBe(0xa5);
    expect(msg.errorStatus).toBe(0);
    expect(msg.errorIndex).toBe(25);
  });

  it('rejects every truncation of a valid datagram and trailing garbage, never returning a partial message', () => {
    const full = response();
    for (let n = 0; n < full.length; n++) {
      expect(() => decodeMessage(full.subarray(0, n)), `length ${n}`).toThrow(BerError);
    }
    expect(() => decodeMessage(Buffer.concat([full, Buffer.from([0])]))).toThrow(BerError);
  });

  it('survives random bytes without throwing anything but BerError', () => {
    let seed = 42;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed);
    const full = response();
    for (let i = 0; i < 2000; i++) {
      const b = Buffer.from(full);
      for (let k = 0; k < 4; k++) b[rand() % b.length] = rand() & 0xff;
      try {
        decodeMessage(b);
      } catch (err) {
        expect(err).toBeInstanceOf(BerError);
      }
    }
  });
});

describe('encodeRequest', () => {
  it('produces the same bytes as encodeMessage with NULL varbinds', async () => {
    const { encodeRequest } = await import('../../../collectors/snmp/ber.ts');
    const oids = ['1.3.6.1.2.1.1.3.0', '1.3.6.1.4.1.14988.1.1.1.2.1.3.0.39.16.50.237.96.9', '1.3.6.1.2.1.31.1.1.1.6'];
    for (const [id, a, b] of [[1, 0, 0], [2147483646, 0, 50], [300, 5, 1000]] as const) {
      const viaMessage = encodeMessage({ version: 1, community: Buffer.from('public'), pduTag: PduTag.GetBulkRequest, requestId: id, errorStatus: a, errorIndex: b,
        varbinds: oids.map((oid) => ({ oid, type: SnmpType.Null, value: null })) });
      expect(encodeRequest(1, Buffer.from('public'), PduTag.GetBulkRequest, id, a, b, oids).equals(viaMessage)).toBe(true);
    }
  });
});
