/**
 * Consent carried in the hand-off (issue 14): a hotspot login page that shows the terms and posts `accept=yes` with
 * the terms version signs the citizen in with one request, writing flow, citizen, consent, grant and portal session
 * together; an old terms version or a hotspot without the terms method falls back to the start page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalDb } from '../../server/portal/queries/types.ts';
import type { DbHandle } from '../../server/db/types.ts';
import { TERMS_VERSION } from '../../server/portal/pure/i18n.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { CookieJar, handoffForm, hotspotVars, makePortalApp, recordingProvisioner, seedHotspot, type PortalTestApp, type SeededHotspot } from './helpers.ts';

describe.each(DIALECTS)('one-request terms sign-in (%s)', (dialect) => {
  let handle: DbHandle;
  let t: PortalTestApp;
  let h: SeededHotspot;
  const prov = recordingProvisioner();
  beforeAll(async () => {
    handle = await openTestDb(dialect);
    t = await makePortalApp(handle, { provisioner: prov });
    h = await seedHotspot(handle);
  });
  afterAll(async () => handle.close());

  const count = async (table: 'portal_flows' | 'portal_citizens' | 'portal_consents' | 'portal_grants' | 'portal_sessions'): Promise<number> =>
    Number((await portalDb(handle.db).selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('signs in with the consent from the hotspot page in one request, and recognises the device the same day', async () => {
    const jar = new CookieJar();
    const res = await t.call('POST', '/portal/login', { form: hotspotVars(h, { mac: 'AA:BB:CC:01:01:01', accept: 'yes', 'terms-version': TERMS_VERSION }), jar });
    expect(res.status).toBe(200);
    const form = handoffForm(await res.text());
    expect(form).not.toBeNull();
    expect(form!.action).toBe(`http://${h.address}/login`);
    expect(jar.values.has('jk_portal')).toBe(true);
    expect(prov.calls.filter((c) => c.op === 'upsert').map((c) => c.user!.name)).toContain(form!.fields.username);
    expect([await count('portal_flows'), await count('portal_citizens'), await count('portal_consents'), await count('portal_grants'), await count('portal_sessions')]).toEqual([1, 1, 1, 1, 1]);
    const consent = await portalDb(handle.db).selectFrom('portal_consents').selectAll().executeTakeFirstOrThrow();
    expect(consent.terms_version).toBe(TERMS_VERSION);

    // The same phone later the same day, without its cookie: the same citizen, no second consent row, and (issue 10)
    // its running hotspot user handed out again rather than a second one made.
    const again = await t.call('POST', '/portal/login', { form: hotspotVars(h, { mac: 'AA:BB:CC:01:01:01', accept: 'yes', 'terms-version': TERMS_VERSION }), jar: new CookieJar() });
    const againForm = handoffForm(await again.text());
    expect(againForm?.fields.username).toBe(form!.fields.username);
    expect([await count('portal_citizens'), await count('portal_consents'), await count('portal_grants')]).toEqual([1, 1, 1]);
  });

  it('falls back to the start page for consent to other terms, and writes no grant', async () => {
    const before = await count('portal_grants');
    const res = await t.call('POST', '/portal/login', { form: hotspotVars(h, { mac: 'AA:BB:CC:01:01:02', accept: 'yes', 'terms-version': '2020-01-01' }), jar: new CookieJar() });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(handoffForm(html)).toBeNull();
    expect(html).toContain('action="/portal/terms"');
    expect(await count('portal_grants')).toBe(before);
  });

  it('keeps the flow when the router cannot be reached, so the page can say so and the citizen can try again', async () => {
    prov.failWith = new Error('connect ECONNREFUSED');
    try {
      const res = await t.call('POST', '/portal/login', { form: hotspotVars(h, { mac: 'AA:BB:CC:01:01:03', accept: 'yes', 'terms-version': TERMS_VERSION }), jar: new CookieJar() });
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('Router sedang tidak dapat dihubungi');
    } finally {
      prov.failWith = null;
    }
  });
});
