/** Locates ../shared/data/snmprec next to the repository checkout, failing clearly when it is absent. */
import { existsSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export function snmprecDir(): string {
  const dir = resolve(repoRoot, '../shared/data/snmprec');
  if (!existsSync(dir)) {
    throw new Error(`SNMP recordings not found at ${dir}: the repository must be checked out next to shared/ (see shared/data/SOURCES.md)`);
  }
  return dir;
}

export function snmprecPath(stem: string): string {
  return resolve(snmprecDir(), `${stem}.snmprec`);
}

export const RECORDINGS = [
  'airos_airos8', 'epmp', 'jetstream_sg2218p', 'linux', 'routeros', 'routeros_rb433gl', 'routeros_rb750gr3',
  'ruckuswireless-sz', 'unifi', 'unifi_nanohd',
] as const;

/** A UDP port that was free a moment ago on 127.0.0.1. */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolvePort(port));
    });
  });
}
