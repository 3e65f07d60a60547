/**
 * The demo's simulated fleet: every device on its own loopback address (127.77.x.y, one UDP socket or TCP listener
 * each, port chosen by the system), behaving as its seed and fault say. The real collectors poll it like any
 * network. `stop()` closes every socket.
 */
import { isSilentAt } from './behaviour.ts';
import { startRouterOsSim, type RouterOsSim } from './routeros-router.ts';
import { buildMib, type MibRecord } from './snmp-mib.ts';
import { startSnmpResponder, type SnmpResponder } from './snmp-responder.ts';
import type { SimDevice, SimEndpoint, SimSnmpDevice } from './types.ts';

export interface SimFleetOptions {
  /** Clock (ms); default Date.now. The fleet's behaviour counts from its value at start. */
  nowMs?: () => number;
  /** First two octets of the loopback addresses; default '127.77'. */
  addressPrefix?: string;
}

export interface SimFleet {
  endpoints: SimEndpoint[];
  startedAtMs: number;
  /** Requests answered and ignored over the whole fleet (for figures and tests). */
  stats(): { answered: number; ignored: number };
  stop(): Promise<void>;
}

/** The loopback address of the n-th SNMP device or the n-th router: 127.77.1.1, 127.77.1.2, ...; routers from 127.77.200.1. */
export function simAddress(prefix: string, kind: SimDevice['kind'], n: number): string {
  const block = (kind === 'snmp' ? 1 : 200) + Math.floor(n / 250);
  return `${prefix}.${block}.${(n % 250) + 1}`;
}

/** Records of one SNMP device, rebuilt at most once a second so a walk of several requests reads one moment. */
function cachedMib(d: SimSnmpDevice, elapsedMs: () => number): () => MibRecord[] {
  let second = -1;
  let records: MibRecord[] = [];
  return () => {
    const now = elapsedMs();
    const s = Math.floor(now / 1000);
    if (s !== second) {
      second = s;
      records = buildMib(d, now);
    }
    return records;
  };
}

export async function startSimulatedFleet(devices: readonly SimDevice[], options: SimFleetOptions = {}): Promise<SimFleet> {
  const nowMs = options.nowMs ?? Date.now;
  const prefix = options.addressPrefix ?? '127.77';
  const startedAtMs = nowMs();
  const elapsedMs = (): number => nowMs() - startedAtMs;
  const snmp: SnmpResponder[] = [];
  const routers: RouterOsSim[] = [];
  const endpoints: SimEndpoint[] = [];
  let nSnmp = 0;
  let nRouters = 0;
  try {
    for (const d of devices) {
      const silent = (): boolean => isSilentAt(d.fault, elapsedMs());
      if (d.kind === 'snmp') {
        const r = await startSnmpResponder({ host: simAddress(prefix, 'snmp', nSnmp++), port: 0, community: d.community, mib: cachedMib(d, elapsedMs), silent });
        snmp.push(r);
        endpoints.push({ key: d.key, host: r.host, port: r.port });
      } else {
        const r = await startRouterOsSim({ host: simAddress(prefix, 'routeros', nRouters++), port: 0, device: d, elapsedMs, silent });
        routers.push(r);
        endpoints.push({ key: d.key, host: r.host, port: r.port });
      }
    }
  } catch (err) {
    await Promise.allSettled([...snmp.map((s) => s.close()), ...routers.map((r) => r.close())]);
    throw err;
  }
  return {
    endpoints,
    startedAtMs,
    stats: () => {
      let answered = 0;
      let ignored = 0;
      for (const s of snmp) {
        answered += s.stats.answered;
        ignored += s.stats.ignored;
      }
      for (const r of routers) {
        answered += r.stats.commands + r.stats.logins;
        ignored += r.stats.ignored;
      }
      return { answered, ignored };
    },
    stop: async () => {
      await Promise.allSettled([...snmp.map((s) => s.close()), ...routers.map((r) => r.close())]);
    },
  };
}
