/**
 * A first gaps call clips every ward it needs; for a province that is tens of seconds, which held a server's event
 * loop (every request, /healthz, collectors' batches) for all of it. `prepareGaps` cuts the same pieces a slice at a
 * time and gives the loop back in between. What a user relies on:
 * - the answer is exactly the one the one-step call gives;
 * - the loop is given back between wards, not only at the end;
 * - a device that changes while the pieces are being cut is in the answer (no stale ward is kept);
 * - a call limited to some wards cuts those only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createCoverageEngine, seededRandom, type CoverageDevice, type CoverageWard } from '../../../geo/coverage/index.ts';
import { seededDevices } from '../../../geo/coverage/synthetic.ts';
import { cilegonWards } from './cilegon.ts';

let wards: CoverageWard[];
let devices: CoverageDevice[];

beforeAll(() => {
  wards = cilegonWards();
  devices = seededDevices(wards, 300, seededRandom(11), { radiusMinM: 60, radiusMaxM: 200 });
});

describe('gaps prepared a slice at a time', () => {
  it('gives the loop back between wards and answers exactly as the one-step call', async () => {
    const oneStep = createCoverageEngine(wards, devices).gaps('live', { minAreaM2: 0 });
    const engine = createCoverageEngine(wards, devices);
    let pauses = 0;
    // sliceMs 0 on a clock that stands still: a pause before every ward after the first.
    await engine.prepareGaps('live', { sliceMs: 0, nowMs: () => 0, pause: async () => void (pauses += 1) });
    expect(pauses).toBe(wards.length - 1);
    expect(engine.gaps('live', { minAreaM2: 0 })).toEqual(oneStep);
    // Everything was cut ahead: a second preparation has nothing to do.
    let again = 0;
    await engine.prepareGaps('live', { sliceMs: 0, nowMs: () => 0, pause: async () => void (again += 1) });
    expect(again).toBe(0);
  });

  it('keeps no ward cut from a device that moved while the pieces were being cut', async () => {
    const engine = createCoverageEngine(wards, devices);
    // A live device far from the first ward, moved by about 300 m at the first pause: every ward after the first is
    // cut after the move, and the wards around that device must be cut from where it is now.
    const g0 = wards[0]!.geometry;
    const [x0, y0] = (g0.type === 'Polygon' ? g0.coordinates[0]![0]! : g0.coordinates[0]![0]![0]!) as [number, number];
    const far = (d: CoverageDevice): number => (d.lon! - x0) ** 2 + (d.lat! - y0) ** 2;
    const moved = devices.filter((d) => d.lon !== undefined && d.up === true).sort((a, b) => far(b) - far(a))[0]!;
    const after = { ...moved, lon: moved.lon! + 0.003 };
    let pauses = 0;
    await engine.prepareGaps('live', {
      sliceMs: 0,
      nowMs: () => 0,
      pause: async () => {
        pauses += 1;
        if (pauses === 1) engine.upsertDevice(after);
      },
    });
    const expected = createCoverageEngine(wards, devices.map((d) => (d.id === moved.id ? after : d))).gaps('live', { minAreaM2: 0 });
    expect(engine.gaps('live', { minAreaM2: 0 })).toEqual(expected);
  });

  it('cuts only the wards asked for', async () => {
    const engine = createCoverageEngine(wards, devices);
    const two = wards.slice(0, 2).map((w) => w.code);
    let pauses = 0;
    await engine.prepareGaps('live', { wardCodes: two, sliceMs: 0, nowMs: () => 0, pause: async () => void (pauses += 1) });
    expect(pauses).toBe(1);
    const limited = engine.gaps('live', { wardCodes: two, minAreaM2: 0 });
    expect(limited.wards.map((w) => w.code)).toEqual(two);
    // The others are still to be cut: a full preparation now pauses between all the rest.
    pauses = 0;
    await engine.prepareGaps('live', { sliceMs: 0, nowMs: () => 0, pause: async () => void (pauses += 1) });
    expect(pauses).toBe(wards.length - 2 - 1);
  });

  it('refuses a layer that has no gaps, before cutting anything', async () => {
    const engine = createCoverageEngine(wards, devices);
    await expect(engine.prepareGaps('expected' as never, { sliceMs: 0, nowMs: () => 0, pause: async () => {} })).rejects.toThrow(/gaps need one of/);
  });
});
