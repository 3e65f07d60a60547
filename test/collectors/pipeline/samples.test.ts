import { describe, expect, it } from 'vitest';
import { counterDelta, createRateTracker, rateSample, clientCount } from '../../../core/samples/rates.ts';
import { DAY_MS, FIVE_MIN_MS, HOUR_MS, rollUp, rowOfSample } from '../../../core/samples/rollup.ts';
import type { RollupRow } from '../../../core/samples/rollup.ts';
import { DEFAULT_RETENTION, estimateStorage } from '../../../core/samples/retention.ts';
import type { InterfaceSample, PollSuccess } from '../../../core/observations.ts';

const T0 = 1_800_000_000_000;
const TWO32 = 2n ** 32n;

function iface(inOctets: bigint, outOctets: bigint, counterBits: 32 | 64 = 32, speedBps: number | null = 100_000_000): InterfaceSample {
  return { index: 1, name: 'ether1', operUp: true, inOctets, outOctets, counterBits, speedBps };
}
function poll(atMs: number, interfaces: InterfaceSample[], uptimeS: number | null = 1000 + (atMs - T0) / 1000, clients: number | null = 4): PollSuccess {
  return {
    ok: true, deviceId: 'ap1', startedAtMs: atMs, durationMs: 3,
    system: { uptimeS, descr: null, objectId: null, name: null, version: null, cpuLoadPct: null, memFreeBytes: null },
    interfaces, ssids: [], stations: [], hotspotActive: [], clients,
  };
}

describe('counterDelta', () => {
  const table: Array<{ name: string; prev: bigint; next: bigint; bits: 32 | 64; speedBps: number | null; kind: string; delta?: bigint }> = [
    { name: 'increase', prev: 100n, next: 1100n, bits: 32, speedBps: 1e8, kind: 'ok', delta: 1000n },
    { name: 'no change', prev: 5n, next: 5n, bits: 64, speedBps: null, kind: 'ok', delta: 0n },
    { name: '32-bit wrap, plausible at 100 Mbit/s', prev: TWO32 - 1000n, next: 5000n, bits: 32, speedBps: 1e8, kind: 'wrap', delta: 6000n },
    // the wrapped delta would be 2^31 bytes in 60 s = 286 Mbit/s on a 100 Mbit/s port: a reset, not a wrap
    { name: '32-bit implausible wrap is a reset', prev: 10n + TWO32 / 2n, next: 10n, bits: 32, speedBps: 1e8, kind: 'reset' },
    { name: '32-bit wrap, unknown speed, small delta', prev: TWO32 - 5n, next: 5n, bits: 32, speedBps: null, kind: 'wrap', delta: 10n },
    { name: '32-bit drop, unknown speed, huge delta', prev: 1_000_000_000n, next: 10n, bits: 32, speedBps: null, kind: 'reset' },
    { name: '64-bit going back is a reset', prev: 2n ** 60n, next: 7n, bits: 64, speedBps: 1e10, kind: 'reset' },
  ];
  for (const row of table) {
    it(row.name, () => {
      const d = counterDelta(row.prev, row.next, { counterBits: row.bits, elapsedMs: 60_000, speedBps: row.speedBps });
      expect(d.kind).toBe(row.kind);
      if (row.delta !== undefined && d.kind !== 'reset') expect(d.delta).toBe(row.delta);
    });
  }
});

describe('rateSample', () => {
  it('gives no rate for the first sample', () => {
    const tracker = createRateTracker();
    expect(tracker.push(poll(T0, [iface(0n, 0n)]))).toBeNull();
    const s = tracker.push(poll(T0 + 60_000, [iface(7_500_000n, 750_000n)]));
    expect(s?.inBps).toBe(1_000_000);
    expect(s?.outBps).toBe(100_000);
    expect(s?.inBytes).toBe(7_500_000n);
    expect(s?.clients).toBe(4);
  });

  it('handles a wrap and keeps 64-bit counters beyond 2^53 exact', () => {
    const big = 2n ** 60n;
    const a = poll(T0, [iface(TWO32 - 100n, big, 32), { ...iface(big, big, 64, 1e10), index: 2, name: 'sfp1' }]);
    const b = poll(T0 + 60_000, [iface(900n, big + 1n, 32), { ...iface(big + 75_000_001n, big, 64, 1e10), index: 2, name: 'sfp1' }]);
    const s = rateSample(a, b)!;
    expect(s.interfaces[0]!.wrapped).toBe(true);
    expect(s.interfaces[0]!.inBytes).toBe(1000n);
    expect(s.interfaces[1]!.inBytes).toBe(75_000_001n);
    expect(s.inBytes).toBe(75_001_001n);
  });

  it('treats every counter as reset after a reboot', () => {
    const a = poll(T0, [iface(1_000_000n, 1_000_000n)], 90_000);
    const b = poll(T0 + 60_000, [iface(2_000_000n, 2_000_000n)], 50);
    const s = rateSample(a, b)!;
    expect(s.rebooted).toBe(true);
    expect(s.interfaces[0]).toMatchObject({ reset: true, inBps: null, outBps: null });
    expect(s.inBps).toBeNull();
  });

  it('counts clients from SSIDs, stations or hotspot users when the driver gave no total', () => {
    const base = poll(T0, [], 1, null);
    expect(clientCount(base)).toBeNull();
    expect(clientCount({ ...base, ssids: [{ ssid: 'Main SSID', radio: null, clients: 3 }, { ssid: 'guest', radio: null, clients: 2 }] })).toBe(5);
    expect(clientCount({ ...base, stations: [{ mac: 'aa:bb:cc:dd:ee:ff', iface: null, signalDbm: -60 }] })).toBe(1);
  });
});

describe('rollUp', () => {
  function row(atMs: number, inBps: number | null, clients: number | null, bytes: bigint): RollupRow {
    return { seriesKey: 'ap1', bucketStartMs: atMs, bucketMs: 0, samples: 1, rateSamples: inBps === null ? 0 : 1, clientSamples: clients === null ? 0 : 1, inBpsAvg: inBps, inBpsMax: inBps, outBpsAvg: inBps === null ? null : inBps / 2, outBpsMax: inBps === null ? null : inBps / 2, clientsAvg: clients, clientsMax: clients, inBytes: bytes, outBytes: bytes / 2n };
  }

  it('averages, maxes and sums per 5-minute bucket, and hour/day from the level below give the same as from raw', () => {
    const raw: RollupRow[] = [];
    for (let m = 0; m < 48 * 60; m += 1) {
      const inBps = m % 7 === 0 ? null : (m % 60) * 1000;
      raw.push(row(T0 + m * 60_000, inBps, m % 11 === 0 ? null : m % 13, BigInt(m * 10)));
    }
    const five = rollUp(raw, FIVE_MIN_MS);
    expect(five).toHaveLength(48 * 12);
    const first = five[0]!;
    // minutes 0..4: rates null,1000,2000,3000,4000 ; clients null,1,2,3,4
    expect(first).toMatchObject({ samples: 5, rateSamples: 4, inBpsAvg: 2500, inBpsMax: 4000, clientsAvg: 2.5, clientsMax: 4, inBytes: 100n });
    const hourFromFive = rollUp(five, HOUR_MS);
    const hourFromRaw = rollUp(raw, HOUR_MS);
    expect(hourFromFive).toHaveLength(48);
    for (let i = 0; i < hourFromRaw.length; i++) {
      const a = hourFromFive[i]!;
      const b = hourFromRaw[i]!;
      expect(a.inBpsAvg!).toBeCloseTo(b.inBpsAvg!, 6);
      expect(a.clientsAvg!).toBeCloseTo(b.clientsAvg!, 6);
      expect([a.inBpsMax, a.samples, a.inBytes, a.outBytes]).toEqual([b.inBpsMax, b.samples, b.inBytes, b.outBytes]);
    }
    const days = rollUp(hourFromFive, DAY_MS, { offsetMs: -7 * HOUR_MS });
    expect(days.reduce((a, d) => a + d.inBytes, 0n)).toBe(raw.reduce((a, r) => a + r.inBytes, 0n));
    for (const d of days) expect(((d.bucketStartMs + 7 * HOUR_MS) % DAY_MS + DAY_MS) % DAY_MS).toBe(0);
  });

  it('turns rate samples into rows', () => {
    const s = rateSample(poll(T0, [iface(0n, 0n)]), poll(T0 + 60_000, [iface(600n, 60n)]))!;
    expect(rowOfSample(s)).toMatchObject({ seriesKey: 'ap1', samples: 1, rateSamples: 1, inBpsAvg: 80, inBytes: 600n, clientsMax: 4 });
  });
});

describe('retention', () => {
  it('keeps a year of 5,000 devices within a modest disk', () => {
    const e = estimateStorage({ devices: 5000, pollIntervalS: 60, seriesPerDevice: 1, years: 1, retention: DEFAULT_RETENTION });
    expect(e.rows.raw).toBe(5000 * 1440 * 7);
    expect(e.rows.fiveMin).toBe(5000 * 288 * 35);
    expect(e.rows.hourly).toBe(5000 * 24 * 365);
    expect(e.rows.daily).toBe(5000 * 365);
    expect(e.bytes.total).toBeLessThan(20e9);
  });
});
