/** The NAS client table of a running RADIUS server: enabled clients by source address, secrets opened (Node only). */
import type { NasVendor } from '../../core/schemas/radius.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import { listRadiusClients } from '../db/radius.ts';
import type { Executor } from '../db/types.ts';
import { canonicalAddress, clientSecretPurpose, toClientOut } from './clients.ts';

export interface NasClient {
  id: string;
  name: string;
  address: string;
  secret: Buffer;
  vendor: NasVendor;
  hotspotId: string;
  requireMessageAuthenticator: boolean;
  macAuthDays: number;
  idleTimeoutS: number;
  interimS: number;
  coaPort: number;
}

export async function loadNasClients(db: Executor, secrets: SecretBox): Promise<Map<string, NasClient>> {
  const out = new Map<string, NasClient>();
  for (const r of await listRadiusClients(db)) {
    if (r.enabled !== 1) continue;
    out.set(canonicalAddress(r.address), {
      id: r.id,
      name: r.name,
      address: canonicalAddress(r.address),
      secret: Buffer.from(await secrets.open(r.secret_sealed, clientSecretPurpose(r.id)), 'utf8'),
      vendor: toClientOut(r).vendor,
      hotspotId: r.hotspot_id,
      requireMessageAuthenticator: r.require_ma === 1,
      macAuthDays: r.mac_auth_days,
      idleTimeoutS: r.idle_timeout_s,
      interimS: r.interim_s,
      coaPort: r.coa_port,
    });
  }
  return out;
}
