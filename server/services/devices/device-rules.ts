import { SNMP_DEFAULTS_BY_ROLE, type CoverageSpec, type DeviceBody, type DeviceOut, type DeviceRole, type Vendor } from '../../../core/schemas/inventory.ts';
import type { DeviceTarget } from '../../../core/observations.ts';
import { trafficSelection, type TrafficSelection } from '../../../core/interface-roles.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import { isMonitored, type DeviceRow } from '../../db/devices.ts';

/** What is sealed per device: only the secrets, never the address or the user name. */
export interface DeviceSecrets {
  community?: string;
  routerosPassword?: string;
}

const purpose = (id: string): string => `device-secrets:${id}`;

export async function sealDeviceSecrets(box: SecretBox, id: string, s: DeviceSecrets): Promise<string | null> {
  if (s.community === undefined && s.routerosPassword === undefined) return null;
  return box.seal(JSON.stringify(s), purpose(id));
}

export async function openDeviceSecrets(box: SecretBox, row: Pick<DeviceRow, 'id' | 'secrets_sealed'>): Promise<DeviceSecrets> {
  if (row.secrets_sealed === null) return {};
  return JSON.parse(await box.open(row.secrets_sealed, purpose(row.id))) as DeviceSecrets;
}

export const ROUTEROS_PORTS = { plain: 8728, tls: 8729 } as const;

/** The columns a device body sets (credentials excluded: they are sealed separately). */
export function deviceColumns(b: Partial<DeviceBody>): Partial<DeviceRow> {
  const out: Partial<DeviceRow> = {};
  if (b.siteId !== undefined) out.site_id = b.siteId ?? null;
  if (b.name !== undefined) out.name = b.name;
  if (b.role !== undefined) out.role = b.role;
  if (b.vendor !== undefined) out.vendor = b.vendor;
  if (b.model !== undefined) out.model = b.model ?? null;
  if (b.address !== undefined) out.address = b.address;
  if (b.pollIntervalS !== undefined) out.poll_interval_s = b.pollIntervalS;
  if (b.enabled !== undefined) out.enabled = b.enabled ? 1 : 0;
  if (b.monitor !== undefined) out.monitor = b.monitor ? 1 : 0;
  if (b.coverage !== undefined) out.coverage = b.coverage === null ? null : JSON.stringify(b.coverage);
  if (b.collectorGroup !== undefined) out.collector_group = b.collectorGroup;
  if (b.trafficInterfaces !== undefined) out.traffic_interfaces = b.trafficInterfaces === null ? null : JSON.stringify(b.trafficInterfaces);
  if (b.snmp !== undefined) {
    out.snmp_port = b.snmp?.port ?? null;
    out.snmp_version = b.snmp?.version ?? null;
    out.snmp_timeout_ms = b.snmp?.timeoutMs ?? null;
    out.snmp_retries = b.snmp?.retries ?? null;
  }
  if (b.routeros !== undefined) {
    out.routeros_port = b.routeros === null ? null : (b.routeros.port ?? (b.routeros.tls ? ROUTEROS_PORTS.tls : ROUTEROS_PORTS.plain));
    out.routeros_tls = b.routeros === null ? null : b.routeros.tls ? 1 : 0;
    out.routeros_username = b.routeros?.username ?? null;
  }
  return out;
}

/** Issue 11: the device's own SNMP timeout and retries, else its role's default. */
export function snmpPatience(r: Pick<DeviceRow, 'role' | 'snmp_timeout_ms' | 'snmp_retries'>): { timeoutMs: number; retries: number } {
  const d = SNMP_DEFAULTS_BY_ROLE[r.role as DeviceRole] ?? SNMP_DEFAULTS_BY_ROLE.ap;
  return { timeoutMs: r.snmp_timeout_ms ?? d.timeoutMs, retries: r.snmp_retries ?? d.retries };
}

/** The stored selection, or null (the default) when there is none or it no longer reads as one. */
function storedSelection(json: string | null | undefined): TrafficSelection | null {
  if (json == null) return null;
  try {
    const parsed = trafficSelection.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function toDeviceOut(r: DeviceRow, secretsSet: { community: boolean; routerosPassword: boolean }): DeviceOut {
  return {
    id: r.id,
    siteId: r.site_id,
    collectorGroup: r.collector_group ?? null,
    name: r.name,
    role: r.role as DeviceRole,
    vendor: (r.vendor as Vendor | null) ?? null,
    model: r.model,
    address: r.address,
    snmp:
      r.snmp_port === null
        ? null
        : { port: r.snmp_port, version: r.snmp_version ?? '2c', communitySet: secretsSet.community, ...snmpPatience(r), patienceSet: r.snmp_timeout_ms != null || r.snmp_retries != null },
    routeros:
      r.routeros_port === null
        ? null
        : { port: r.routeros_port, tls: r.routeros_tls === 1, username: r.routeros_username ?? '', passwordSet: secretsSet.routerosPassword },
    pollIntervalS: r.poll_interval_s,
    enabled: r.enabled === 1,
    monitor: (r.monitor ?? 1) === 1,
    monitored: isMonitored(r),
    coverage: r.coverage === null ? null : (JSON.parse(r.coverage) as CoverageSpec),
    trafficInterfaces: storedSelection(r.traffic_interfaces),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** A device as the collectors need it, credentials opened. Stays in memory; never logged or returned. */
export async function toDeviceTarget(box: SecretBox, r: DeviceRow): Promise<DeviceTarget> {
  const s = await openDeviceSecrets(box, r);
  return {
    deviceId: r.id,
    address: r.address,
    vendor: (r.vendor as Vendor | null) ?? null,
    pollIntervalS: r.poll_interval_s,
    snmp:
      r.snmp_port === null || s.community === undefined
        ? null
        : { community: s.community, port: r.snmp_port, version: r.snmp_version === '1' ? '1' : '2c', ...snmpPatience(r) },
    routeros:
      r.routeros_port === null
        ? null
        : { username: r.routeros_username ?? '', password: s.routerosPassword ?? '', port: r.routeros_port, tls: r.routeros_tls === 1 },
  };
}
