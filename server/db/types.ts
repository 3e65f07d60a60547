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
  /** The kabupaten/kota this account is limited to (regions.code); null: everywhere. */
  scope_city_code?: string | null;
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
  /** `personal` (a person's scripts) or `collector` (one standalone collector's, see collector_id). Issue 10. */
  kind: string;
  collector_id: string | null;
}

/** Addresses a staff account signed in from (keyed hash): each keeps its own budget of wrong passwords. */
export interface LoginAddressesTable {
  user_id: string;
  address_hash: string;
  last_ok_ms: number;
}

/** Issue 10: server-wide settings an admin changes at run time, one JSON value per key. */
export interface AppSettingsTable {
  key: string;
  value: string;
  updated_at: string;
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
  /** The ward's kecamatan and kabupaten/kota (regions.code), when the import carried them (issue 17). */
  district_code?: string | null;
  city_code?: string | null;
}

/** A region above the ward: province, kabupaten/kota (`city`) or kecamatan (`district`). */
export interface RegionsTable {
  code: string;
  level: string;
  name: string;
  parent_code: string | null;
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
  /** Issue 10: optional external key (the city's or operator's site code); CSV re-imports match on it. */
  code: string | null;
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
  /** Issue 17: the collector group (network zone) whose collectors poll it; null: `default`. */
  collector_group?: string | null;
  coverage: string | null;
  created_at: string;
  updated_at: string;
  /** Issue 11 (migration 0011): 0 = inventory only; per-device SNMP patience (null: the role's default); traffic interfaces (JSON, null: physical). */
  monitor?: number;
  snmp_timeout_ms?: number | null;
  snmp_retries?: number | null;
  traffic_interfaces?: string | null;
}

export interface MetaTable {
  key: string;
  value: string;
}


export interface IngestBatchesTable {
  batch_id: string;
  collector_id: string;
  received_at_ms: number;
  items: number;
}

export interface PollsTable {
  device_id: string;
  at_ms: number;
  ok: number;
  duration_ms: number;
  error_kind: string | null;
  error_message: string | null;
}

export interface DeviceStatusTable {
  device_id: string;
  status: string;
  since_ms: number;
  last_poll_ms: number | null;
  last_ok_ms: number | null;
  last_error_kind: string | null;
  last_error_message: string | null;
  last_error_ms: number | null;
  uptime_s: number | null;
  clients: number | null;
  in_bps: number | null;
  out_bps: number | null;
  sys_name: string | null;
  sys_descr: string | null;
  version: string | null;
  ssids: string | null;
  last_counters: string | null;
  /** Issue 11 (migration 0018): the last poll's interfaces with role, counted and rates (JSON, StoredInterface[]). */
  interfaces: string | null;
}

export interface StatusTransitionsTable {
  device_id: string;
  at_ms: number;
  status: string;
}

export interface IncidentsTable {
  id: string;
  device_id: string;
  started_ms: number;
  detected_ms: number;
  ended_ms: number | null;
  cause_kind: string;
  cause_message: string;
  /** Acknowledgement (issue 13; migration 0013): who, when, note. */
  ack_by_id?: string | null;
  ack_by?: string | null;
  ack_at_ms?: number | null;
  ack_note?: string | null;
  /** Issue 11: why it ended other than by recovery (disabled, deleted, unmonitored); null for a recovery. */
  end_reason?: string | null;
}

export interface RebootsTable {
  device_id: string;
  booted_at_ms: number;
  detected_ms: number;
  previous_uptime_s: number;
}

export interface SamplesRawTable {
  device_id: string;
  t_ms: number;
  interval_ms: number;
  in_bps: number | null;
  out_bps: number | null;
  clients: number | null;
  in_bytes: number | null;
  out_bytes: number | null;
}

export interface SamplesRollupTable {
  device_id: string;
  bucket_ms: number;
  t_ms: number;
  samples: number;
  rate_samples: number;
  client_samples: number;
  in_bps_avg: number | null;
  in_bps_max: number | null;
  out_bps_avg: number | null;
  out_bps_max: number | null;
  clients_avg: number | null;
  clients_max: number | null;
  in_bytes: number;
  out_bytes: number;
}

export interface WebhooksTable {
  id: string;
  url: string;
  secret_sealed: string;
  enabled: number;
  created_at: string;
}

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  incident_id: string;
  event: string;
  at_ms: number;
  ok: number;
  attempts: number;
  status: number | null;
  error: string | null;
}

export interface MaintenanceWindowsTable {
  id: string;
  device_id: string | null;
  site_id: string | null;
  starts_ms: number;
  ends_ms: number;
  reason: string | null;
  created_at: string;
}

export interface CollectorsTable {
  id: string;
  last_seen_ms: number;
  last_batch_id: string | null;
  /** Issue 11: results and events for deleted or unknown devices that ingest dropped, counted since the first batch. */
  dropped_items?: number;
  dropped_events?: number;
  /** Issue 17: the collector group it last asked leases for, and when. */
  group_name?: string | null;
  leases_renewed_ms?: number | null;
}

/** Issue 11: the background-job table's record of each job's last run (server/jobs). */
export interface JobRunsTable {
  name: string;
  runs: number;
  last_started_ms: number | null;
  last_finished_ms: number | null;
  last_ok: number | null;
  last_error: string | null;
  last_runner: string | null;
}

export interface DeviceLeasesTable {
  device_id: string;
  collector_id: string;
  group_name: string;
  acquired_ms: number;
  expires_ms: number;
  released: number;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  rate_limits: RateLimitsTable;
  login_addresses: LoginAddressesTable;
  app_settings: AppSettingsTable;
  audit_log: AuditLogTable;
  wards: WardsTable;
  regions: RegionsTable;
  sites: SitesTable;
  devices: DevicesTable;
  meta: MetaTable;
  ingest_batches: IngestBatchesTable;
  polls: PollsTable;
  device_status: DeviceStatusTable;
  status_transitions: StatusTransitionsTable;
  incidents: IncidentsTable;
  reboots: RebootsTable;
  samples_raw: SamplesRawTable;
  samples_rollup: SamplesRollupTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  maintenance_windows: MaintenanceWindowsTable;
  collectors: CollectorsTable;
  job_runs: JobRunsTable;
  device_leases: DeviceLeasesTable;
  candidates: CandidatesTable;
  plans: PlansTable;
  rollout_items: RolloutItemsTable;
  kpi_thresholds: KpiThresholdsTable;
  kpi_snapshots: KpiSnapshotsTable;
  blank_spot_reports: BlankSpotReportsTable;
  alert_channels: AlertChannelsTable;
  alert_deliveries: AlertDeliveriesTable;
  open_data_snapshots: OpenDataSnapshotsTable;
  widget_tokens: WidgetTokensTable;
  kpi_programme: KpiProgrammeTable;
  kpi_programme_changes: KpiProgrammeChangesTable;
  kpi_notes: KpiNotesTable;
  monthly_reports: MonthlyReportsTable;
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

// --- Planning (issue 5; migration 0003-planning) -------------------------------------------------------------

export interface CandidatesTable {
  id: string;
  name: string;
  /** ward-office | school | mosque | health-post | park | other | gap-centroid | gap-grid */
  kind: string;
  lat: number;
  lon: number;
  ward_code: string | null;
  cost: number | null;
  feasible: number;
  /** 'imported' or 'generated' (inside a coverage gap). */
  source: string;
  created_at: string;
}

export interface PlansTable {
  id: string;
  name: string;
  created_at: string;
  created_by: string | null;
  site_count: number;
  new_residents: number;
  /** JSON of the request. */
  params: string;
  /** JSON of the answer (sites, curve, bound, warnings). */
  result: string;
}

export interface RolloutItemsTable {
  id: string;
  programme: string;
  plan_id: string | null;
  candidate_id: string | null;
  name: string;
  lat: number;
  lon: number;
  ward_code: string | null;
  /** proposed | approved | installing | live | dropped */
  status: string;
  department: string | null;
  provider: string | null;
  budget: number | null;
  site_id: string | null;
  device_id: string | null;
  proposed_at: string;
  approved_at: string | null;
  installing_at: string | null;
  live_at: string | null;
  dropped_at: string | null;
  /** Due dates (YYYY-MM-DD) of the steps. */
  due_approved: string | null;
  due_installing: string | null;
  due_live: string | null;
  notes: string | null;
  /** The person in charge (issue 13). */
  owner?: string | null;
  created_at: string;
  updated_at: string;
}

export interface KpiThresholdsTable {
  key: string;
  green: number;
  red: number;
  updated_at: string;
}

export interface KpiSnapshotsTable {
  day: string;
  /** 'ward' | 'provider' | 'programme' | 'city' */
  scope: string;
  scope_key: string;
  key: string;
  value: number | null;
  status: string;
  taken_at: string;
}

export interface BlankSpotReportsTable {
  id: string;
  lat: number;
  lon: number;
  ward_code: string | null;
  /** The citizen's note; nothing else about them is stored. */
  note: string;
  created_at: string;
  /** Triage by staff (issue 13): new | seen | planned | resolved. */
  triage?: string;
  triage_note?: string | null;
  triage_by?: string | null;
  triage_at?: string | null;
}

// --- Console actions (issue 13; migration 0013-console-actions) ------------------------------------------------

export interface AlertChannelsTable {
  id: string;
  /** webhook | telegram | email */
  kind: string;
  name: string;
  enabled: number;
  target: string;
  settings: string;
  secret_sealed: string | null;
  ward_codes: string | null;
  min_severity: string;
  events: string;
  created_at: string;
  updated_at: string;
}

export interface AlertDeliveriesTable {
  id: string;
  channel_id: string;
  incident_id: string | null;
  event: string;
  at_ms: number;
  ok: number;
  attempts: number;
  status: number | null;
  error: string | null;
}

// --- The mayor's report and Satu Data (issue 15; migration 0015-satu-data) ---------------------------------------

export interface OpenDataSnapshotsTable {
  day: string;
  dataset: string;
  taken_at: string;
  rows: number;
  body: string;
}

export interface WidgetTokensTable {
  id: string;
  name: string;
  token_hash: string;
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface KpiProgrammeTable {
  key: string;
  definition_id: string | null;
  definition_en: string | null;
  target: number | null;
  department: string | null;
  pic_name: string | null;
  pic_contact: string | null;
  updated_at: string;
  updated_by: string;
}

export interface KpiProgrammeChangesTable {
  id: string;
  key: string;
  at: string;
  by_id: string | null;
  by_label: string;
  changes: string;
}

export interface KpiNotesTable {
  key: string;
  month: string;
  note: string;
  by_label: string;
  updated_at: string;
}

export interface MonthlyReportsTable {
  month: string;
  generated_at: string;
  bytes: number;
  pdf_base64: string;
}
