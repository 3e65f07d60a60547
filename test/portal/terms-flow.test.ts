import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { CookieJar, csrfOf, handoffForm, hotspotVars, makePortalApp, recordingProvisioner, seedHotspot, type PortalTestApp, type SeededHotspot } from './helpers.ts';
import type { DbHandle } from '../../server/db/types.ts';

describe.each(DIALECTS)('terms sign-in (%s)', (dialect) => {
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

  it('hands the browser a CHAP form for the hotspot after the terms are accepted', async () => {
    const jar = new CookieJar();
    const start = await t.call('POST', '/portal/login', { form: hotspotVars(h), jar });
    const html = await start.text();
    expect(start.status, html).toBe(200);
    const done = await t.call('POST', '/portal/terms', { form: { csrf: csrfOf(html), accept: 'yes' }, jar });
    const page = await done.text();
    expect(done.status, page).toBe(200);
    const form = handoffForm(page);
    expect(form).not.toBeNull();
    expect(form!.action).toBe('http://10.5.50.1/login');
    expect(form!.fields.password).toMatch(/^[0-9a-f]{32}$/);
    expect(prov.calls.at(-1)!.user!.name).toBe(form!.fields.username);
  });
});
