/**
 * Faults injected by a real UDP peer (the snmprec responder): silence, garbage, truncated datagrams, a wrong
 * request-id, another community. Each becomes a typed error; the healthy devices polled at the same time are
 * answered on time; nothing escapes as an uncaught exception.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnmpClient, SnmpError } from '../../../collectors/snmp/index.ts';
import type { SnmpClient, SnmpTarget } from '../../../collectors/snmp/index.ts';
import { pollSnmpDevice } from '../../../collectors/drivers/index.ts';
import type { DeviceTarget } from '../../../core/observations.ts';
import { startSnmprecAgent } from '../../peers/snmp/snmprec-agent.ts';
import type { AgentFault, SnmprecAgent } from '../../peers/snmp/snmprec-agent.ts';
import { loadSnmprec } from '../../peers/snmp/snmprec.ts';
import { snmprecPath } from '../../peers/snmp/shared-data.ts';
import { waitUntil } from '../../helpers/wait.ts';

const FAULTS: Array<{ fault: AgentFault; kind: string }> = [
  { fault: 'silent', kind: 'timeout' },
  { fault: 'garbage', kind: 'malformed' },
  { fault: 'truncated', kind: 'malformed' },
  { fault: 'wrong-request-id', kind: 'protocol' },
  { fault: 'other-community', kind: 'auth' },
];

/** One agent (own loopback address) per faulty device: a fault is known per address, as for real devices. */
const faulty = new Map<AgentFault, SnmprecAgent>();
let healthy: SnmprecAgent;
let client: SnmpClient;
const uncaught: unknown[] = [];
const onUncaught = (err: unknown): void => {
  uncaught.push(err);
};

beforeAll(async () => {
  process.on('uncaughtException', onUncaught);
  const records = loadSnmprec(snmprecPath('routeros'));
  for (const [i, f] of FAULTS.entries()) {
    const agent = await startSnmprecAgent({ host: `127.0.3.${i + 1}`, port: 0, devices: { [f.fault]: { records } } });
    agent.setFault(f.fault, f.fault);
    faulty.set(f.fault, agent);
  }
  const healthyDevices: Record<string, { records: typeof records }> = {};
  for (let i = 0; i < 20; i++) healthyDevices[`ok${i}`] = { records };
  healthy = await startSnmprecAgent({ host: '127.0.0.4', port: 0, devices: healthyDevices });
  client = createSnmpClient({ timeoutMs: 400, retries: 1, maxInFlight: 8 });
});

afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  await client?.close();
  for (const a of faulty.values()) await a.close();
  await healthy?.close();
});

function device(agent: SnmprecAgent, community: string): DeviceTarget {
  return { deviceId: community, address: agent.host, vendor: 'mikrotik', pollIntervalS: 60, snmp: { community, port: agent.port, version: '2c' }, routeros: null };
}

describe('fault injection from a UDP peer', () => {
  it.each(FAULTS)('$fault answers become a "$kind" error', async ({ fault, kind }) => {
    const agent = faulty.get(fault) as SnmprecAgent;
    const target: SnmpTarget = { host: agent.host, port: agent.port, community: fault, version: '2c' };
    const err = await client.get(target, ['1.3.6.1.2.1.1.3.0']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SnmpError);
    expect((err as SnmpError).kind).toBe(kind);
  });

  it('polls healthy devices on time while faulty ones time out, with a bounded window', async () => {
    // Baseline in the same run: the 20 healthy devices polled alone. On a busy machine CPU time stretches every poll,
    // so "on time" is measured against this, not against the wall clock alone.
    const a0 = performance.now();
    await Promise.all(Array.from({ length: 20 }, (_, i) => pollSnmpDevice(client, device(healthy, `ok${i}`))));
    const alone = performance.now() - a0;
    const bound = Math.max(790, 2 * alone);
    let maxSeen = 0;
    const timer = setInterval(() => (maxSeen = Math.max(maxSeen, client.stats().inFlight)), 1);
    const faultyPolls = FAULTS.map((f) => pollSnmpDevice(client, device(faulty.get(f.fault) as SnmprecAgent, f.fault)));
    const healthyPolls = Array.from({ length: 20 }, (_, i) => pollSnmpDevice(client, device(healthy, `ok${i}`)));
    const good = await Promise.all(healthyPolls);
    const bad = await Promise.all(faultyPolls);
    clearInterval(timer);
    for (const r of good) {
      expect(r.ok).toBe(true);
      // Every healthy device is done before a faulty one has used up its two tries (2 x 400 ms), or, on a machine so
      // busy that polling them alone takes longer, within twice that time.
      expect(r.durationMs).toBeLessThan(bound);
      if (r.ok) expect(r.stations.length).toBeGreaterThan(0);
    }
    expect(bad.map((r) => (r.ok ? 'ok' : r.error.kind))).toEqual(FAULTS.map((f) => f.kind));
    // Only the answer with another community fails at once; the others wait out both tries.
    for (const r of bad) if (!r.ok && r.error.kind !== 'auth') expect(r.durationMs).toBeGreaterThanOrEqual(790);
    expect(maxSeen).toBeLessThanOrEqual(8);
    expect(client.stats().malformed).toBeGreaterThan(0);
    expect(uncaught).toEqual([]);
  });

  it('silent devices hold a window slot only for slotHoldMs; a strict window waits for their timeouts', async () => {
    const silent = faulty.get('silent') as SnmprecAgent;
    const dead: SnmpTarget = { host: silent.host, port: silent.port, community: 'silent', version: '2c' };
    const live: SnmpTarget = { host: healthy.host, port: healthy.port, community: 'ok1', version: '2c' };
    const timeFor = async (slotHoldMs: number): Promise<{ took: number; pending: number }> => {
      const c = createSnmpClient({ timeoutMs: 1000, retries: 0, maxInFlight: 2, slotHoldMs });
      const deadOnes = Array.from({ length: 6 }, () => c.get(dead, ['1.3.6.1.2.1.1.3.0']).catch(() => null));
      const t0 = Date.now();
      await c.get(live, ['1.3.6.1.2.1.1.3.0']);
      const took = Date.now() - t0;
      const pending = c.stats().pending;
      await c.close();
      await Promise.all(deadOnes);
      return { took, pending };
    };
    const released = await timeFor(100);
    const strict = await timeFor(Infinity);
    // 6 silent requests through 2 slots of 100 ms each, then the live one; the silent ones still wait for answers.
    expect(released.took).toBeGreaterThanOrEqual(290);
    expect(released.took).toBeLessThan(900);
    expect(released.pending).toBeGreaterThan(0);
    // Strict: 3 rounds of 1 s timeouts before the live request gets a slot.
    expect(strict.took).toBeGreaterThanOrEqual(2990);
  });

  it('a table the agent cannot walk is a warning on a successful poll; the walk itself is a protocol error', async () => {
    const records = loadSnmprec(snmprecPath('routeros'));
    const agent = await startSnmprecAgent({ host: '127.0.3.99', port: 0, devices: { loop: { records, fault: 'walk-loop' } } });
    try {
      const target: SnmpTarget = { host: agent.host, port: agent.port, community: 'loop', version: '2c' };
      const err = await client.walk(target, '1.3.6.1.2.1.2.2').catch((e: unknown) => e);
      expect((err as SnmpError).kind).toBe('protocol');
      expect((err as SnmpError).message).toMatch(/not increasing/);
      const r = await pollSnmpDevice(client, device(agent, 'loop'));
      expect(r.ok).toBe(true);
      if (r.ok) {
        expect(r.system.uptimeS).toBe(Math.floor((records.find((x) => x.oid === '1.3.6.1.2.1.1.3.0')?.value as number) / 100));
        expect(r.interfaces).toEqual([]);
        expect(r.warnings.length).toBeGreaterThan(0);
      }
    } finally {
      await agent.close();
    }
  });

  it('late answers of a slow agent are counted as late, never a protocol error, and requests keep waiting', async () => {
    const records = loadSnmprec(snmprecPath('routeros'));
    const agent = await startSnmprecAgent({ host: '127.0.3.98', port: 0, devices: { slow: { records } } });
    const c = createSnmpClient({ timeoutMs: 400, retries: 1, maxInFlight: 4 });
    const target: SnmpTarget = { host: agent.host, port: agent.port, community: 'slow', version: '2c' };
    const uptime = ['1.3.6.1.2.1.1.3.0'];
    try {
      // Answers 600 ms after each try: the first try's answer comes while the second try waits and is taken; the
      // second try's answer then comes for a request already settled: a late answer, not a stranger's.
      agent.setFault('slow', 'delay', 600);
      const first = await c.get(target, uptime);
      expect(first).toHaveLength(1);
      await waitUntil(() => c.stats().late >= 1, 'the second try’s answer');
      expect(c.stats().unmatched).toBe(0);

      // Slower than both tries and the port probe after them: two requests back to back. The first request's answers
      // arrive while the second waits (the old code called the second a protocol error); both are timeouts, the
      // second naming the slow agent.
      agent.setFault('slow', 'delay', 1_600);
      const lateBefore = c.stats().late;
      const a = (await c.get(target, uptime).catch((e: unknown) => e)) as SnmpError;
      const b = (await c.get(target, uptime).catch((e: unknown) => e)) as SnmpError;
      expect([a.kind, b.kind]).toEqual(['timeout', 'timeout']);
      expect(b.message).toMatch(/agent is slow: \d+ answers came after their request had settled/);
      await waitUntil(() => c.stats().late >= lateBefore + 4, 'the four late answers');
      expect(c.stats().unmatched).toBe(0);

      // A prompt agent again: answered at once. (A wrong request-id, a stranger's answer, is still `protocol`: above.)
      agent.setFault('slow', 'none');
      expect(await c.get(target, uptime)).toHaveLength(1);
    } finally {
      await c.close();
      await agent.close();
    }
  });

  it('close() settles queued and in-flight requests with a typed error', async () => {
    const c = createSnmpClient({ timeoutMs: 5000, retries: 0, maxInFlight: 1 });
    const agent = faulty.get('silent') as SnmprecAgent;
    const target: SnmpTarget = { host: agent.host, port: agent.port, community: 'silent', version: '2c' };
    const a = c.get(target, ['1.3.6.1.2.1.1.3.0']).catch((e: unknown) => e);
    const b = c.get(target, ['1.3.6.1.2.1.1.3.0']).catch((e: unknown) => e);
    await c.close();
    expect(((await a) as SnmpError).kind).toBe('internal');
    expect(((await b) as SnmpError).kind).toBe('internal');
  });

  it('rejects a bad OID or bad timing as a config error without sending', async () => {
    const target: SnmpTarget = { host: healthy.host, port: healthy.port, community: 'ok0', version: '2c' };
    expect(((await client.get(target, ['1.3.x']).catch((e: unknown) => e)) as SnmpError).kind).toBe('config');
    expect(((await client.get(target, ['1.3.6.1.2.1.1.3.0'], { timeoutMs: 0 }).catch((e: unknown) => e)) as SnmpError).kind).toBe('config');
    expect(((await client.get({ ...target, port: 70000 }, ['1.3.6.1.2.1.1.3.0']).catch((e: unknown) => e)) as SnmpError).kind).toBe('config');
  });
});
