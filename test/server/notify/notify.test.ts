import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendWebhook } from '../../../server/notify/send-webhook.ts';
import { signatureHeaderValue, verifySignatureHeader } from '../../../server/notify/signature.ts';
import { isIncidentMuted } from '../../../server/notify/maintenance.ts';
import { incidentPayload } from '../../../server/notify/payload.ts';
import type { IncidentWebhookPayload } from '../../../server/notify/payload.ts';
import type { IncidentOpenedEvent } from '../../../core/ingest.ts';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
});

/** A webhook receiver on loopback that answers each request with the next scripted status (then 200). */
async function receiver(script: number[]): Promise<{ url: string; got: Received[] }> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.writeHead(script.shift() ?? 200).end('');
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/jangkau`, got };
}

const opened: IncidentOpenedEvent = {
  type: 'incident_opened', deviceId: 'ap-3', incidentId: 'ap-3@1800000000000', startedAtMs: 1_800_000_000_000,
  detectedAtMs: 1_800_000_120_000, cause: { kind: 'timeout', message: 'no SNMP answer in 1000 ms' },
};
const device = { name: 'AP Masjid Agung', siteId: 'site-9', siteName: 'Masjid Agung', wardCode: '36.72.01.1001' };
const noSleep = async (): Promise<void> => {};

describe('webhook signature', () => {
  it('verifies what it signs, and refuses a changed body, another secret or a stale timestamp', async () => {
    const body = '{"a":1}';
    const header = await signatureHeaderValue('s3cret', 1_800_000_000, body);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(await verifySignatureHeader('s3cret', header, body, { nowS: 1_800_000_010 })).toEqual({ ok: true, timestampS: 1_800_000_000 });
    expect(await verifySignatureHeader('s3cret', header, '{"a":2}', { nowS: 1_800_000_010 })).toEqual({ ok: false, reason: 'mismatch' });
    expect(await verifySignatureHeader('other', header, body, { nowS: 1_800_000_010 })).toEqual({ ok: false, reason: 'mismatch' });
    expect(await verifySignatureHeader('s3cret', header, body, { nowS: 1_800_001_000 })).toEqual({ ok: false, reason: 'stale' });
    expect(await verifySignatureHeader('s3cret', 'v1=zz', body, { nowS: 1_800_000_000 })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('matches an HMAC-SHA256 computed independently with node:crypto', async () => {
    const { createHmac } = await import('node:crypto');
    const header = await signatureHeaderValue('k', 42, 'hello');
    expect(header).toBe(`t=42,v1=${createHmac('sha256', 'k').update('42.hello').digest('hex')}`);
  });
});

describe('sendWebhook', () => {
  it('retries a receiver that fails the first attempts, then delivers a signed JSON body', async () => {
    const rx = await receiver([503, 500, 429]);
    const sleeps: number[] = [];
    const payload = incidentPayload(opened, device);
    const out = await sendWebhook({ url: rx.url, secret: 'shared' }, payload, {
      sleepMs: async (ms) => { sleeps.push(ms); }, random: () => 1, backoffBaseMs: 100, nowMs: () => 1_800_000_200_000,
    });
    expect(out).toEqual({ delivered: true, attempts: 4, status: 200, error: null });
    expect(sleeps).toEqual([100, 200, 400]);
    expect(rx.got).toHaveLength(4);
    const last = rx.got[3]!;
    expect(last.headers['x-jangkau-event']).toBe('incident.opened');
    expect(last.headers['x-jangkau-delivery']).toBe('ap-3@1800000000000/opened');
    const check = await verifySignatureHeader('shared', last.headers['x-jangkau-signature'] as string, last.body, { nowS: 1_800_000_200 });
    expect(check.ok).toBe(true);
    const body = JSON.parse(last.body) as IncidentWebhookPayload;
    expect(body).toMatchObject({ type: 'incident.opened', deviceId: 'ap-3', startedAt: '2027-01-15T08:00:00.000Z', endedAt: null, cause: { kind: 'timeout' }, device: { siteName: 'Masjid Agung' } });
  });

  it('gives up on a refusing receiver at once, and after maxAttempts on a failing one', async () => {
    const refusing = await receiver([410]);
    expect(await sendWebhook({ url: refusing.url, secret: 'x' }, incidentPayload(opened, device), { sleepMs: noSleep })).toMatchObject({ delivered: false, attempts: 1, status: 410 });
    const failing = await receiver([500, 500, 500, 500]);
    expect(await sendWebhook({ url: failing.url, secret: 'x' }, incidentPayload(opened, device), { sleepMs: noSleep, maxAttempts: 3 })).toMatchObject({ delivered: false, attempts: 3, status: 500 });
  });

  it('reports a receiver that is not listening as an error, never a throw', async () => {
    const out = await sendWebhook({ url: 'http://127.0.0.1:1/x', secret: 'x' }, incidentPayload(opened, device), { sleepMs: noSleep, maxAttempts: 2 });
    expect(out.delivered).toBe(false);
    expect(out.status).toBeNull();
    expect(out.error).not.toBeNull();
  });
});

describe('maintenance windows and the notifier', () => {
  it('mutes by device or site when the window covers the start or the detection', () => {
    const base = { deviceId: 'ap-3', siteId: 'site-9', startedAtMs: 1000, detectedAtMs: 3000 };
    expect(isIncidentMuted([{ deviceId: 'ap-3', startMs: 0, endMs: 2000 }], base)).toBe(true);
    expect(isIncidentMuted([{ siteId: 'site-9', startMs: 2500, endMs: 4000 }], base)).toBe(true);
    expect(isIncidentMuted([{ siteId: 'site-1', startMs: 0, endMs: 9000 }], base)).toBe(false);
    expect(isIncidentMuted([{ deviceId: 'ap-3', startMs: 3001, endMs: 9000 }], base)).toBe(false);
  });
  // Start and end muted together through the alert channels: test/server/alerts/alert-channels.test.ts.
});
