/**
 * pollSnmpDevice: run the device's driver plan (one GET of its scalars, then its column groups walked in parallel)
 * and turn the answer, or the failure with its cause, into a PollResult. Never throws.
 */
import type { PollFailure, PollSuccess } from '../../core/observations.ts';
import type { DeviceTarget } from '../../core/observations.ts';
import { SnmpError } from '../snmp/types.ts';
import type { SnmpClient, SnmpTarget, SnmpWalkOptions } from '../snmp/types.ts';
import { driverFor } from './registry.ts';
import type { DeviceIdentity } from './types.ts';

export interface PollSnmpOptions extends SnmpWalkOptions {
  /** Clock for startedAtMs/durationMs (injectable in tests). */
  nowMs?: () => number;
}

/**
 * A PollSuccess that also carries vendor gauges (e.g. Ruckus apCount), warnings (a table the agent could not
 * walk, e.g. OIDs not increasing) and what the device says it is (model, version, hardware revision); still
 * assignable to PollResult.
 */
export type SnmpPollSuccess = PollSuccess & { gauges: Record<string, number>; warnings: string[]; identity: DeviceIdentity };
export type SnmpPollResult = SnmpPollSuccess | PollFailure;

export async function pollSnmpDevice(client: SnmpClient, target: DeviceTarget, opts?: PollSnmpOptions): Promise<SnmpPollResult> {
  const now = opts?.nowMs ?? Date.now;
  const startedAtMs = now();
  const fail = (kind: PollFailure['error']['kind'], message: string): PollFailure => ({
    ok: false, deviceId: target.deviceId, startedAtMs, durationMs: now() - startedAtMs, error: { kind, message },
  });
  if (!target.snmp) return fail('config', 'device has no SNMP settings');
  const snmpTarget: SnmpTarget = {
    host: target.address, port: target.snmp.port, community: target.snmp.community, version: target.snmp.version,
  };
  const driver = driverFor(target.vendor);
  try {
    // The GET decides whether the device answers at all; a failure there is the poll's failure.
    const gets = await client.get(snmpTarget, driver.plan.gets, opts);
    const walks = await Promise.allSettled(driver.plan.walks.map((cols) => client.walkColumns(snmpTarget, cols, opts)));
    const warnings: string[] = [];
    const varbinds = [...gets];
    for (const [i, w] of walks.entries()) {
      if (w.status === 'fulfilled') {
        varbinds.push(...w.value);
        continue;
      }
      const err = w.reason as unknown;
      // A device that stops answering mid-poll is down (or overloaded): fail the poll with that cause.
      if (err instanceof SnmpError && (err.kind === 'timeout' || err.kind === 'unreachable' || err.kind === 'auth')) throw err;
      warnings.push(`walk of ${driver.plan.walks[i]?.join(',')} failed: ${(err as Error).message}`);
    }
    const out = driver.parse(varbinds);
    return {
      ok: true,
      deviceId: target.deviceId,
      startedAtMs,
      durationMs: now() - startedAtMs,
      system: out.system,
      interfaces: out.interfaces,
      ssids: out.ssids,
      stations: out.stations,
      hotspotActive: [],
      clients: out.clients,
      gauges: out.gauges,
      warnings,
      identity: out.identity,
    };
  } catch (err) {
    if (err instanceof SnmpError) return fail(err.kind, err.message);
    return fail('internal', `driver ${driver.vendor} failed: ${(err as Error).message}`);
  }
}
