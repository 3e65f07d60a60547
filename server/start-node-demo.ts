/**
 * Part of the Node entry (with start-node.ts): the demo city. Starts the simulated fleet (collectors/simulator) on
 * loopback, seeds the demo database through the service verbs, marks that database as the demo's (GET /api/v1/demo)
 * and logs a banner saying how to turn it off. The in-process collector then polls the fleet like any city.
 * See server/demo/README.md.
 */
import { isoAt } from '../core/time.ts';
import type { DemoInfo } from '../core/schemas/demo.ts';
import { startSimulatedFleet, type SimDevice, type SimFault, type SimFleet } from '../collectors/simulator/index.ts';
import type { ServiceCtx } from './deps.ts';
import { buildDemoCity, DEMO_LABEL, DEMO_SEED, type DemoBehaviour, type DemoDevicePlan } from './demo/demo-city.ts';
import { markDemoDatabase } from './demo/demo-flag.ts';
import { seedDemoCity } from './demo/seed-demo-city.ts';

export interface RunningDemo {
  info: Extract<DemoInfo, { enabled: true }>;
  fleet: SimFleet;
  stop(): Promise<void>;
}

export interface DemoOptions {
  /** Seed of the city and of every device's behaviour (default DEMO_SEED). */
  seed?: number;
  /** Poll interval of the demo devices, s (default 10). */
  pollIntervalS?: number;
}

const COMMUNITY = 'jangkau-demo';
const ROS_USER = 'jangkau-demo';
const ROS_PASSWORD = 'demo-only-not-a-secret';
export const DEMO_DISABLE_HINT = 'npm start -- --no-demo (or JANGKAU_DEMO=false)';

function faultOf(b: DemoBehaviour): SimFault {
  if (b.kind === 'steady') return { kind: 'none' };
  if (b.kind === 'down') return { kind: 'down' };
  return { kind: 'flap', offsetMs: b.firstAfterS * 1000, periodMs: b.everyS * 1000, silentMs: b.silentS * 1000 };
}

/** The simulator entry of one planned demo device (exported for the benchmark). */
export function simDeviceOf(p: DemoDevicePlan): SimDevice {
  const common = { key: p.key, name: p.name, seed: p.seed, fault: faultOf(p.behaviour), clientsBase: p.clientsBase };
  return p.protocol === 'routeros'
    ? { ...common, kind: 'routeros', username: ROS_USER, password: ROS_PASSWORD }
    : { ...common, kind: 'snmp', vendor: p.vendor, community: COMMUNITY };
}

export async function startDemo(ctx: ServiceCtx, options: DemoOptions = {}): Promise<RunningDemo> {
  const city = buildDemoCity({ seed: options.seed ?? DEMO_SEED });
  const plans = city.sites.flatMap((s) => (s.device === null ? [] : [s.device]));
  const fleet = await startSimulatedFleet(plans.map(simDeviceOf), { nowMs: () => ctx.clock.nowMs() });
  const endpoints = new Map(fleet.endpoints.map((e) => [e.key, e]));
  try {
    const counts = await seedDemoCity(
      ctx,
      city,
      (key) => {
        const e = endpoints.get(key);
        if (e === undefined) throw new Error(`demo device ${key} has no simulator`);
        return { host: e.host, port: e.port, community: COMMUNITY, routerosUsername: ROS_USER, routerosPassword: ROS_PASSWORD };
      },
      { pollIntervalS: options.pollIntervalS ?? 10 },
    );
    const info: RunningDemo['info'] = {
      enabled: true,
      label: DEMO_LABEL,
      seed: city.seed,
      startedAt: isoAt(fleet.startedAtMs),
      wards: counts.wards,
      sites: counts.sites,
      devices: counts.devices,
      disable: DEMO_DISABLE_HINT,
    };
    markDemoDatabase(ctx.db, info);
    ctx.log.warn(
      `${DEMO_LABEL}: the database is empty, so this is a generated sample city (${counts.wards} wards, ${counts.devices} simulated devices on 127.77.x.x) ` +
        `in its own file, recreated at every start; your real database is not touched. Start without it: ${DEMO_DISABLE_HINT}.`,
    );
    return { info, fleet, stop: () => fleet.stop() };
  } catch (err) {
    await fleet.stop();
    throw err;
  }
}
