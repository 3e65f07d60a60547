/** Hotspot user management and direct login, as the captive portal uses them, against the fake router's state. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hotspotActiveLogin, removeHotspotUser, upsertHotspotUser } from '../../../collectors/routeros/hotspot-users.ts';
import { RouterOSError } from '../../../collectors/routeros/errors.ts';
import { startRig, TRANSPORTS, type Rig } from './fixtures.ts';

describe.each(TRANSPORTS)('hotspot users over $transport (tls: $tls)', ({ transport, tls }) => {
  let rig: Rig;
  beforeEach(async () => {
    rig = await startRig({ transport, tls, host: '127.0.0.5' });
  });
  afterEach(async () => {
    await rig.close();
  });

  it('adds a user with limits, then updates the same user instead of duplicating it', async () => {
    const created = await upsertHotspotUser(rig.pool, rig.endpoint, {
      name: 'otp-081234567890',
      password: 'k9x2',
      profile: 'gratis-2jam',
      limitUptimeS: 7_200,
      limitBytesTotal: 1_073_741_824n,
      macAddress: 'aa:bb:cc:dd:ee:01',
    });
    expect(created.created).toBe(true);
    expect(rig.router.hotspotUser('otp-081234567890')).toMatchObject({
      '.id': created.id,
      password: 'k9x2',
      profile: 'gratis-2jam',
      'limit-uptime': '2h',
      'limit-bytes-total': '1073741824',
      'mac-address': 'AA:BB:CC:DD:EE:01',
    });
    const updated = await upsertHotspotUser(rig.pool, rig.endpoint, { name: 'otp-081234567890', password: 'z7q1' });
    expect(updated).toEqual({ id: created.id, created: false });
    expect(rig.router.state.hotspotUsers.filter((u) => u.name === 'otp-081234567890')).toHaveLength(1);
    expect(rig.router.hotspotUser('otp-081234567890')?.password).toBe('z7q1');
  });

  it('removes a user, and says so when there was none', async () => {
    await upsertHotspotUser(rig.pool, rig.endpoint, { name: 'sementara', password: 'x' });
    expect(await removeHotspotUser(rig.pool, rig.endpoint, 'sementara')).toEqual({ removed: true });
    expect(rig.router.hotspotUser('sementara')).toBeUndefined();
    expect(await removeHotspotUser(rig.pool, rig.endpoint, 'sementara')).toEqual({ removed: false });
  });

  it('logs a host in directly; the router then lists it as active', async () => {
    await upsertHotspotUser(rig.pool, rig.endpoint, { name: 'voucher-7', password: 'v7' });
    await hotspotActiveLogin(rig.pool, rig.endpoint, { user: 'voucher-7', password: 'v7', macAddress: 'AA:BB:CC:DD:EE:07', ip: '10.5.50.77' });
    expect(rig.router.state.hotspotActive).toContainEqual(expect.objectContaining({ user: 'voucher-7', address: '10.5.50.77', 'mac-address': 'AA:BB:CC:DD:EE:07' }));
  });

  it('a wrong password comes back as the router\'s trap and changes nothing', async () => {
    const before = rig.router.state.hotspotActive.length;
    const err = await hotspotActiveLogin(rig.pool, rig.endpoint, { user: 'warga-0812', password: 'salah', macAddress: 'AA:BB:CC:DD:EE:08', ip: '10.5.50.78' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RouterOSError);
    expect(err).toMatchObject({ kind: 'trap' });
    expect((err as Error).message).toMatch(/invalid username or password/);
    expect(rig.router.state.hotspotActive).toHaveLength(before);
  });

  it.each([
    ['an IPv6 address', { user: 'u', password: 'p', macAddress: 'AA:BB:CC:DD:EE:09', ip: 'fe80::1' }],
    ['a bad MAC', { user: 'u', password: 'p', macAddress: 'not-a-mac', ip: '10.5.50.9' }],
    ['a control character in the user', { user: 'u\u0000x', password: 'p', macAddress: 'AA:BB:CC:DD:EE:09', ip: '10.5.50.9' }],
  ])('refuses %s before sending anything', async (_label, login) => {
    const sent = rig.router.stats.commands.length;
    await expect(hotspotActiveLogin(rig.pool, rig.endpoint, login)).rejects.toMatchObject({ kind: 'config' });
    expect(rig.router.stats.commands.length).toBe(sent);
  });
});
