/**
 * Issue 15, slice (e), on SQLite and Postgres: the command centre connected. The live event stream (SSE) sends a
 * snapshot, then device state changes and incidents opened, acknowledged and closed, to several clients at once,
 * and stops its work when a client goes away; wall widgets open with a read-only token in the URL (no staff
 * session), can be framed by other pages, and close when the token is revoked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeIncident, openIncident } from '../../server/db/monitoring.ts';
import { openLiveStreams } from '../../server/services/live/event-stream.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { ingestStatus, seedLiveSites, seedWards, type Seeded } from './planning-seed.ts';

interface Sse { next(timeoutMs?: number): Promise<{ event: string; data: any }>; until(pred: (e: { event: string; data: any }) => boolean, timeoutMs?: number): Promise<{ event: string; data: any }>; close(): Promise<void> }

/** Reads a text/event-stream body event by event. */
function readSse(res: Response): Sse {
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = '';
  const queue: { event: string; data: any }[] = [];
  const pull = async (): Promise<void> => {
    const { value, done } = await reader.read();
    if (done) throw new Error('stream ended');
    buf += dec.decode(value, { stream: true });
    let i: number;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const lines = block.split('\n').filter((l) => !l.startsWith(':'));
      if (lines.length === 0) continue;
      const event = lines.find((l) => l.startsWith('event:'))?.slice(6).trim() ?? 'message';
      const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
      queue.push({ event, data: JSON.parse(data) });
    }
  };
  const next = async (timeoutMs = 15_000): Promise<{ event: string; data: any }> => {
    const deadline = Date.now() + timeoutMs;
    while (queue.length === 0) {
      if (Date.now() > deadline) throw new Error('no event in time');
      await Promise.race([pull(), new Promise((r) => setTimeout(r, Math.max(10, deadline - Date.now())))]);
    }
    return queue.shift()!;
  };
  return {
    next,
    until: async (pred, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const e = await next(Math.max(10, deadline - Date.now()));
        if (pred(e)) return e;
      }
    },
    close: () => reader.cancel(),
  };
}

describe.each(DIALECTS)('live events and wall widgets on %s', (dialect) => {
  let t: TestApp;
  let s: Seeded;
  let admin: string;
  let viewer: string;

  beforeAll(async () => {
    t = await makeTestApp(await openTestDb(dialect));
    admin = await t.signIn('admin');
    viewer = await t.signIn('viewer');
    await seedWards(t, admin);
    s = await seedLiveSites(t, admin, 6, 515);
  }, 180_000);
  afterAll(async () => t?.handle.close());

  it('streams a snapshot, then state changes and incidents, to several clients at once; stops when they leave', async () => {
    expect((await t.call('GET', '/api/v1/events')).status).toBe(401);
    const before = openLiveStreams();
    const clients = await Promise.all([0, 1, 2, 3].map(async () => {
      const res = await t.call('GET', '/api/v1/events', { as: viewer });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      return readSse(res);
    }));
    for (const c of clients) {
      const snap = await c.next();
      expect(snap.event).toBe('snapshot');
      expect(snap.data.devices).toEqual({ up: 6 });
    }
    expect(openLiveStreams()).toBe(before + 4);
    const dev = s.deviceIds[0]!;
    await ingestStatus(t, s.token, [{ id: dev, to: 'down', atMs: t.clock.nowMs() - 1000 }]);
    for (const c of clients) {
      const e = await c.until((x) => x.event === 'state');
      expect(e.data).toMatchObject({ deviceId: dev, from: 'up', to: 'down' });
    }
    const now = t.clock.nowMs();
    const inc = { id: `${dev}@live`, device_id: dev, started_ms: now - 1000, detected_ms: now, ended_ms: null, cause_kind: 'timeout', cause_message: 'no answer' };
    await openIncident(t.handle.db, inc);
    const opened = await clients[0]!.until((x) => x.event === 'incident');
    expect(opened.data).toMatchObject({ kind: 'opened', id: inc.id, deviceId: dev, acknowledged: false });
    const ack = await t.call('POST', `/api/v1/incidents/${encodeURIComponent(inc.id)}/ack`, { as: admin, json: { note: 'teknisi berangkat' } });
    expect(ack.status, await ack.clone().text()).toBe(200);
    expect((await clients[0]!.until((x) => x.event === 'incident')).data).toMatchObject({ kind: 'acknowledged', id: inc.id });
    await closeIncident(t.handle.db, { ...inc, ended_ms: t.clock.nowMs() });
    expect((await clients[0]!.until((x) => x.event === 'incident')).data).toMatchObject({ kind: 'closed', id: inc.id });
    // The stream carries no device address or credential.
    await ingestStatus(t, s.token, [{ id: dev, to: 'up', atMs: t.clock.nowMs() }]);
    const back = await clients[1]!.until((x) => x.event === 'state');
    expect(JSON.stringify(back.data)).not.toMatch(/127\.0\.|community|password/);
    await Promise.all(clients.map((c) => c.close()));
    await expect.poll(() => openLiveStreams(), { timeout: 10_000 }).toBe(before);
  }, 90_000);

  it('opens a wall widget with its read-only token only, lets other pages frame it, and closes it when revoked', async () => {
    expect((await t.call('POST', '/api/v1/widgets/tokens', { as: viewer, json: { name: 'Layar' } })).status).toBe(403);
    const made = await t.call('POST', '/api/v1/widgets/tokens', { as: admin, json: { name: 'Layar komando Diskominfo' } });
    expect(made.status).toBe(201);
    const { id, token, urls } = (await made.json()) as { id: string; token: string; urls: { status: string; summary: string; events: string } };
    expect(token).toMatch(/^jw_[a-z2-7]{32}$/);
    expect(urls.status).toBe(`http://localhost/widgets/status?token=${token}`);
    // No token, a wrong one, or a staff session instead of it: 401.
    expect((await t.call('GET', '/widgets/status')).status).toBe(401);
    expect((await t.call('GET', '/widgets/status?token=jw_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')).status).toBe(401);
    expect((await t.call('GET', '/widgets/status', { as: admin })).status).toBe(401);
    const page = await t.call('GET', `/widgets/status?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors \*/);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'none'/);
    expect(page.headers.get('x-frame-options')).toBeNull();
    const html = await page.text();
    expect(html).toContain('<meta http-equiv="refresh" content="30">');
    expect(html).toMatch(/data-testid="widget-up"><b>6<\/b>/);
    expect(html).not.toMatch(/127\.0\.|@test\.local/);
    // The console's own pages still refuse to be framed.
    expect((await t.call('GET', '/api/v1/public/hotspots')).headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    const summary = await t.call('GET', `/api/v1/widgets/summary?token=${token}`);
    expect(summary.status).toBe(200);
    expect(await summary.json()).toMatchObject({ devices: { up: 6, down: 0 }, openIncidents: [], pointsLive: 6 });
    const events = await t.call('GET', `/api/v1/widgets/events?token=${token}`);
    const sse = readSse(events);
    expect((await sse.next()).event).toBe('snapshot');
    await sse.close();
    const list = await (await t.call('GET', '/api/v1/widgets/tokens', { as: admin })).text();
    expect(list).toContain('Layar komando Diskominfo');
    expect(list).not.toContain(token);
    expect((await t.call('DELETE', `/api/v1/widgets/tokens/${id}`, { as: admin })).status).toBe(200);
    expect((await t.call('GET', `/widgets/status?token=${token}`)).status).toBe(401);
    expect((await t.call('DELETE', `/api/v1/widgets/tokens/${id}`, { as: admin })).status).toBe(404);
    await expect.poll(() => openLiveStreams(), { timeout: 10_000 }).toBe(0);
  }, 60_000);
});
