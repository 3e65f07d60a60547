/**
 * Tables of the captive portal, as the application sees them today (migration 0004-portal is the frozen schema).
 * Kept apart from types.ts so the portal can grow without touching the foundation's file; `portalDb` widens an
 * executor to see both. Instants used in arithmetic are integer milliseconds; `day` is YYYY-MM-DD in the city's time.
 */
import type { Kysely } from 'kysely';
import type { Database, Executor } from '../../db/types.ts';

export interface PortalSettingsTable {
  key: string;
  /** JSON; secrets inside are sealed. */
  value: string;
  updated_at: string;
}

export interface PortalHotspotsTable {
  id: string;
  device_id: string;
  /** The router's /system identity, as the hotspot posts it in `identity`. */
  identity: string;
  /** Hotspot server name (`server-name`), or null to accept any. */
  server_name: string | null;
  /** The hotspot's own address (IPv4 or host name) that `link-login-only` must point at. */
  server_address: string;
  /** 'form' (browser posts CHAP/PAP to link-login-only) or 'direct' (/ip/hotspot/active/login over the API). */
  login_mode: string;
  /** JSON array of sign-in methods: "terms", "otp", "voucher". */
  methods: string;
  user_profile: string | null;
  /** MikroTik rate-limit string, e.g. "2M/5M". */
  rate_limit: string | null;
  terms_session_s: number;
  signed_session_s: number;
  daily_time_s: number;
  daily_bytes: number;
  max_devices: number;
  enabled: number;
  created_at: string;
  updated_at: string;
  /** Issue 14: the Wi-Fi name, and when the user profile last reached the router (or why it did not). */
  ssid?: string | null;
  profile_pushed_at?: string | null;
  profile_push_error?: string | null;
}

export interface PortalCitizensTable {
  /** Opaque id: the only link between an identity and connection data. */
  id: string;
  /** 'phone' | 'voucher' | 'terms' */
  kind: string;
  phone_hash: string | null;
  phone_sealed: string | null;
  created_at: string;
  last_seen_at: number;
}

export interface PortalConsentsTable {
  id: string;
  citizen_id: string;
  terms_version: string;
  accepted_at: string;
}

export interface PortalFlowsTable {
  /** SHA-256 of the flow token held in the browser's cookie. */
  id: string;
  hotspot_id: string;
  /** JSON of the validated hotspot variables (HotspotHandoff). */
  vars: string;
  /** 'start' | 'otp_sent' | 'granted' | 'waiting' (and 'data_*' for "my data"). Only start/otp_sent may grant. */
  state: string;
  phone_hash: string | null;
  citizen_id: string | null;
  grant_id: string | null;
  created_at: number;
  expires_at: number;
  /** Issue 10: keyed hash of the address the flow was started from; later steps must come from it. Null: any. */
  client_hash?: string | null;
}

export interface PortalSessionsTable {
  id: string;
  citizen_id: string;
  created_at: number;
  expires_at: number;
}

export interface PortalOtpsTable {
  id: string;
  flow_id: string;
  phone_hash: string;
  code_hash: string;
  attempts: number;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface PortalSmsOutboxTable {
  id: string;
  phone_hash: string;
  phone_sealed: string;
  body_sealed: string;
  created_at: number;
}

/** Issue 14: one message through the HTTP gateway, with its delivery status. */
export interface PortalSmsMessagesTable {
  id: string;
  phone_hash: string;
  phone_sealed: string | null;
  body_sealed: string | null;
  purpose: string;
  status: 'queued' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: number;
  expires_at: number;
  cost_day: string | null;
  price_idr: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

/** Issue 14: one citizen speed test (no personal data). */
export interface PortalSpeedTestsTable {
  id: string;
  hotspot_id: string;
  ward_code: string | null;
  down_mbps: number;
  up_mbps: number;
  latency_ms: number;
  created_at: number;
}

export interface PortalVoucherBatchesTable {
  id: string;
  name: string;
  hotspot_id: string | null;
  validity_s: number;
  time_quota_s: number;
  data_quota_bytes: number;
  count: number;
  created_by: string | null;
  created_at: string;
  expires_at: number;
  /** Issue 14: printed on the sheet; the host its QR codes open (the hotspot's login page). */
  ssid?: string | null;
  price_idr?: number | null;
  login_host?: string | null;
}

export interface PortalVouchersTable {
  id: string;
  batch_id: string;
  code_hash: string;
  code_sealed: string;
  seq: number;
  citizen_id: string | null;
  redeemed_at: number | null;
  valid_until: number | null;
  /** Set when staff revoked the voucher (issue 16): it signs nobody in again and its sessions are disconnected. */
  revoked_at?: number | null;
}

export interface PortalGrantsTable {
  id: string;
  citizen_id: string;
  hotspot_id: string;
  method: string;
  hotspot_user: string;
  /** Keyed hash of the device's MAC: counts devices without keeping the MAC. */
  device_key: string;
  day: string;
  granted_at: number;
  expires_at: number;
  limit_uptime_s: number;
  limit_bytes: number;
  /** 1 once the hotspot user was removed from the router (or a removal job queued). */
  user_removed: number;
  /** Sealed password of a grant given at a RADIUS hotspot (checked by PAP/CHAP there); null elsewhere. Issue 16. */
  password_sealed?: string | null;
  /** The device's address in the hotspot network as the hotspot posted it (RFC 8908 look-up). Issue 14. */
  client_address?: string | null;
}

export interface PortalUsageSessionsTable {
  id: string;
  hotspot_id: string;
  ward_code: string | null;
  citizen_id: string | null;
  hotspot_user: string;
  address: string;
  day: string;
  started_at: number;
  ended_at: number | null;
  uptime_s: number;
  bytes_in: number;
  bytes_out: number;
}

export interface PortalProvisionJobsTable {
  id: string;
  device_id: string;
  /** 'upsert_user' | 'active_login' | 'remove_user' */
  kind: string;
  /** Sealed JSON of the job (holds the hotspot user's password). */
  payload_sealed: string;
  /** 'queued' | 'claimed' | 'done' | 'failed' */
  status: string;
  attempts: number;
  flow_id: string | null;
  created_at: number;
  claimed_at: number | null;
  claimed_by: string | null;
  finished_at: number | null;
  error: string | null;
  expires_at: number;
}

// A type alias (not an interface) so it satisfies withTables' Record constraint.
export type PortalTables = {
  portal_settings: PortalSettingsTable;
  portal_hotspots: PortalHotspotsTable;
  portal_citizens: PortalCitizensTable;
  portal_consents: PortalConsentsTable;
  portal_flows: PortalFlowsTable;
  portal_sessions: PortalSessionsTable;
  portal_otps: PortalOtpsTable;
  portal_sms_outbox: PortalSmsOutboxTable;
  portal_sms_messages: PortalSmsMessagesTable;
  portal_speed_tests: PortalSpeedTestsTable;
  portal_voucher_batches: PortalVoucherBatchesTable;
  portal_vouchers: PortalVouchersTable;
  portal_grants: PortalGrantsTable;
  portal_usage_sessions: PortalUsageSessionsTable;
  portal_provision_jobs: PortalProvisionJobsTable;
};

export type PortalDb = Kysely<Database & PortalTables>;

/**
 * The same executor (handle or open transaction), typed to see the portal's tables too. A type-level widening only
 * (what Kysely's withTables does, without building a new instance on every call: that cost ~40 us per query).
 */
export function portalDb(db: Executor): PortalDb {
  return db as unknown as PortalDb;
}
