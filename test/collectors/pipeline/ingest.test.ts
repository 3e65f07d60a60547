import { describe, expect, it } from 'vitest';
import { decodePollResult, encodeIngestBatch, encodePollResult, parseIngestBody, parseIngestJson } from '../../../core/ingest.ts';
import type { IngestBatch } from '../../../core/ingest.ts';
import type { PollResult } from '../../../core/observations.ts';

const success: PollResult = {
  ok: true, deviceId: 'ap-7', startedAtMs: 1_800_000_000_000, durationMs: 12,
  system: { uptimeS: 12345, descr: 'RouterOS RB951', objectId: '1.3.6.1.4.1.14988.1', name: 'ap-7', version: '7.19', cpuLoadPct: 4, memFreeBytes: 1e7 },
  interfaces: [{ index: 1, name: 'ether1', operUp: true, inOctets: 2n ** 63n + 12345n, outOctets: null, counterBits: 64, speedBps: 1e9 }],
  ssids: [{ ssid: 'guest', radio: 'wlan1', clients: 9 }],
  stations: [{ mac: 'aa:bb:cc:dd:ee:ff', iface: 'wlan1', signalDbm: -61 }],
  hotspotActive: [{ user: 'u1', address: '10.5.50.2', mac: null, uptimeS: 60, bytesIn: 18_446_744_073_709_551_615n, bytesOut: 0n }],
  clients: 9,
};
const failure: PollResult = { ok: false, deviceId: 'ap-8', startedAtMs: 1_800_000_000_500, durationMs: 2000, error: { kind: 'timeout', message: 'no answer in 1000 ms' } };

function batch(): IngestBatch {
  return {
    collectorId: 'field-1', batchId: 'field-1-1800000000000-abcd', createdAtMs: 1_800_000_001_000, items: [success, failure],
    events: [{ type: 'incident_opened', deviceId: 'ap-8', incidentId: 'ap-8@1800000000500', startedAtMs: 1_800_000_000_500, detectedAtMs: 1_800_000_120_500, cause: failure.ok ? { kind: 'internal', message: '' } : failure.error }],
  };
}

describe('ingest body', () => {
  it('round-trips poll results through JSON with bigint counters intact', () => {
    const text = JSON.stringify(encodeIngestBatch(batch()));
    expect(text).toContain('"9223372036854788153"');
    const parsed = parseIngestBody(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.batch).toEqual(batch());
    expect(decodePollResult(encodePollResult(success))).toEqual(success);
  });

  const bad: Array<[string, (b: Record<string, unknown>) => unknown]> = [
    ['a counter as a number', (b) => { (b['items'] as Array<Record<string, any>>)[0]!['interfaces'][0].inOctets = 5; return b; }],
    ['a counter above 2^64-1', (b) => { (b['items'] as Array<Record<string, any>>)[0]!['hotspotActive'][0].bytesIn = '18446744073709551616'; return b; }],
    ['a negative counter', (b) => { (b['items'] as Array<Record<string, any>>)[0]!['hotspotActive'][0].bytesIn = '-1'; return b; }],
    ['an unknown error kind', (b) => { (b['items'] as Array<Record<string, any>>)[1]!['error'].kind = 'gremlins'; return b; }],
    ['a missing batch id', (b) => { delete b['batchId']; return b; }],
    ['an extra top-level field', (b) => ({ ...b, token: 'x' })],
    ['an unknown event type', (b) => { (b['events'] as unknown[]).push({ type: 'party', deviceId: 'x' }); return b; }],
  ];
  for (const [name, spoil] of bad) {
    it(`refuses ${name}`, () => {
      const body = spoil(JSON.parse(JSON.stringify(encodeIngestBatch(batch()))));
      const parsed = parseIngestJson(body);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) {
        expect(parsed.code).toBe('validation_failed');
        expect(parsed.issues.length).toBeGreaterThan(0);
      }
    });
  }

  it('refuses non-JSON and oversize bodies before parsing them', () => {
    expect(parseIngestBody('{"collectorId":')).toMatchObject({ ok: false, code: 'bad_request' });
    const text = JSON.stringify(encodeIngestBatch(batch()));
    expect(parseIngestBody(text, { maxBytes: 100 })).toMatchObject({ ok: false, code: 'payload_too_large' });
    expect(parseIngestBody('"' + 'é'.repeat(60) + '"', { maxBytes: 100 })).toMatchObject({ ok: false, code: 'payload_too_large' });
  });
});
