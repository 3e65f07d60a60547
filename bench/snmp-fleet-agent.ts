/**
 * Child process for bench/snmp-poll.ts: a simulated SNMP fleet on loopback, served by the snmprec responder from
 * test/peers/snmp. Devices are told apart by address and community; some can be silent. Run only via fork().
 */
import { pathToFileURL } from 'node:url';
import { startSnmprecAgent } from '../test/peers/snmp/snmprec-agent.ts';
import type { SnmprecAgent } from '../test/peers/snmp/snmprec-agent.ts';
import type { SnmprecRecord } from '../test/peers/snmp/snmprec.ts';
import { SnmpType } from '../collectors/snmp/types.ts';

export interface FleetConfig {
  hosts: string[];
  /** Devices d0..d(N-1); device d sits on hosts[d % hosts.length]. */
  devices: number;
  /** Every k-th device (d % k === k - 1) never answers; 0 = none. */
  silentEvery: number;
}

export const FLEET_OIDS = [
  '1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.2.0', '1.3.6.1.2.1.1.3.0', '1.3.6.1.2.1.1.4.0', '1.3.6.1.2.1.1.5.0',
  '1.3.6.1.2.1.1.6.0', '1.3.6.1.2.1.1.7.0', '1.3.6.1.2.1.2.1.0', '1.3.6.1.2.1.25.1.1.0', '1.3.6.1.4.1.14988.1.1.4.4.0',
];

function rec(oid: string, type: number, value: SnmprecRecord['value']): SnmprecRecord {
  return { oid, arcs: oid.split('.').map(Number), type, value };
}

export function fleetRecords(): SnmprecRecord[] {
  return [
    rec(FLEET_OIDS[0] as string, SnmpType.OctetString, Buffer.from('RouterOS RB952Ui-5ac2nD')),
    rec(FLEET_OIDS[1] as string, SnmpType.ObjectIdentifier, '1.3.6.1.4.1.14988.1'),
    rec(FLEET_OIDS[2] as string, SnmpType.TimeTicks, 2020400),
    rec(FLEET_OIDS[3] as string, SnmpType.OctetString, Buffer.from('noc@cilegon.example')),
    rec(FLEET_OIDS[4] as string, SnmpType.OctetString, Buffer.from('ap-kelurahan')),
    rec(FLEET_OIDS[5] as string, SnmpType.OctetString, Buffer.from('Cilegon')),
    rec(FLEET_OIDS[6] as string, SnmpType.Integer, 78),
    rec(FLEET_OIDS[7] as string, SnmpType.Integer, 12),
    rec(FLEET_OIDS[8] as string, SnmpType.TimeTicks, 2020500),
    rec(FLEET_OIDS[9] as string, SnmpType.OctetString, Buffer.from('6.40.5')),
  ];
}

/** A 48-port switch ifTable: 22 columns x 48 rows, values shaped like IF-MIB. */
export function ifTable48Records(): SnmprecRecord[] {
  const out: SnmprecRecord[] = [];
  for (let col = 1; col <= 22; col++) {
    for (let i = 1; i <= 48; i++) {
      const oid = `1.3.6.1.2.1.2.2.1.${col}.${i}`;
      if (col === 2) out.push(rec(oid, SnmpType.OctetString, Buffer.from(`gigabitEthernet 1/0/${i}`)));
      else if (col === 6) out.push(rec(oid, SnmpType.OctetString, Buffer.from([0x6c, 0x3b, 0x6b, 0xa2, 0, i])));
      else if (col === 22) out.push(rec(oid, SnmpType.ObjectIdentifier, '0.0'));
      else if (col === 5) out.push(rec(oid, SnmpType.Gauge32, 1_000_000_000));
      else if (col === 9) out.push(rec(oid, SnmpType.TimeTicks, 1000 + i));
      else if (col >= 10) out.push(rec(oid, SnmpType.Counter32, (i * 7919 * col) >>> 0));
      else out.push(rec(oid, SnmpType.Integer, col === 3 ? 6 : col === 4 ? 1500 : 1));
    }
  }
  return out;
}

async function main(cfg: FleetConfig): Promise<void> {
  const fleet = { records: fleetRecords() };
  const iftable = { records: ifTable48Records() };
  const agents: SnmprecAgent[] = [];
  for (const host of cfg.hosts) {
    agents.push(await startSnmprecAgent({
      host,
      port: 0,
      devices: { iftable48: iftable },
      resolve: (community) => {
        const d = Number(community.slice(1));
        if (!community.startsWith('d') || !Number.isInteger(d) || d >= cfg.devices) return undefined;
        if (cfg.silentEvery > 0 && d % cfg.silentEvery === cfg.silentEvery - 1) return undefined;
        return fleet;
      },
    }));
  }
  process.send?.({ type: 'ready', ports: agents.map((a) => a.port) });
  process.on('message', (m: { type: string }) => {
    if (m.type === 'cpu') process.send?.({ type: 'cpu', usage: process.cpuUsage(), requests: agents.reduce((a, x) => a + x.requests, 0) });
    if (m.type === 'stop') void Promise.all(agents.map((a) => a.close())).then(() => process.exit(0));
  });
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntry && !process.send) {
  console.log('snmp-fleet-agent: the simulated fleet of bench/snmp-poll.ts; it runs only as that benchmark\'s child.');
} else if (isEntry) {
  // Never outlive the benchmark (a crashed parent leaves the IPC channel closed).
  process.on('disconnect', () => process.exit(0));
  process.once('message', (cfg: FleetConfig) => {
    main(cfg).catch((err: unknown) => {
      process.send?.({ type: 'error', message: String(err) });
      process.exit(1);
    });
  });
}
