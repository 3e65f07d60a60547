/**
 * Issue 10: the Node server draws monthly reports on a worker thread (server/pdf/pdf-thread.ts), so pdfkit's
 * synchronous drawing does not hold the event loop that answers sign-ins and /healthz. The report drawn there reads
 * the same as one drawn in-process (pdftotext), the loop keeps turning meanwhile, and a thread that cannot start
 * costs no report: it is drawn in-process and the reason is logged once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createThreadedPdfMaker } from '../../server/pdf/pdf-thread.ts';
import { renderMonthlyReport } from '../../server/pdf/monthly-pdf-node.ts';
import { systemServiceCtx } from '../../server/service-ctx.ts';
import { buildMonthlyReport, type MonthlyReportModel } from '../../server/services/monthly-report/report-model.ts';
import { silentLogger } from '../../server/log.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { openTestDb } from '../helpers/db.ts';
import { pdfText, tempFile } from '../helpers/debian-tools.ts';
import { seedLiveSites, seedWards } from './planning-seed.ts';

const DEC_20 = Date.parse('2026-12-20T05:00:00Z');

/** Timer turns of the event loop while `work` runs: a loop held by synchronous drawing turns about once. */
async function loopTurnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  const timer = setInterval(() => turns++, 1);
  try {
    const result = await work();
    return { result, turns };
  } finally {
    clearInterval(timer);
  }
}

describe('monthly report PDFs drawn on a worker thread', () => {
  let t: TestApp;
  let model: MonthlyReportModel;

  beforeAll(async () => {
    t = await makeTestApp(await openTestDb('sqlite'), { startMs: DEC_20 });
    const admin = await t.signIn('admin');
    await seedWards(t, admin);
    await seedLiveSites(t, admin, 20, 1012);
    const ctx = systemServiceCtx({ clock: t.clock, secrets: t.secrets, config: { trustedOrigins: [], cookieSecure: null, sessionDays: 30, maxBodyBytes: 1 << 20 }, log: silentLogger }, t.handle, { requestId: 'test' });
    model = await buildMonthlyReport(ctx, '2026-11');
  }, 180_000);
  afterAll(async () => t?.handle.close());

  it('draws the same report as in-process, on the thread, while the event loop keeps turning', async () => {
    const maker = createThreadedPdfMaker(silentLogger);
    try {
      const threaded = await loopTurnsDuring(() => maker.monthlyReport(model));
      expect(maker.lastDrawnOn()).toBe('thread');
      const local = await renderMonthlyReport(model);
      expect(new TextDecoder().decode(threaded.result.subarray(0, 5))).toBe('%PDF-');
      const text = (bytes: Uint8Array): string => pdfText(tempFile('report.pdf', bytes)).replace(/\s+/g, ' ');
      expect(text(threaded.result)).toBe(text(local));
      expect(text(threaded.result)).toContain(model.cityName);
      // Drawn on the thread, the loop ran its 1 ms timer many times meanwhile; drawn here, it would be held throughout.
      expect(threaded.turns, 'event-loop turns while the thread drew the report').toBeGreaterThanOrEqual(5);
      // A second report reuses the thread.
      const again = await maker.monthlyReport(model);
      expect(again.byteLength).toBeGreaterThan(1000);
      expect(maker.lastDrawnOn()).toBe('thread');
    } finally {
      await maker.close();
    }
  }, 120_000);

  it('draws in-process, and says why once, when the thread cannot start', async () => {
    const warnings: Array<{ msg: string; fields: unknown }> = [];
    const log = { warn: (msg: string, fields?: unknown) => void warnings.push({ msg, fields }) };
    const maker = createThreadedPdfMaker(log, { workerUrl: new URL('./no-such-pdf-worker.mjs', import.meta.url) });
    try {
      const first = await maker.monthlyReport(model);
      const second = await maker.monthlyReport(model);
      expect(new TextDecoder().decode(first.subarray(0, 5))).toBe('%PDF-');
      expect(second.byteLength).toBeGreaterThan(1000);
      expect(maker.lastDrawnOn()).toBe('in-process');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.msg).toMatch(/event loop/);
    } finally {
      await maker.close();
    }
  }, 120_000);
});
