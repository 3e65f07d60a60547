/** Pool life cycle and poll assembly details that do not depend on the transport. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pollRouterOsDevice } from '../../../collectors/routeros/poll-device.ts';
import { startRig, type Rig } from './fixtures.ts';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('RouterOS pool', () => {
  let rig: Rig;
  beforeEach(async () => {
    rig = await startRig({ transport: 'native', tls: false, host: '127.0.0.10', pool: { idleCloseMs: 200 }, router: { extraUsers: [{ name: 'portal', password: 'portal-pw' }] } });
  });
  afterEach(async () => {
    await rig.close();
  });

  it('closes sessions left idle, and opens a new one on the next command', async () => {
    await rig.pool.run(rig.endpoint, { command: '/system/identity/print' });
    expect(rig.pool.stats().sessionsOpen).toBe(1);
    const deadline = Date.now() + 3_000;
    while (rig.router.stats.sessionsOpen > 0 && Date.now() < deadline) await sleep(50);
    expect(rig.router.stats.sessionsOpen).toBe(0);
    expect(rig.pool.stats().sessionsOpen).toBe(0);
    expect((await rig.pool.run(rig.endpoint, { command: '/system/identity/print' })).rows[0]?.name).toBe(rig.router.state.identity);
    expect(rig.router.stats.connections).toBe(2);
  });

  it('shares the two-session cap of a router between different credentials (poller and portal accounts)', async () => {
    const portal = { ...rig.endpoint, username: 'portal', password: 'portal-pw' };
    const runs = [
      ...Array.from({ length: 12 }, () => rig.pool.run(rig.endpoint, { command: '/interface/print', proplist: ['name'] })),
      ...Array.from({ length: 12 }, () => rig.pool.run(portal, { command: '/ip/hotspot/user/print', proplist: ['name'] })),
    ];
    const replies = await Promise.all(runs);
    expect(replies).toHaveLength(24);
    expect(rig.router.stats.peakSessions).toBeLessThanOrEqual(2);
    expect(rig.router.stats.loginsOk).toBeGreaterThanOrEqual(2);
    // A changed password logs in anew instead of riding on the old session.
    await expect(rig.pool.run({ ...portal, password: 'old' }, { command: '/system/identity/print' })).rejects.toMatchObject({ kind: 'auth' });
  });

  it('rejects commands after close with kind closed', async () => {
    await rig.pool.close();
    await expect(rig.pool.run(rig.endpoint, { command: '/system/identity/print' })).rejects.toMatchObject({ kind: 'closed' });
  });

  it('a poll of some resources sends only their commands', async () => {
    const result = await pollRouterOsDevice(rig.pool, rig.target, { resources: ['interfaces', 'hotspotActive'] });
    expect(result).toMatchObject({ ok: true, stations: [], clients: rig.router.state.hotspotActive.length });
    expect(rig.router.stats.commands.map((c) => c.command).sort()).toEqual(['/interface/print', '/ip/hotspot/active/print']);
  });

  it('a device without RouterOS credentials is a config failure, not an exception', async () => {
    const result = await pollRouterOsDevice(rig.pool, { ...rig.target, routeros: null });
    expect(result).toMatchObject({ ok: false, error: { kind: 'config' } });
  });

  it('stamps the poll with the injected clock', async () => {
    let t = 1_000;
    const result = await pollRouterOsDevice(rig.pool, rig.target, { nowMs: () => (t += 5) });
    expect(result).toMatchObject({ startedAtMs: 1_005, durationMs: 5 });
  });
});
