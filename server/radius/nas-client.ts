/** The NAS client table of a running RADIUS server: enabled clients by source address, secrets opened (Node only). */
import type { RadiusClientOut } from '../../core/schemas/radius.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import { listRadiusClients } from '../db/radius.ts';
import type { Executor } from '../db/types.ts';
import { canonicalAddress, clientSecretPurpose, toClientOut } from './clients.ts';

export type NasClient = Omit<RadiusClientOut, 'secretSet' | 'enabled' | 'lastSeenAt' | 'createdAt' | 'updatedAt'> & { secret: Buffer };

export async function loadNasClients(db: Executor, secrets: SecretBox): Promise<Map<string, NasClient>> {
  const out = new Map<string, NasClient>();
  for (const r of await listRadiusClients(db)) {
    if (r.enabled !== 1) continue;
    const { secretSet: _secretSet, enabled: _enabled, lastSeenAt: _seen, createdAt: _created, updatedAt: _updated, ...client } = toClientOut(r);
    const address = canonicalAddress(r.address);
    out.set(address, { ...client, address, secret: Buffer.from(await secrets.open(r.secret_sealed, clientSecretPurpose(r.id)), 'utf8') });
  }
  return out;
}
