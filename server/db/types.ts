/**
 * The database as the application sees it today. Migrations never import this file: they are frozen in time and
 * use Kysely<any>. Timestamps of entities are ISO-8601 text; instants used in arithmetic (expiry, rate-limit
 * windows) are integer milliseconds. Booleans are integers 0/1 so one schema serves SQLite, D1 and Postgres.
 */
import type { Generated, Kysely, Transaction } from 'kysely';

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  role: string;
  display_name: string | null;
  must_change_password: number;
  disabled: number;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  /** Hex SHA-256 of the session token; the token itself is never stored. */
  id: string;
  user_id: string;
  expires_at: number;
  created_at: string;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  expires_at: number | null;
  last_used_at: string | null;
}

export interface RateLimitsTable {
  key: string;
  window_start: number;
  hits: number;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  entity: string;
  entity_id: string | null;
  detail: string | null;
  request_id: string | null;
}

export interface WardsTable {
  code: string;
  name: string;
  district: string;
  geometry: string;
  area_m2: number;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  population: number | null;
  population_source: string | null;
  created_at: string;
  updated_at: string;
}

export interface SitesTable {
  id: string;
  name: string;
  lat: number;
  lon: number;
  ward_code: string | null;
  outside_city: number;
  status: string;
  provider: string | null;
  contracted_mbps: number | null;
  address: string | null;
  planned_at: string | null;
  live_at: string | null;
  notes: string | null;
  created_at: string;
  updated_at: string;
}

export interface DevicesTable {
  id: string;
  site_id: string | null;
  name: string;
  role: string;
  vendor: string | null;
  model: string | null;
  address: string;
  snmp_port: number | null;
  snmp_version: string | null;
  routeros_port: number | null;
  routeros_tls: number | null;
  routeros_username: string | null;
  /** Sealed JSON of the device's credentials (community, RouterOS password); see server/crypto/secret-box.ts. */
  secrets_sealed: string | null;
  poll_interval_s: number;
  enabled: number;
  coverage: string | null;
  created_at: string;
  updated_at: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  rate_limits: RateLimitsTable;
  audit_log: AuditLogTable;
  wards: WardsTable;
  sites: SitesTable;
  devices: DevicesTable;
  meta: MetaTable;
}

export type Db = Kysely<Database>;
/** A database handle or an open transaction: query functions accept either. */
export type Executor = Kysely<Database> | Transaction<Database>;
export type { Generated };

export type DialectName = 'sqlite' | 'postgres' | 'd1';

export interface DbHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  close(): Promise<void>;
}
