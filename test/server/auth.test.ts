import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { cookieOf, makeTestApp, ORIGIN, type TestApp } from '../helpers/app.ts';
import { bootstrapAdmin } from '../../server/services/users/bootstrap-admin.ts';
import { systemClock } from '../../core/time.ts';
import { up as forgetLoginEmails } from '../../server/db/migrations/0021-10-forget-login-emails.ts';

describe.each(DIALECTS)('staff sign-in on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp(await openTestDb(dialect));
    await bootstrapAdmin(t.handle.db, systemClock, { email: 'Admin@Cilegon.go.id', password: 'a-long-admin-password' });
  });
  afterAll(async () => t.handle.close());

  it('signs in the bootstrapped admin, sets an HttpOnly session cookie and knows who is calling', async () => {
    const res = await t.call('POST', '/api/v1/auth/login', { json: { email: 'admin@cilegon.go.id', password: 'a-long-admin-password' } });
    expect(res.status).toBe(200);
    const set = res.headers.get('set-cookie')!;
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Lax/);
    const me = await t.call('GET', '/api/v1/auth/me', { as: cookieOf(res) });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: 'admin@cilegon.go.id', role: 'admin', mustChangePassword: false });
  });

  it('a second bootstrap changes nothing', async () => {
    expect(await bootstrapAdmin(t.handle.db, systemClock, { email: 'other@x.id', password: 'whatever-long-pw' })).toEqual({ created: false });
  });

  it('stores only the hash of the session token', async () => {
    const res = await t.call('POST', '/api/v1/auth/login', { json: { email: 'admin@cilegon.go.id', password: 'a-long-admin-password' } });
    const token = cookieOf(res).split('=')[1]!;
    const rows = await t.handle.db.selectFrom('sessions').select('id').execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.id === token)).toBe(false);
  });

  it('refuses a wrong password with 401 and the same message as an unknown email', async () => {
    const a = await t.call('POST', '/api/v1/auth/login', { json: { email: 'admin@cilegon.go.id', password: 'nope' } });
    const b = await t.call('POST', '/api/v1/auth/login', { json: { email: 'ghost@cilegon.go.id', password: 'nope' } });
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect((await a.json()).message).toBe((await b.json()).message);
  });

  it('rate-limits repeated failures for one account, even with the right password afterwards', async () => {
    const viewerCookie = await t.signIn('viewer');
    void viewerCookie;
    const email = 'limited@cilegon.go.id';
    await t.call('POST', '/api/v1/users', { as: await t.signIn('admin'), json: { email, password: 'right-password-123', role: 'viewer' } });
    for (let i = 0; i < 5; i++) {
      const r = await t.call('POST', '/api/v1/auth/login', { json: { email, password: `wrong-${i}` } });
      expect(r.status).toBe(401);
    }
    const blocked = await t.call('POST', '/api/v1/auth/login', { json: { email, password: 'right-password-123' } });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    t.clock.advance(16 * 60_000);
    const later = await t.call('POST', '/api/v1/auth/login', { json: { email, password: 'right-password-123' } });
    expect(later.status).toBe(200);
    expect((await later.json()).user.mustChangePassword).toBe(true);
  }, 120_000);

  it('keeps no e-mail in the rate_limits table after failed sign-ins: accounts are keyed by a keyed hash', async () => {
    const known = 'tercatat@cilegon.go.id';
    await t.call('POST', '/api/v1/users', { as: await t.signIn('admin'), json: { email: known, password: 'right-password-123', role: 'viewer' } });
    const strangers = ['Orang.Asing@Contoh.Test', 'warga-77@contoh.test'];
    // Concurrent wrong passwords for a real account and for unknown e-mails (typed in any case); 8 at once, within
    // the hash queue's places (concurrency + waiting room), so none is refused as busy.
    const answers = await Promise.all([
      ...Array.from({ length: 6 }, (_, i) => t.call('POST', '/api/v1/auth/login', { json: { email: known, password: `salah-${i}` } })),
      ...strangers.map((email) => t.call('POST', '/api/v1/auth/login', { json: { email, password: 'salah' } })),
    ]);
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((st) => st === 401)).toHaveLength(5 + strangers.length);
    expect(statuses.filter((st) => st === 429)).toHaveLength(1);
    // The budget still holds under the hashed key: the right password is refused for the rest of the window.
    expect((await t.call('POST', '/api/v1/auth/login', { json: { email: known, password: 'right-password-123' } })).status).toBe(429);
    const rows = await t.handle.db.selectFrom('rate_limits').select('key').where('key', 'like', 'login:%').execute();
    expect(rows.some((r) => r.key.startsWith('login:acct:'))).toBe(true);
    for (const email of [known, ...strangers.map((e) => e.toLowerCase())]) {
      const [local, domain] = email.split('@') as [string, string];
      for (const r of rows) {
        const key = r.key.toLowerCase();
        expect(key).not.toContain(email);
        expect(key).not.toContain(local);
        expect(key).not.toContain(domain);
      }
    }
    // Counters written before the keys were hashed (they named the e-mail) go at the upgrade; hashed ones stay.
    await t.handle.db.insertInto('rate_limits').values([{ key: 'login:acct:lama@cilegon.go.id', window_start: 1, hits: 3 }, { key: 'login:pair:lama@cilegon.go.id:10.0.0.1', window_start: 1, hits: 3 }]).execute();
    await forgetLoginEmails(t.handle.db);
    const after = await t.handle.db.selectFrom('rate_limits').select('key').where('key', 'like', 'login:%').execute();
    expect(after.map((r) => r.key).sort()).toEqual(rows.map((r) => r.key).sort());
  });

  it('rejects a cookie-authenticated write without a same-origin Origin header, but accepts a bearer token', async () => {
    const cookie = await t.signIn('admin');
    const foreign = await t.call('POST', '/api/v1/auth/tokens', { as: cookie, json: { name: 'x' }, headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).code).toBe('csrf_rejected');
    const missing = await t.app.request(`${ORIGIN}/api/v1/auth/tokens`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x' }),
    });
    expect(missing.status).toBe(403);
    const made = await t.call('POST', '/api/v1/auth/tokens', { as: cookie, json: { name: 'script' } });
    expect(made.status).toBe(201);
    const { token } = (await made.json()) as { token: string };
    expect(token).toMatch(/^jk_/);
    const viaBearer = await t.app.request(`${ORIGIN}/api/v1/auth/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'second' }),
    });
    // Issue 10: a token cannot mint tokens (a leaked one would outlive its own revocation).
    expect(viaBearer.status).toBe(403);
    const bad = await t.app.request(`${ORIGIN}/api/v1/auth/me`, { headers: { authorization: `Bearer jk_${'a'.repeat(32)}` } });
    expect(bad.status).toBe(401);
  });

  it('ends the previous session on a new sign-in from the same browser (no fixation) and on logout', async () => {
    const first = await t.call('POST', '/api/v1/auth/login', { json: { email: 'admin@cilegon.go.id', password: 'a-long-admin-password' } });
    const c1 = cookieOf(first);
    const second = await t.call('POST', '/api/v1/auth/login', { as: c1, json: { email: 'admin@cilegon.go.id', password: 'a-long-admin-password' } });
    const c2 = cookieOf(second);
    expect(c2).not.toBe(c1);
    expect((await t.call('GET', '/api/v1/auth/me', { as: c1 })).status).toBe(401);
    expect((await t.call('POST', '/api/v1/auth/logout', { as: c2 })).status).toBe(200);
    expect((await t.call('GET', '/api/v1/auth/me', { as: c2 })).status).toBe(401);
  });

  it('expires a session after its lifetime and slides it while used', async () => {
    const cookie = await t.signIn('planner');
    t.clock.advance(20 * 86_400_000);
    const used = await t.call('GET', '/api/v1/auth/me', { as: cookie });
    expect(used.status).toBe(200);
    expect(used.headers.get('set-cookie')).toMatch(/jangkau_session=/);
    t.clock.advance(25 * 86_400_000);
    expect((await t.call('GET', '/api/v1/auth/me', { as: cookie })).status).toBe(200);
    t.clock.advance(31 * 86_400_000);
    expect((await t.call('GET', '/api/v1/auth/me', { as: cookie })).status).toBe(401);
  });

  it('records changes in the audit log with who and when', async () => {
    const admin = await t.signIn('admin');
    await t.call('POST', '/api/v1/users', { as: admin, json: { email: 'eng@cilegon.go.id', password: 'engineer-password-1', role: 'engineer' } });
    const log = await t.call('GET', '/api/v1/audit?entity=user', { as: admin });
    const body = (await log.json()) as { items: { action: string; actor: string; detail: unknown }[] };
    const entry = body.items.find((i) => i.action === 'create' && JSON.stringify(i.detail).includes('eng@cilegon.go.id'));
    expect(entry?.actor).toMatch(/^admin-/);
    expect(JSON.stringify(body)).not.toContain('engineer-password-1');
  });
});
