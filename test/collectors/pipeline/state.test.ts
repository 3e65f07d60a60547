import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE_CONFIG, initialDeviceState, stepDeviceState } from '../../../collectors/state/step.ts';
import type { DeviceState, StateConfig } from '../../../collectors/state/step.ts';
import { createStateBook } from '../../../collectors/state/state-book.ts';
import { isReboot, UPTIME_WRAP_S } from '../../../core/samples/reboot.ts';
import type { StateEvent } from '../../../core/ingest.ts';
import type { InterfaceSample, PollResult } from '../../../core/observations.ts';

const T0 = 1_800_000_000_000;
const MIN = 60_000;

function good(atMs: number, uptimeS: number | null = null, interfaces: InterfaceSample[] = []): PollResult {
  return {
    ok: true, deviceId: 'ap1', startedAtMs: atMs, durationMs: 5,
    system: { uptimeS, descr: null, objectId: null, name: null, version: null, cpuLoadPct: null, memFreeBytes: null },
    interfaces, ssids: [], stations: [], hotspotActive: [], clients: 3,
  };
}
function bad(atMs: number, message = 'no answer'): PollResult {
  return { ok: false, deviceId: 'ap1', startedAtMs: atMs, durationMs: 2000, error: { kind: 'timeout', message } };
}

/** Runs a sequence of polls written as 'G' (good) / 'F' (failed), one per minute from T0. */
function run(pattern: string, config: StateConfig = DEFAULT_STATE_CONFIG): { state: DeviceState; events: StateEvent[]; statuses: string[] } {
  let state = initialDeviceState('ap1');
  const events: StateEvent[] = [];
  const statuses: string[] = [];
  [...pattern].forEach((ch, i) => {
    const r = stepDeviceState(state, ch === 'G' ? good(T0 + i * MIN) : bad(T0 + i * MIN, `fail ${i}`), config);
    state = r.state;
    events.push(...r.events);
    statuses.push(state.status);
  });
  return { state, events, statuses };
}

describe('device state machine', () => {
  const table: Array<{ pattern: string; final: string; incidents: number }> = [
    { pattern: '', final: 'unknown', incidents: 0 },
    { pattern: 'G', final: 'up', incidents: 0 },
    { pattern: 'FF', final: 'unknown', incidents: 0 },
    { pattern: 'FFF', final: 'down', incidents: 1 },
    { pattern: 'GFFGFFG', final: 'up', incidents: 0 }, // never 3 in a row: damped
    { pattern: 'GFFF', final: 'down', incidents: 1 },
    { pattern: 'GFFFG', final: 'down', incidents: 1 }, // one good poll is not enough
    { pattern: 'GFFFGFGG', final: 'up', incidents: 1 },
    { pattern: 'GFFFFFFGG', final: 'up', incidents: 1 },
  ];
  for (const row of table) {
    it(`"${row.pattern}" ends ${row.final}`, () => {
      const { state, events } = run(row.pattern);
      expect(state.status).toBe(row.final);
      expect(events.filter((e) => e.type === 'incident_opened')).toHaveLength(row.incidents);
    });
  }

  it('opens the incident at the first failed poll and closes it at the first good poll of the recovery', () => {
    //          0123456789
    const { events } = run('GGFFFFGFGG');
    const opened = events.find((e) => e.type === 'incident_opened');
    const closed = events.find((e) => e.type === 'incident_closed');
    expect(opened).toMatchObject({ startedAtMs: T0 + 2 * MIN, detectedAtMs: T0 + 4 * MIN, cause: { kind: 'timeout', message: 'fail 2' } });
    expect(closed).toMatchObject({ startedAtMs: T0 + 2 * MIN, endedAtMs: T0 + 8 * MIN, detectedAtMs: T0 + 9 * MIN });
    expect(closed?.type === 'incident_closed' && opened?.type === 'incident_opened' && closed.incidentId === opened.incidentId).toBe(true);
    const changes = events.filter((e) => e.type === 'status_changed');
    expect(changes.map((e) => [e.from, e.to, e.atMs - T0])).toEqual([
      ['unknown', 'up', 0],
      ['up', 'down', 2 * MIN],
      ['down', 'up', 8 * MIN],
    ]);
  });

  it('honours other damping settings', () => {
    const config = { ...DEFAULT_STATE_CONFIG, downAfter: 1, upAfter: 3 };
    expect(run('GF', config).state.status).toBe('down');
    expect(run('GFGG', config).state.status).toBe('down');
    expect(run('GFGGG', config).state.status).toBe('up');
  });

  it('detects a reboot from uptime going back, also across an outage', () => {
    let state = initialDeviceState('ap1');
    const all: StateEvent[] = [];
    const feed = (r: PollResult): void => {
      const out = stepDeviceState(state, r);
      state = out.state;
      all.push(...out.events);
    };
    feed(good(T0, 5000));
    feed(good(T0 + MIN, 5060));
    expect(all.filter((e) => e.type === 'reboot')).toHaveLength(0);
    feed(bad(T0 + 2 * MIN));
    feed(good(T0 + 3 * MIN, 30));
    const reboot = all.find((e) => e.type === 'reboot');
    expect(reboot).toMatchObject({ previousUptimeS: 5060, uptimeS: 30, bootedAtMs: T0 + 3 * MIN - 30_000 });
  });

  it('does not call the 497-day TimeTicks wrap a reboot', () => {
    const prev = { uptimeS: UPTIME_WRAP_S - 20, atMs: T0 };
    expect(isReboot(prev, { uptimeS: 40, atMs: T0 + MIN })).toBe(false);
    expect(isReboot({ uptimeS: 1000, atMs: T0 }, { uptimeS: 40, atMs: T0 + MIN })).toBe(true);
    expect(isReboot({ uptimeS: 1000, atMs: T0 }, { uptimeS: 1059, atMs: T0 + MIN })).toBe(false);
  });

  it('is degraded when a required interface is down, and that still counts as reachable', () => {
    const config = { ...DEFAULT_STATE_CONFIG, requiredInterfaces: ['wlan1'] };
    const iface = (operUp: boolean): InterfaceSample => ({ index: 2, name: 'wlan1', operUp, inOctets: 0n, outOctets: 0n, counterBits: 64, speedBps: null });
    let state = initialDeviceState('ap1');
    state = stepDeviceState(state, good(T0, 10, [iface(true)]), config).state;
    expect(state.status).toBe('up');
    const r = stepDeviceState(state, good(T0 + MIN, 70, [iface(false)]), config);
    expect(r.state.status).toBe('degraded');
    expect(r.events).toEqual([{ type: 'status_changed', deviceId: 'ap1', atMs: T0 + MIN, detectedAtMs: T0 + MIN, from: 'up', to: 'degraded' }]);
    expect(stepDeviceState(r.state, good(T0 + 2 * MIN, 130, [iface(true)]), config).state.status).toBe('up');
  });

  it('ignores a poll older than the last one', () => {
    let state = stepDeviceState(initialDeviceState('ap1'), good(T0 + MIN)).state;
    const r = stepDeviceState(state, bad(T0));
    expect(r.events).toEqual([]);
    state = r.state;
    expect(state.failures).toBe(0);
  });

  it('keeps one state per device in a state book', () => {
    const book = createStateBook({ config: { ...DEFAULT_STATE_CONFIG, downAfter: 1 } });
    expect(book.apply({ ...bad(T0), deviceId: 'a' }).map((e) => e.type)).toEqual(['status_changed', 'incident_opened']);
    expect(book.apply({ ...good(T0), deviceId: 'b' }).map((e) => e.type)).toEqual(['status_changed']);
    expect(book.get('a')?.status).toBe('down');
    expect(book.get('b')?.status).toBe('up');
    expect(book.all()).toHaveLength(2);
  });
});
