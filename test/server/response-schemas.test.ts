/**
 * Typed API both ways (issue 13): every route declares what it answers. A route added without a response schema
 * fails here; the OpenAPI document carries each schema (no empty responses), and the API tests check every JSON
 * answer against its schema (test/helpers/app.ts turns on config.checkResponses).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ALL_ROUTES } from '../../server/app.ts';
import { buildOpenApi } from '../../server/http/openapi.ts';
import { defineRoute } from '../../server/http/route.ts';
import { createApp } from '../../server/app.ts';
import { silentLogger } from '../../server/log.ts';
import { createSecretBox } from '../../server/crypto/secret-box.ts';
import { openTestDb } from '../helpers/db.ts';
import { TEST_KEY } from '../helpers/app.ts';

describe('response schemas', () => {
  it('every route declares its response schema', () => {
    const missing = ALL_ROUTES.filter((r) => r.response === undefined).map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(missing).toEqual([]);
  });

  it('the OpenAPI document has a non-empty schema for every success response', () => {
    const doc = buildOpenApi(ALL_ROUTES, { version: 'test' }) as { paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, { schema: unknown }> }> }>> };
    const empty: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const ok = Object.entries(op.responses).find(([status]) => status !== 'default')![1];
        for (const c of Object.values(ok.content)) if (c.schema === null || typeof c.schema !== 'object' || Object.keys(c.schema as object).length === 0) empty.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(empty).toEqual([]);
  });

  it('an answer outside its schema is caught when responses are checked', async () => {
    const handle = await openTestDb('sqlite');
    const lying = defineRoute({ method: 'get', path: '/api/v1/test/lying', access: 'public', summary: 'says it answers a number', tag: 'test', response: z.object({ n: z.number() }), handler: async () => ({ n: 'seven' }) });
    const undeclared = defineRoute({ method: 'get', path: '/api/v1/test/undeclared', access: 'public', summary: 'declares nothing', tag: 'test', handler: async () => ({ n: 7 }) });
    const app = createApp(
      { getDb: () => handle, clock: { nowMs: () => Date.now() }, secrets: await createSecretBox(TEST_KEY), log: silentLogger, clientAddress: () => '127.0.0.1', config: { trustedOrigins: [], cookieSecure: null, sessionDays: 30, maxBodyBytes: 1 << 20, checkResponses: true } },
      { extraRoutes: [lying, undeclared] },
    );
    expect((await app.request('http://localhost/api/v1/test/lying')).status).toBe(500);
    expect((await app.request('http://localhost/api/v1/test/undeclared')).status).toBe(500);
    await handle.close();
  });
});
