import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../../collectors/scheduler/scheduler.ts';
import { phaseMs } from '../../../collectors/scheduler/jitter.ts';
import { sleepMs } from '../../../collectors/scheduler/timers.ts';
import type { DeviceTarget, PollResult } from '../../../core/observations.ts';
import { ManualTime } from './manual-time.ts';

const T0 = 1_800_000_000_000; // on a 60 s boundary
function target(deviceId: string, pollIntervalS = 60): DeviceTarget {
  return { deviceId, address: '127.0.0.1', vendor: null, pollIntervalS, snmp: { community: 'public', port: 161, version: '2c' }, routeros: null };
}
function ok(deviceId: string, atMs: number): PollResult {
  return {
    ok: true, deviceId, startedAtMs: atMs, durationMs: 1,
    system: { uptimeS: 100, descr: null, objectId: null, name: null, version: null, cpuLoadPct: null, memFreeBytes: null },
    interfaces: [], ssids: [], stations: [], hotspotActive: [], clients: null,
  };
}

describe('scheduler', () => {
  it('polls each device on its own deterministic phase, once per interval', async () => {
    const time = new ManualTime(T0);
    const starts: Array<[string, number]> = [];
    const results: PollResult[] = [];
    const s = createScheduler({
      clock: time, timers: time,
      poll: async (t) => { starts.push([t.deviceId, time.nowMs()]); return ok(t.deviceId, time.nowMs()); },
      onResult: (r) => results.push(r),
    });
    for (const id of ['a', 'b', 'c', 'd']) s.upsert(target(id));
    await time.advance(180_000);
    for (const id of ['a', 'b', 'c', 'd']) {
      const mine = starts.filter(([d]) => d === id).map(([, at]) => at);
      expect(mine).toHaveLength(3);
      expect(mine[0]! - T0).toBe(phaseMs(id, 60_000));
      expect(mine[1]! - mine[0]!).toBe(60_000);
    }
    // spread: not all at the same instant
    expect(new Set(starts.slice(0, 4).map(([, at]) => at)).size).toBeGreaterThan(1);
    expect(results).toHaveLength(12);
    expect(s.stats().missed).toBe(0);
    await s.stop();
  });

  it('a slow device misses its own slots without delaying a healthy one', async () => {
    const time = new ManualTime(T0);
    const starts: Record<string, number[]> = { slow: [], fast: [] };
    const s = createScheduler({
      clock: time, timers: time, pollTimeoutMs: 200_000,
      poll: async (t, signal) => {
        starts[t.deviceId]!.push(time.nowMs());
        if (t.deviceId === 'slow') await sleepMs(time, 150_000, signal);
        return ok(t.deviceId, time.nowMs());
      },
      onResult: () => {},
    });
    s.upsert(target('slow'));
    s.upsert(target('fast'));
    await time.advance(600_000);
    expect(starts['fast']).toHaveLength(10);
    // slow: 150 s polls on a 60 s grid -> starts every 180 s, the two slots in between are missed
    expect(starts['slow']!.length).toBe(4);
    expect(s.deviceStats('slow')!.missed).toBe(6);
    expect(s.deviceStats('fast')!.missed).toBe(0);
    const stopping = s.stop({ deadlineMs: 1 });
    await time.advance(10);
    expect((await stopping).aborted).toBe(1);
  });

  it('bounds concurrency; a poll that cannot start in time counts as missed', async () => {
    const time = new ManualTime(T0);
    let running = 0;
    let peak = 0;
    const s = createScheduler({
      clock: time, timers: time, maxConcurrent: 2, maxLatenessMs: 5_000, pollTimeoutMs: 60_000,
      poll: async (t, signal) => {
        running += 1;
        peak = Math.max(peak, running);
        try {
          await sleepMs(time, 20_000, signal);
        } finally {
          running -= 1;
        }
        return ok(t.deviceId, time.nowMs());
      },
      onResult: () => {},
    });
    // same interval, and with phases within 5 s of each other they all queue together
    const ids = Array.from({ length: 2000 }, (_, i) => `dev-${i}`).filter((id) => phaseMs(id, 60_000) < 2000).slice(0, 3);
    expect(ids).toHaveLength(3);
    for (const id of ids) s.upsert(target(id));
    await time.advance(60_000);
    expect(peak).toBe(2);
    expect(s.stats().started).toBe(2);
    expect(s.stats().missed).toBe(1);
    expect(await s.stop()).toEqual({ finished: 0, aborted: 0 });
  });

  it('turns a throwing, rejecting or garbage poll into an internal failure and keeps going', async () => {
    const time = new ManualTime(T0);
    const results: PollResult[] = [];
    let n = 0;
    const s = createScheduler({
      clock: time, timers: time,
      poll: (t) => {
        n += 1;
        if (n === 1) throw new Error('sync boom');
        if (n === 2) return Promise.reject(new Error('async boom'));
        if (n === 3) return Promise.resolve(42 as unknown as PollResult);
        return Promise.resolve(ok(t.deviceId, time.nowMs()));
      },
      onResult: (r) => {
        results.push(r);
        if (results.length === 1) throw new Error('consumer fault');
      },
      onError: () => {},
    });
    s.upsert(target('x', 10));
    await time.advance(40_000);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.kind))).toEqual(['internal', 'internal', 'internal', 'ok']);
    expect(results[0]!.ok === false && results[0]!.error.message).toContain('sync boom');
    expect(s.stats().internalErrors).toBe(3);
    await s.stop();
  });

  it('aborts a poll past its deadline and reports a timeout', async () => {
    const time = new ManualTime(T0);
    const results: PollResult[] = [];
    let sawAbort = false;
    const s = createScheduler({
      clock: time, timers: time, pollTimeoutMs: 5_000,
      poll: (t, signal) => new Promise((resolve) => {
        signal.addEventListener('abort', () => { sawAbort = true; resolve(ok(t.deviceId, 0)); });
      }),
      onResult: (r) => results.push(r),
    });
    s.upsert(target('hang', 10));
    await time.advance(phaseMs('hang', 10_000) + 5_000);
    expect(sawAbort).toBe(true);
    expect(results).toHaveLength(1);
    expect(results[0]!.ok).toBe(false);
    expect(!results[0]!.ok && results[0]!.error.kind).toBe('timeout');
    await s.stop();
  });

  it('adds, re-times and removes devices while running', async () => {
    const time = new ManualTime(T0);
    const starts: Array<[string, number]> = [];
    const s = createScheduler({
      clock: time, timers: time,
      poll: async (t) => { starts.push([t.deviceId, time.nowMs()]); return ok(t.deviceId, time.nowMs()); },
      onResult: () => {},
    });
    s.upsert(target('a', 60));
    await time.advance(120_000);
    expect(starts.filter(([d]) => d === 'a')).toHaveLength(2);
    s.upsert(target('a', 10));
    s.upsert(target('b', 30));
    await time.advance(60_000);
    expect(starts.filter(([d, at]) => d === 'a' && at > T0 + 120_000)).toHaveLength(6);
    expect(starts.filter(([d]) => d === 'b')).toHaveLength(2);
    expect(s.remove('a')).toBe(true);
    const before = starts.length;
    await time.advance(60_000);
    expect(starts.slice(before).every(([d]) => d === 'b')).toBe(true);
    expect(s.has('a')).toBe(false);
    await s.stop();
  });

  it('stop waits for polls in flight up to the deadline, then aborts the rest', async () => {
    const time = new ManualTime(T0);
    const results: PollResult[] = [];
    const aborted: string[] = [];
    const ids = Array.from({ length: 500 }, (_, i) => `d${i}`).filter((id) => phaseMs(id, 60_000) < 1000).slice(0, 2);
    const s = createScheduler({
      clock: time, timers: time, pollTimeoutMs: 60_000,
      poll: async (t, signal) => {
        signal.addEventListener('abort', () => aborted.push(t.deviceId));
        await sleepMs(time, t.deviceId === ids[0] ? 2_000 : 30_000, signal).catch(() => {});
        return ok(t.deviceId, time.nowMs());
      },
      onResult: (r) => results.push(r),
    });
    for (const id of ids) s.upsert(target(id));
    await time.advance(1_000);
    expect(s.stats().inFlight).toBe(2);
    const stopping = s.stop({ deadlineMs: 5_000 });
    await time.advance(6_000);
    const outcome = await stopping;
    expect(outcome).toEqual({ finished: 1, aborted: 1 });
    expect(results.map((r) => r.deviceId)).toEqual([ids[0]]);
    expect(aborted).toEqual([ids[1]]);
    await time.advance(120_000);
    expect(results).toHaveLength(1);
  });

  it('counts slots skipped by a stalled process as missed', async () => {
    const time = new ManualTime(T0);
    const s = createScheduler({ clock: time, timers: time, poll: async (t) => ok(t.deviceId, time.nowMs()), onResult: () => {} });
    s.upsert(target('z', 10)); // phase of 'z' in a 10 s interval
    time.jump(45_000); // the event loop was blocked for 45 s
    await time.advance(0);
    // every slot in the stall, the first included, is missed: none starts late
    const slots = Math.floor((45_000 - phaseMs('z', 10_000)) / 10_000) + 1;
    expect(s.deviceStats('z')!.started).toBe(0);
    expect(s.deviceStats('z')!.missed).toBe(slots);
    await time.advance(10_000);
    expect(s.deviceStats('z')!.started).toBe(1);
    await s.stop();
  });
});
