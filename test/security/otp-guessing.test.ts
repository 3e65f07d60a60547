/**
 * One-time codes guessed by many at once (issue 10): 60 wrong codes in one Promise.all against one code, on SQLite and
 * Postgres. Each try is reserved on the code and on the number (one atomic statement each) before the code is
 * compared, so exactly 5 are compared, and the right code is refused afterwards, for sign-in and for "my data".
 */
import { describe, expect, it } from 'vitest';
import { portalDb } from '../../server/portal/queries/types.ts';
import { DIALECTS } from '../helpers/db.ts';
import { CookieJar, csrfOf, handoffForm, hotspotVars, recordingProvisioner, usePortalSuite } from '../portal/helpers.ts';

describe.each(DIALECTS)('one-time code guessing at once (%s)', (dialect) => {
  const s = usePortalSuite(dialect, { app: { provisioner: recordingProvisioner() } });

  async function lastCode(): Promise<string> {
    const res = await s.t.call('GET', '/api/v1/portal/sms-outbox?limit=1', { headers: { cookie: s.admin } });
    return /(\d{6})/.exec(((await res.json()) as { items: Array<{ text: string }> }).items[0]!.text)![1]!;
  }

  it('compares exactly 5 of 60 concurrent wrong codes and refuses the right code after them', async () => {
    const jar = new CookieJar();
    const start = await s.t.call('POST', '/portal/login', { form: hotspotVars(s.h, { mac: 'AA:BB:CC:44:00:01', ip: '10.5.50.41' }), jar });
    const sent = await s.t.call('POST', '/portal/otp/request', { form: { csrf: csrfOf(await start.text()), phone: '081322220001', accept: 'yes' }, jar });
    const sentHtml = await sent.text();
    expect(sent.status).toBe(200);
    const code = await lastCode();
    const wrong = (i: number): string => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
    const answers = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const r = await s.t.call('POST', '/portal/otp/verify', { form: { csrf: csrfOf(sentHtml), code: wrong(i) }, jar });
        return { status: r.status, html: await r.text() };
      }),
    );
    const otp = await portalDb(s.handle.db).selectFrom('portal_otps').select('attempts').orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(Number(otp.attempts)).toBe(5);
    // At most 4 wrong codes are told how many tries are left (when tries finish out of order, a compared one may
    // already be told "locked"); every other answer says the number is locked.
    expect(answers.filter((a) => a.status === 200).length).toBeLessThanOrEqual(4);
    expect(answers.filter((a) => a.status === 429).length).toBeGreaterThanOrEqual(56);
    expect(answers.every((a) => a.status === 200 || a.status === 429)).toBe(true);
    for (const a of answers) expect(handoffForm(a.html)).toBeNull();
    const right = await s.t.call('POST', '/portal/otp/verify', { form: { csrf: csrfOf(sentHtml), code }, jar });
    expect(right.status).toBe(429);
    expect(handoffForm(await right.text())).toBeNull();
  });

  it('holds the same limit on the code that opens "my data"', async () => {
    const jar = new CookieJar();
    const page = await s.t.call('GET', '/portal/my-data', { jar });
    const html = await page.text();
    const sent = await s.t.call('POST', '/portal/my-data/request', { form: { csrf: csrfOf(html), phone: '081322220002' }, jar });
    const sentHtml = await sent.text();
    expect(sent.status, sentHtml.slice(0, 300)).toBe(200);
    const code = await lastCode();
    const wrong = (i: number): string => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
    const answers = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => (await s.t.call('POST', '/portal/my-data/verify', { form: { csrf: csrfOf(sentHtml), code: wrong(i) }, jar })).text()),
    );
    expect(answers).toHaveLength(60);
    const proven = await portalDb(s.handle.db).selectFrom('portal_flows').select('id').where('state', '=', 'data_proven').execute();
    expect(proven).toHaveLength(0);
    const otp = await portalDb(s.handle.db).selectFrom('portal_otps').select('attempts').orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(Number(otp.attempts)).toBe(5);
    const right = await s.t.call('POST', '/portal/my-data/verify', { form: { csrf: csrfOf(sentHtml), code }, jar });
    expect(right.status).toBe(429);
    expect(await portalDb(s.handle.db).selectFrom('portal_flows').select('id').where('state', '=', 'data_proven').execute()).toHaveLength(0);
  });
});
