/**
 * A sign-in flow: created when a hotspot's login page posts its variables, held by the browser as a random token in
 * an HttpOnly cookie (only its SHA-256 is stored), and guarded on every form by a CSRF token derived from it with
 * the server's key. A new flow token is minted for every hand-off: a token the browser brings is never adopted.
 */
import { constantTimeEqual, newSecretToken, sha256Hex } from '../../crypto/random.ts';
import { findFlowWithHotspot, insertFlow, updateFlow, type PortalFlowRow } from '../queries/flows.ts';
import type { PortalHotspotRow } from '../queries/hotspots.ts';
import type { ServiceCtx } from '../../deps.ts';
import { parseHotspotVars, type HotspotHandoff } from '../pure/hotspot-vars.ts';
import { csrfOfToken } from '../pure/portal-keys.ts';
import { identifyHotspot } from './hotspots.ts';
import { clientAddressHash, reserveFlowOfAddress, reserveFlowOfHotspot } from './portal-limits.ts';

export const FLOW_COOKIE = 'jk_portal_flow';
export const FLOW_TTL_MS = 30 * 60_000;

/** What a flow carries besides its columns. */
export interface FlowData {
  handoff: HotspotHandoff;
  /** Sealed password of the hotspot user once granted (needed again after a queued provisioning). */
  passwordSealed?: string;
  lang?: 'id' | 'en';
  /** The number a code was sent to, sealed (phone purpose), until the code is proven. */
  phoneSealed?: string;
  /** A voucher code from a printed QR code (its portal link came back as the hotspot's `dst`). Issue 14. */
  voucherCode?: string;
}

export interface LoadedFlow {
  token: string;
  row: PortalFlowRow;
  data: FlowData;
  hotspot: PortalHotspotRow | null;
}

export type StartFlowResult = { kind: 'bad_request' } | { kind: 'refused' } | { kind: 'busy'; retryAfterS: number } | { kind: 'ok'; flow: LoadedFlow };

/** Writes a prepared flow (the hand-off page; the one-request sign-in writes it in its own transaction). */
export async function saveNewFlow(ctx: ServiceCtx, flow: LoadedFlow): Promise<void> {
  await insertFlow(ctx.db, flow.row);
}

/** The flow of a hand-off, not yet written (the one-request sign-in writes it in its transaction). */
export async function prepareFlow(ctx: ServiceCtx, raw: Record<string, string>): Promise<StartFlowResult> {
  const parsed = parseHotspotVars(raw);
  if (!parsed.ok) return { kind: parsed.reason === 'no_identity' ? 'refused' : 'bad_request' };
  // Issue 10: flood budgets per client address and per hotspot, each reserved before the work it guards.
  const byAddress = await reserveFlowOfAddress(ctx);
  if (!byAddress.ok) return { kind: 'busy', retryAfterS: byAddress.retryAfterS };
  const hotspot = await identifyHotspot(ctx, parsed.handoff);
  if (hotspot === null) return { kind: 'refused' };
  const byHotspot = await reserveFlowOfHotspot(ctx, hotspot.id);
  if (!byHotspot.ok) return { kind: 'busy', retryAfterS: byHotspot.retryAfterS };
  const token = newSecretToken();
  const now = ctx.clock.nowMs();
  const data: FlowData = { handoff: parsed.handoff };
  const row: PortalFlowRow = {
    id: sha256Hex(token),
    hotspot_id: hotspot.id,
    vars: JSON.stringify(data),
    state: 'start',
    phone_hash: null,
    citizen_id: null,
    grant_id: null,
    created_at: now,
    expires_at: now + FLOW_TTL_MS,
    client_hash: await clientAddressHash(ctx),
  };
  return { kind: 'ok', flow: { token, row, data, hotspot } };
}

/** A flow for the "my data" pages: no hotspot, same cookie and CSRF rules. */
export async function startDataFlow(ctx: ServiceCtx): Promise<LoadedFlow> {
  const token = newSecretToken();
  const now = ctx.clock.nowMs();
  const data: FlowData = {
    handoff: { mac: null, ip: null, identity: '', serverName: null, serverHost: '', linkLoginOnly: null, dst: null, chapIdHex: null, chapChallengeHex: null, routerError: null },
  };
  const row: PortalFlowRow = {
    id: sha256Hex(token),
    hotspot_id: '',
    vars: JSON.stringify(data),
    state: 'data_start',
    phone_hash: null,
    citizen_id: null,
    grant_id: null,
    created_at: now,
    expires_at: now + FLOW_TTL_MS,
  };
  await insertFlow(ctx.db, row);
  return { token, row, data, hotspot: null };
}

export async function loadFlow(ctx: ServiceCtx, token: string | undefined): Promise<LoadedFlow | null> {
  if (token === undefined || !/^[a-z2-7]{32}$/.test(token)) return null;
  const found = await findFlowWithHotspot(ctx.db, sha256Hex(token));
  if (found === undefined || Number(found.row.expires_at) <= ctx.clock.nowMs()) return null;
  const { row, hotspot } = found;
  if (row.hotspot_id !== '' && (hotspot === null || hotspot.enabled !== 1)) return null;
  return { token, row, data: JSON.parse(row.vars) as FlowData, hotspot };
}

/**
 * Issue 10: a sign-in flow belongs to the client it was started from. The hotspot posted the client's MAC and
 * address with the hand-off and the grant's hotspot user is bound to that MAC; every later step must also come from
 * the address the hand-off came from, so a flow cookie carried to another device or network grants nothing there.
 */
export async function flowFromSameClient(ctx: ServiceCtx, flow: LoadedFlow): Promise<boolean> {
  const bound = flow.row.client_hash;
  if (bound === null || bound === undefined) return true;
  return constantTimeEqual(bound, await clientAddressHash(ctx));
}

export async function saveFlow(ctx: ServiceCtx, flow: LoadedFlow, patch: Partial<Omit<PortalFlowRow, 'id'>>): Promise<void> {
  Object.assign(flow.row, patch);
  await updateFlow(ctx.db, flow.row.id, { ...patch, vars: JSON.stringify(flow.data) });
}

/**
 * The variables a used flow keeps (issue 10, UU PDP): once it has granted, nothing reads the device's MAC and
 * address, the page it was going to, the router's login URL or CHAP challenge again, so they are dropped rather
 * than sealed (a sealed copy would still be personal data with no use). What remains names the hotspot only.
 * Flows that end unused are deleted by the retention purge (at start, then every 6 hours) once they expire.
 */
export function usedFlowVars(data: FlowData): string {
  const h = data.handoff;
  const kept: FlowData = {
    handoff: { mac: null, ip: null, identity: h.identity, serverName: h.serverName, serverHost: h.serverHost, linkLoginOnly: null, dst: null, chapIdHex: null, chapChallengeHex: null, routerError: null },
    ...(data.lang === undefined ? {} : { lang: data.lang }),
  };
  return JSON.stringify(kept);
}

/** A queued sign-in handed off at last (GET /portal/wait): the flow is used, its client data dropped. */
export async function endFlow(ctx: ServiceCtx, flow: LoadedFlow): Promise<void> {
  flow.row.state = 'granted';
  await updateFlow(ctx.db, flow.row.id, { state: 'granted', vars: usedFlowVars(flow.data) });
}

export async function csrfTokenFor(_ctx: Pick<ServiceCtx, 'secrets'>, flowToken: string): Promise<string> {
  return csrfOfToken(flowToken);
}

export async function csrfMatches(_ctx: Pick<ServiceCtx, 'secrets'>, flowToken: string, submitted: string | undefined): Promise<boolean> {
  if (submitted === undefined || submitted.length > 100) return false;
  return constantTimeEqual(csrfOfToken(flowToken), submitted);
}

export function flowCookie(token: string, options: { secure: boolean }): string {
  return `${FLOW_COOKIE}=${token}; Path=/portal; HttpOnly; SameSite=Lax; Max-Age=${FLOW_TTL_MS / 1000}${options.secure ? '; Secure' : ''}`;
}
