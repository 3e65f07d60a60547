/**
 * The fleet-wide incident list (filters by state, ward, site, provider, cause, period, acknowledgement) and
 * acknowledgements: who took an incident in hand, when, with a note. An acknowledgement is set once (two people
 * acknowledging at once: one wins, the other gets 409 naming who); it can be withdrawn. Channels are told.
 */
import { AppError } from '../../../core/errors.ts';
import { severityOfRole } from '../../../core/schemas/alerts.ts';
import type { IncidentOut } from '../../../core/schemas/monitoring.ts';
import { isoAt } from '../../../core/time.ts';
import { clearIncidentAck, findIncidentRow, incidentRows, setIncidentAck, type IncidentFilter, type IncidentRow } from '../../db/incidents.ts';
import { inTransaction } from '../../db/tx.ts';
import { findUserById } from '../../db/users.ts';
import type { ServiceCtx } from '../../deps.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { notifyAcknowledged } from '../alerts/dispatch.ts';
import { assertNamedInScope, scopeOf } from '../regions/scope.ts';

export function toIncidentOut(r: IncidentRow): IncidentOut {
  const ended = r.ended_ms === null ? null : Number(r.ended_ms);
  return {
    id: r.id,
    deviceId: r.device_id,
    deviceName: r.device_name,
    deviceRole: r.device_role,
    siteId: r.site_id,
    siteName: r.site_name,
    wardCode: r.ward_code,
    provider: r.provider,
    severity: severityOfRole(r.device_role),
    startedAt: isoAt(Number(r.started_ms)),
    endedAt: ended === null ? null : isoAt(ended),
    durationS: ended === null ? null : (ended - Number(r.started_ms)) / 1000,
    cause: { kind: r.cause_kind, message: r.cause_message },
    endReason: r.end_reason ?? null,
    acknowledged: r.ack_at_ms == null ? null : { byId: r.ack_by_id ?? null, by: r.ack_by ?? '', at: isoAt(Number(r.ack_at_ms)), note: r.ack_note ?? null },
  };
}

export async function listIncidentPage(
  ctx: ServiceCtx,
  q: Omit<IncidentFilter, 'fromMs' | 'toMs'> & { from?: string | undefined; to?: string | undefined },
): Promise<{ items: IncidentOut[]; total: number; limit: number; offset: number }> {
  const { from, to, ...rest } = q;
  // Staff limited to one kabupaten/kota (issue 17): its devices' incidents only; a named device, site or ward elsewhere is refused.
  await assertNamedInScope(ctx, rest);
  const city = scopeOf(ctx);
  const { rows, total } = await incidentRows(ctx.db, {
    ...rest,
    ...(city === null ? {} : { cityCode: city }),
    ...(from === undefined ? {} : { fromMs: Date.parse(from) }),
    ...(to === undefined ? {} : { toMs: Date.parse(to) }),
  });
  return { items: rows.map(toIncidentOut), total, limit: q.limit, offset: q.offset };
}

/** The name staff see for who acknowledged: the display name when there is one, else the e-mail. */
async function actorLabel(ctx: ServiceCtx): Promise<string> {
  if (ctx.actor === null) return 'system';
  const u = await findUserById(ctx.db, ctx.actor.userId);
  return u?.display_name != null && u.display_name !== '' ? `${u.display_name} (${u.email})` : ctx.actor.email;
}

export async function acknowledgeIncident(ctx: ServiceCtx, id: string, body: { note?: string | undefined }): Promise<IncidentOut> {
  const row = await findIncidentRow(ctx.db, id);
  if (row === undefined) throw new AppError('not_found', `no incident ${id}`);
  const atMs = ctx.clock.nowMs();
  const by = await actorLabel(ctx);
  const note = body.note === undefined || body.note === '' ? null : body.note;
  await inTransaction(ctx, async (trx) => {
    if ((await setIncidentAck(trx, id, { byId: ctx.actor?.userId ?? null, by, atMs, note })) === 0) {
      const now = await findIncidentRow(trx, id);
      throw new AppError('conflict', `incident ${id} was already acknowledged by ${now?.ack_by ?? 'someone'}`);
    }
    await recordAudit(ctx, trx, { action: 'acknowledge', entity: 'incident', entityId: id, detail: { note: note !== null } });
  });
  const done = { ...row, ack_by_id: ctx.actor?.userId ?? null, ack_by: by, ack_at_ms: atMs, ack_note: note };
  ctx.defer(
    notifyAcknowledged(
      ctx,
      { incidentId: id, deviceId: row.device_id, startedAtMs: Number(row.started_ms), detectedAtMs: Number(row.detected_ms), endedAtMs: row.ended_ms === null ? null : Number(row.ended_ms), cause: { kind: row.cause_kind, message: row.cause_message } },
      { by, atMs, note },
    ),
  );
  return toIncidentOut(done);
}

export async function withdrawAcknowledgement(ctx: ServiceCtx, id: string): Promise<IncidentOut> {
  const row = await findIncidentRow(ctx.db, id);
  if (row === undefined) throw new AppError('not_found', `no incident ${id}`);
  await inTransaction(ctx, async (trx) => {
    if ((await clearIncidentAck(trx, id)) === 0) throw new AppError('conflict', `incident ${id} is not acknowledged`);
    await recordAudit(ctx, trx, { action: 'unacknowledge', entity: 'incident', entityId: id });
  });
  return toIncidentOut({ ...row, ack_by_id: null, ack_by: null, ack_at_ms: null, ack_note: null });
}
