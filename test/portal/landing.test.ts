/** /portal opened directly, not from a hotspot: a bilingual page saying how to sign in, with terms and my-data links. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { openTestDb } from '../helpers/db.ts';

describe('the portal landing page', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp(await openTestDb('sqlite'));
  });
  afterAll(async () => t.handle.close());

  it('answers without sign-in in Bahasa Indonesia first, English on the switch, with no external asset', async () => {
    const id = await t.call('GET', '/portal');
    expect(id.status).toBe(200);
    const html = await id.text();
    expect(html).toContain('Wi-Fi publik gratis Kota Cilegon');
    expect(html).toContain('href="/portal/terms?lang=id"');
    expect(html).toContain('href="/portal/my-data?lang=id"');
    expect(html).not.toMatch(/(src|href)="https?:\/\//);
    const en = await (await t.call('GET', '/portal?lang=en')).text();
    expect(en).toContain('Cilegon City free public Wi-Fi');
  });
});
