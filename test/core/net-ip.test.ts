import { describe, expect, it } from 'vitest';
import { addressKind, clientAddressBehindProxies, parseCidr, parseIp } from '../../core/net/ip.ts';

describe('IP addresses, ranges and proxy hops', () => {
  it('parses IPv4 and IPv6 strictly, and reads IPv4-mapped IPv6 as IPv4', () => {
    expect(parseIp('10.1.2.3')).toEqual({ version: 4, value: 0x0a010203n });
    expect(parseIp('::ffff:127.0.0.1')).toEqual({ version: 4, value: 0x7f000001n });
    expect(parseIp('2001:db8::1')?.version).toBe(6);
    for (const bad of ['999.1.1.1', '01.2.3.4', '1.2.3', '-bad-', '1::2::3', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', '']) expect(parseIp(bad), bad).toBeNull();
  });

  it('names the kind of network of an address', () => {
    const kind = (s: string): string => addressKind(parseIp(s)!);
    expect(kind('169.254.169.254')).toBe('link-local');
    expect(kind('fe80::1')).toBe('link-local');
    expect(kind('127.0.0.5')).toBe('loopback');
    expect(kind('::1')).toBe('loopback');
    expect(kind('192.168.1.1')).toBe('private');
    expect(kind('0.0.0.0')).toBe('unspecified');
    expect(kind('255.255.255.255')).toBe('broadcast');
    expect(kind('8.8.8.8')).toBe('public');
  });

  it('takes the client from the right of X-Forwarded-For, stepping only over trusted proxies', () => {
    const trusted = [parseCidr('127.0.0.1/32')!, parseCidr('10.0.0.0/8')!];
    // The client wrote "6.6.6.6" itself; the proxy appended the real address.
    expect(clientAddressBehindProxies('127.0.0.1', '6.6.6.6, 203.0.113.9', trusted)).toBe('203.0.113.9');
    // Two trusted hops.
    expect(clientAddressBehindProxies('127.0.0.1', '6.6.6.6, 198.51.100.7, 10.0.0.5', trusted)).toBe('198.51.100.7');
    // A peer that is not a trusted proxy: its header is ignored.
    expect(clientAddressBehindProxies('198.51.100.1', '6.6.6.6', trusted)).toBe('198.51.100.1');
    // Garbage in the header stops the walk at the last hop that could be checked.
    expect(clientAddressBehindProxies('127.0.0.1', 'not-an-ip', trusted)).toBe('127.0.0.1');
    expect(parseCidr('1.2.3.4/33')).toBeNull();
  });
});

describe('device addresses', () => {
  it('accepts private, loopback and public literals and host names; refuses what no device can have', async () => {
    const { deviceAddressProblem } = await import('../../core/net/ip.ts');
    for (const ok of ['10.5.50.1', '127.77.0.3', '8.8.4.4', 'fe80::1', '2001:db8::2', 'ap-1.rw03.cilegon.local', 'router', 'gw.example.id.']) expect(deviceAddressProblem(ok), ok).toBeNull();
    for (const bad of ['0.0.0.0', '255.255.255.255', '224.0.0.1', '999.1.1.1', '10.0.0', '-bad-', 'a..b', 'host-.x', '::', '1.2.3.04'])
      expect(deviceAddressProblem(bad), bad).not.toBeNull();
  });
});
