/** Sign-in flows: one per visit from a hotspot's login page, found by the SHA-256 of the token in the flow cookie. */
import type { Executor } from '../../db/types.ts';
import { portalDb, type PortalFlowsTable, type PortalHotspotsTable } from './types.ts';

export type PortalFlowRow = PortalFlowsTable;

export async function insertFlow(db: Executor, row: PortalFlowRow): Promise<void> {
  await portalDb(db).insertInto('portal_flows').values(row).execute();
}

export async function findFlow(db: Executor, id: string): Promise<PortalFlowRow | undefined> {
  return portalDb(db).selectFrom('portal_flows').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateFlow(db: Executor, id: string, patch: Partial<Omit<PortalFlowRow, 'id'>>): Promise<void> {
  await portalDb(db).updateTable('portal_flows').set(patch).where('id', '=', id).execute();
}

/**
 * Takes a flow for one grant (issue 10): one conditional UPDATE moves it from a state that may still grant to
 * 'granted', so of any number of simultaneous replays exactly one gets `true`.
 */
export async function claimFlow(db: Executor, id: string, from: readonly string[], usedVars: string): Promise<boolean> {
  const r = await portalDb(db).updateTable('portal_flows').set({ state: 'granted', vars: usedVars }).where('id', '=', id).where('state', 'in', from).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Gives a claimed flow back with its variables (its grant was refused: the citizen may try again on the same page). */
export async function releaseFlow(db: Executor, id: string, state: string, vars: string): Promise<void> {
  await portalDb(db).updateTable('portal_flows').set({ state, vars }).where('id', '=', id).where('state', '=', 'granted').execute();
}

export async function deleteFlow(db: Executor, id: string): Promise<void> {
  await portalDb(db).deleteFrom('portal_flows').where('id', '=', id).execute();
}

export async function purgeExpiredFlows(db: Executor, nowMs: number): Promise<number> {
  const r = await portalDb(db).deleteFrom('portal_flows').where('expires_at', '<', nowMs).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The flow and its hotspot in one query (null hotspot for "my data" flows or a hotspot since removed). */
export async function findFlowWithHotspot(db: Executor, id: string): Promise<{ row: PortalFlowRow; hotspot: PortalHotspotsTable | null } | undefined> {
  const r = await portalDb(db)
    .selectFrom('portal_flows as f')
    .leftJoin('portal_hotspots as h', 'h.id', 'f.hotspot_id')
    .selectAll('f')
    .select([
      'h.id as h_id',
      'h.device_id as h_device_id',
      'h.identity as h_identity',
      'h.server_name as h_server_name',
      'h.server_address as h_server_address',
      'h.login_mode as h_login_mode',
      'h.methods as h_methods',
      'h.user_profile as h_user_profile',
      'h.rate_limit as h_rate_limit',
      'h.terms_session_s as h_terms_session_s',
      'h.signed_session_s as h_signed_session_s',
      'h.daily_time_s as h_daily_time_s',
      'h.daily_bytes as h_daily_bytes',
      'h.max_devices as h_max_devices',
      'h.enabled as h_enabled',
      'h.created_at as h_created_at',
      'h.updated_at as h_updated_at',
    ])
    .where('f.id', '=', id)
    .executeTakeFirst();
  if (r === undefined) return undefined;
  const row: PortalFlowRow = {
    id: r.id,
    hotspot_id: r.hotspot_id,
    vars: r.vars,
    state: r.state,
    phone_hash: r.phone_hash,
    citizen_id: r.citizen_id,
    grant_id: r.grant_id,
    created_at: r.created_at,
    expires_at: r.expires_at,
    client_hash: r.client_hash ?? null,
  };
  const hotspot: PortalHotspotsTable | null =
    r.h_id === null
      ? null
      : {
          id: r.h_id,
          device_id: r.h_device_id as string,
          identity: r.h_identity as string,
          server_name: r.h_server_name,
          server_address: r.h_server_address as string,
          login_mode: r.h_login_mode as string,
          methods: r.h_methods as string,
          user_profile: r.h_user_profile,
          rate_limit: r.h_rate_limit,
          terms_session_s: r.h_terms_session_s as number,
          signed_session_s: r.h_signed_session_s as number,
          daily_time_s: r.h_daily_time_s as number,
          daily_bytes: r.h_daily_bytes as number,
          max_devices: r.h_max_devices as number,
          enabled: r.h_enabled as number,
          created_at: r.h_created_at as string,
          updated_at: r.h_updated_at as string,
        };
  return { row, hotspot };
}
