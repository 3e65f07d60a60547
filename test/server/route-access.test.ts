/**
 * Walks the whole route table for every role and for an anonymous caller: a route a caller may not use answers 401
 * (anonymous) or 403 (wrong role) before anything else happens; a route they may use never does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, isTokenAccess, mayAccess, type Role } from '../../core/roles.ts';
import { ALL_ROUTES } from '../../server/app.ts';
import { openTestDb } from '../helpers/db.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';

describe('every route declares who may call it, and the app enforces it', () => {
  let t: TestApp;
  const cookies = new Map<Role, string>();
  beforeAll(async () => {
    t = await makeTestApp(await openTestDb('sqlite'));
    for (const r of ROLES) cookies.set(r, await t.signIn(r));
  });
  afterAll(async () => t.handle.close());

  it('has a declared access on every route and a unique method+path', () => {
    const seen = new Set<string>();
    for (const r of ALL_ROUTES) {
      expect(r.access, `${r.method} ${r.path}`).toBeDefined();
      const key = `${r.method} ${r.path}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
    }
    expect(ALL_ROUTES.length).toBeGreaterThan(15);
  });

  const callers: (Role | 'anonymous')[] = ['anonymous', ...ROLES];
  for (const who of callers) {
    it(`enforces access for ${who}`, async () => {
      for (const r of ALL_ROUTES) {
        // Never sign ourselves out mid-walk.
        if (r.path === '/api/v1/auth/logout') continue;
        const path = r.path.replace(/:([A-Za-z]+)/g, 'zz-unknown');
        const res = await t.call(r.method.toUpperCase(), path, {
          as: who === 'anonymous' ? null : cookies.get(who)!,
          ...(r.method === 'get' ? {} : { json: {} }),
        });
        const allowed = mayAccess(r.access, who === 'anonymous' ? null : who);
        const label = `${who} ${r.method.toUpperCase()} ${r.path} -> ${res.status}`;
        if (isTokenAccess(r.access)) {
          // Machine and widget tokens (issue 15): no staff session opens them; without the token, 401 for everyone.
          expect(res.status, label).toBe(401);
        } else if (allowed) {
          expect([401, 403], label).not.toContain(res.status);
        } else {
          expect(res.status, label).toBe(who === 'anonymous' ? 401 : 403);
        }
      }
    });
  }

  it('every staff route declares how it keeps an account limited to one kabupaten/kota to its region (issue 17)', () => {
    const undeclared = ALL_ROUTES.filter((r) => r.access !== 'public' && r.scope === undefined).map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(undeclared).toEqual([]);
  });

  it('walks every route as a scoped account of every role: province-wide routes refuse it on purpose, the others keep it to its region', async () => {
    let provinceOnly = 0;
    let open = 0;
    for (const role of ROLES) {
      const scoped = await t.signIn(role, { scopeCityCode: '36.72' });
      for (const r of ALL_ROUTES) {
        if (r.path === '/api/v1/auth/logout' || !mayAccess(r.access, role)) continue;
        const path = r.path.replace(/:([A-Za-z]+)/g, 'zz-unknown');
        const res = await t.call(r.method.toUpperCase(), path, { as: scoped, ...(r.method === 'get' ? {} : { json: {} }) });
        const label = `${role} limited to 36.72: ${r.method.toUpperCase()} ${r.path} -> ${res.status}`;
        if (r.access === 'public') expect([401, 403], label).not.toContain(res.status);
        else if (r.scope === 'province') {
          provinceOnly += 1;
          expect(res.status, label).toBe(403);
          expect(((await res.json()) as { reason?: string }).reason, label).toBe('scope.provinceOnly');
        } else {
          open += 1;
          // Open to them; only the province level of the region endpoints is refused, and only by its own rule.
          if (res.status === 403) expect(((await res.json()) as { reason?: string }).reason, label).toBe('scope.outside');
        }
      }
    }
    expect(provinceOnly).toBeGreaterThan(0);
    expect(open).toBeGreaterThan(0);
    // The same account without a region limit is refused none of the province-wide routes for its region.
    const unscoped = await t.signIn('admin');
    const settings = await t.call('GET', '/api/v1/portal/settings', { as: unscoped });
    expect(settings.status).toBe(200);
  });

  it('publishes an OpenAPI document listing every API route with its access', async () => {
    const res = await t.call('GET', '/api/v1/openapi.json');
    const doc = (await res.json()) as { paths: Record<string, Record<string, { 'x-access': unknown }>> };
    for (const r of ALL_ROUTES.filter((x) => x.path.startsWith('/api/'))) {
      const op = doc.paths[r.path.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method];
      expect(op, `${r.method} ${r.path}`).toBeDefined();
      expect(op!['x-access']).toEqual(r.access);
    }
  });

  it('answers errors as { code, message, requestId } with the right status', async () => {
    const res = await t.call('GET', '/api/v1/nothing-here');
    expect(res.status).toBe(404);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['code', 'message', 'requestId']);
    expect(body.requestId).toBe(res.headers.get('x-request-id'));
    const bad = await t.call('POST', '/api/v1/sites', { as: cookies.get('admin')!, body: 'not json', contentType: 'application/json' });
    expect(bad.status).toBe(400);
    const big = await t.call('POST', '/api/v1/sites', { as: cookies.get('admin')!, json: { name: 'x'.repeat(2 * 1024 * 1024) } });
    expect(big.status).toBe(413);
  });
});
