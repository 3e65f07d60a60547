/**
 * The RouterOS client stack against the fake router over loopback, for both transports (our native session and the
 * hardened node-routeros wrapper), plain and API-SSL: a good poll, then every fault the router can throw at us. Each
 * fault must become a typed error (or a PollFailure with its cause), never an uncaught exception, and the next poll
 * must work again.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRouterOsPool } from '../../../collectors/routeros/pool.ts';
import { pollRouterOsDevice } from '../../../collectors/routeros/poll-device.ts';
import { RouterOSError } from '../../../collectors/routeros/errors.ts';
import type { CommandFault } from '../../peers/routeros/fake-router.ts';
import { startFakeRouter } from '../../peers/routeros/fake-router.ts';
import { drainTurns, waitUntil } from '../../helpers/wait.ts';
import { startRig, targetOf, TRANSPORTS, type Rig } from './fixtures.ts';

const escaped: unknown[] = [];
const record = (err: unknown): void => {
  escaped.push(err);
};
beforeAll(() => {
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
});
afterAll(() => {
  process.off('uncaughtException', record);
  process.off('unhandledRejection', record);
});


describe.each(TRANSPORTS)('RouterOS over $transport (tls: $tls)', ({ transport, tls }) => {
  let rig: Rig;
  beforeEach(async () => {
    escaped.length = 0;
    rig = await startRig({ transport, tls });
  });
  afterEach(async () => {
    await rig.close();
    // Let the sockets' last events fire while the listeners still watch: every session closed on both ends.
    await waitUntil(() => rig.router.stats.sessionsOpen === 0 && rig.pool.stats().sessionsOpen === 0, 'sessions to close');
    await drainTurns();
    expect(escaped).toEqual([]);
  });

  it('polls system, interfaces, stations and hotspot users, asking only for the fields it needs', async () => {
    const { router } = rig;
    const result = await pollRouterOsDevice(rig.pool, rig.target);
    if (!result.ok) throw new Error(`poll failed: ${result.error.message}`);
    expect(result.system.name).toBe(router.state.identity);
    expect(result.system.version).toBe(router.state.resource.version);
    expect(result.system.cpuLoadPct).toBe(Number(router.state.resource['cpu-load']));
    expect(result.interfaces.map((i) => [i.name, i.inOctets, i.outOctets, i.operUp])).toEqual(
      router.state.interfaces.map((r) => [r.name, BigInt(r['rx-byte']!), BigInt(r['tx-byte']!), r.running === 'true']),
    );
    expect(result.stations.map((s) => s.mac)).toEqual(router.state.wirelessRegistrations.map((r) => r['mac-address']!.toLowerCase()));
    expect(result.hotspotActive.map((h) => [h.user, h.address])).toEqual(router.state.hotspotActive.map((r) => [r.user, r.address]));
    expect(result.clients).toBe(router.state.wirelessRegistrations.length);
    const prints = router.stats.commands.filter((c) => c.command.endsWith('/print'));
    expect(prints.length).toBeGreaterThanOrEqual(6);
    for (const c of prints) expect(c.words.some((w) => w.startsWith('=.proplist='))).toBe(true);
    expect(router.stats.peakSessions).toBeLessThanOrEqual(2);
  });

  it('reads !empty (RouterOS 7.18+) as an empty table', async () => {
    rig.router.faults.emptyReplies = true;
    rig.router.state.hotspotActive.length = 0;
    rig.router.state.wirelessRegistrations.length = 0;
    const reply = await rig.pool.run(rig.endpoint, { command: '/ip/hotspot/active/print' });
    expect(reply).toMatchObject({ rows: [], empty: true });
    const result = await pollRouterOsDevice(rig.pool, rig.target);
    expect(result).toMatchObject({ ok: true, hotspotActive: [], stations: [], clients: 0 });
  });

  it('polls a router without the wireless packages (their menus trap)', async () => {
    rig.router.state.missingMenus = ['/interface/wireless', '/interface/wifi'];
    const result = await pollRouterOsDevice(rig.pool, rig.target);
    expect(result).toMatchObject({ ok: true, stations: [], ssids: [] });
  });

  it('keeps the !trap category and message', async () => {
    rig.router.faults.commands['/interface/print'] = 'trap';
    const err = await rig.pool.run(rig.endpoint, { command: '/interface/print' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RouterOSError);
    expect(err).toMatchObject({ kind: 'trap', category: 2 });
    expect((err as Error).message).toMatch(/interrupted/);
  });

  const faults: Array<[CommandFault, string, string]> = [
    ['garbage', 'malformed', 'malformed'],
    ['garbage-words', 'malformed', 'malformed'],
    ['huge-word', 'malformed', 'malformed'],
    ['unknown-reply', 'protocol', 'protocol'],
    ['untagged', 'protocol', 'protocol'],
    ['tag-done-only', 'protocol', 'protocol'],
    ['wrong-tag', 'protocol', 'protocol'],
    ['close-mid-reply', 'closed', 'unreachable'],
    ['reset', 'closed', 'unreachable'],
    ['silent', 'timeout', 'timeout'],
    ['fatal', 'fatal', 'protocol'],
  ];
  it.each(faults)('%s -> RouterOSError %s, poll error %s, then recovers', async (fault, kind, pollKind) => {
    const { router } = rig;
    router.faults.commands['/interface/print'] = fault;
    const err = await rig.pool.run(rig.endpoint, { command: '/interface/print' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RouterOSError);
    expect((err as RouterOSError).kind).toBe(kind);
    // A peer that leaves replies untagged (all, or all but the final !done) is named for what it does.
    if (fault === 'untagged' || fault === 'tag-done-only') {
      expect((err as Error).message).toMatch(/does not tag its replies/);
      expect((err as Error).message).not.toMatch(/!re without a \.tag/);
    }
    const failed = await pollRouterOsDevice(rig.pool, rig.target);
    expect(failed).toMatchObject({ ok: false, error: { kind: pollKind } });
    delete router.faults.commands['/interface/print'];
    const again = await pollRouterOsDevice(rig.pool, rig.target);
    expect(again.ok).toBe(true);
    // The router may still hold the dead session for a moment; what we hold at once never exceeds two.
    expect(rig.pool.stats().peakSessionsPerRouter).toBeLessThanOrEqual(2);
  });

  it('a wrong password is an auth error', async () => {
    const result = await pollRouterOsDevice(rig.pool, targetOf(rig.router, { password: 'salah' }));
    expect(result).toMatchObject({ ok: false, error: { kind: 'auth' } });
    expect(rig.router.stats.loginsFailed).toBeGreaterThan(0);
  });

  it('logs in to a router older than 6.43 (MD5 challenge), and fails cleanly with a wrong password there', async () => {
    rig.router.faults.legacyLogin = true;
    expect((await pollRouterOsDevice(rig.pool, rig.target)).ok).toBe(true);
    const wrong = await pollRouterOsDevice(rig.pool, targetOf(rig.router, { password: 'salah' }));
    expect(wrong).toMatchObject({ ok: false, error: { kind: 'auth' } });
  });

  it('a closed port is refused', async () => {
    const gone = await startFakeRouter({ host: '127.0.0.4', tls });
    const port = gone.port;
    await gone.close();
    const result = await pollRouterOsDevice(rig.pool, { ...targetOf(gone), routeros: { ...targetOf(gone).routeros!, port } });
    expect(result).toMatchObject({ ok: false, error: { kind: 'refused' } });
  });

  it('a router that accepts and never speaks times out within the deadline', async () => {
    rig.router.faults.silentOnAccept = true;
    // The deadline is the pool's (connect 1 s, command 600 ms); a marker timer set now at well past both must still
    // be pending when the poll gives up (timers of one process fire in deadline order, however loaded the machine).
    let markerFired = false;
    const marker = setTimeout(() => (markerFired = true), 2_500);
    const result = await pollRouterOsDevice(rig.pool, rig.target);
    clearTimeout(marker);
    expect(result).toMatchObject({ ok: false, error: { kind: 'timeout' } });
    expect(markerFired).toBe(false);
  });

  it('slow replies inside the deadline succeed; beyond it they time out', async () => {
    rig.router.faults.replyDelayMs = 100;
    expect((await pollRouterOsDevice(rig.pool, rig.target)).ok).toBe(true);
    rig.router.faults.replyDelayMs = 900;
    const written = rig.router.stats.delayedRepliesWritten;
    const slow = await rig.pool.run(rig.endpoint, { command: '/interface/print', timeoutMs: 300 }).catch((e: unknown) => e);
    expect(slow).toMatchObject({ kind: 'timeout' });
    // Gave up before the 900 ms reply was even written (the router's timer is later in the same process's queue).
    expect(rig.router.stats.delayedRepliesWritten).toBe(written);
  });

  it('never opens more than two sessions per router, however many commands run at once', async () => {
    const runs = Array.from({ length: 40 }, () => rig.pool.run(rig.endpoint, { command: '/interface/print', proplist: ['name'] }));
    const replies = await Promise.all(runs);
    expect(replies.every((r) => r.rows.length === rig.router.state.interfaces.length)).toBe(true);
    expect(rig.router.stats.peakSessions).toBeLessThanOrEqual(2);
    expect(rig.pool.stats().peakSessionsPerRouter).toBeLessThanOrEqual(2);
  });

  it('works with a router that allows a single API session', async () => {
    rig.router.faults.maxSessions = 1;
    const replies = await Promise.all(Array.from({ length: 10 }, () => rig.pool.run(rig.endpoint, { command: '/system/identity/print' })));
    expect(replies.every((r) => r.rows[0]?.name === rig.router.state.identity)).toBe(true);
    expect(rig.router.stats.peakSessions).toBe(1);
  });

  it('detects a half-open session with its keepalive probe and reconnects', async () => {
    const pool = createRouterOsPool({
      transport,
      commandTimeoutMs: 300,
      keepaliveIntervalMs: 100,
      tlsOptions: rig.router.certPem === null ? undefined : { ca: rig.router.certPem },
    });
    try {
      expect((await pool.run(rig.endpoint, { command: '/interface/print' })).rows.length).toBeGreaterThan(0);
      expect(pool.stats().sessionsOpen).toBe(1);
      rig.router.faults.commands['/system/identity/print'] = 'silent'; // the probe goes unanswered, like a dead peer
      // The probe's own deadline ends the session: wait for that, not for a guessed time.
      await waitUntil(() => pool.stats().sessionsOpen === 0, 'the keepalive probe to drop the half-open session');
      delete rig.router.faults.commands['/system/identity/print'];
      expect((await pool.run(rig.endpoint, { command: '/interface/print' })).rows.length).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  });

  it('survives the router dropping every connection between polls', async () => {
    expect((await pollRouterOsDevice(rig.pool, rig.target)).ok).toBe(true);
    rig.router.dropConnections();
    // The pool has seen the reset (its session is gone) before the next poll.
    await waitUntil(() => rig.pool.stats().sessionsOpen === 0, 'the pool to see the dropped session');
    expect((await pollRouterOsDevice(rig.pool, rig.target)).ok).toBe(true);
  });
});

describe.each(TRANSPORTS.filter((t) => t.tls))('API-SSL over $transport', ({ transport }) => {
  it('refuses a certificate it does not trust', async () => {
    const rig = await startRig({ transport, tls: true });
    const pool = createRouterOsPool({ transport, connectTimeoutMs: 1_000 });
    try {
      const err = await pool.run(rig.endpoint, { command: '/interface/print' }).catch((e: unknown) => e);
      expect(err).toMatchObject({ kind: 'tls' });
      const ok = await rig.pool.run(rig.endpoint, { command: '/interface/print' });
      expect(ok.rows.length).toBe(rig.router.state.interfaces.length);
    } finally {
      await pool.close();
      await rig.close();
    }
    expect(escaped).toEqual([]);
  });
});
