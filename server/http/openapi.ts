import { z } from 'zod';
import type { AnyRoute } from './route.ts';
import { isTokenAccess } from '../../core/roles.ts';

function schemaOf(t: z.ZodType, io: 'input' | 'output'): unknown {
  try {
    return z.toJSONSchema(t, { io, unrepresentable: 'any' });
  } catch {
    return {};
  }
}

/** OpenAPI 3.1 document built from the same route table that serves the API. */
export function buildOpenApi(routes: readonly AnyRoute[], info: { version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    if (!r.path.startsWith('/api/')) continue;
    const oaPath = r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ['query', r.query],
      ['path', r.params],
    ] as const) {
      if (schema === undefined) continue;
      const js = schemaOf(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(js.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: s });
      }
    }
    const op: Record<string, unknown> = {
      summary: r.summary,
      ...(r.description === undefined ? {} : { description: r.description }),
      tags: [r.tag],
      'x-access': r.access,
      ...(r.access === 'public' || isTokenAccess(r.access) ? {} : { 'x-scope': r.scope ?? 'closed to staff limited to one kabupaten/kota' }),
      parameters,
      responses: {
        [String(r.status ?? 200)]: {
          description: 'OK',
          content: { [r.produces ?? 'application/json']: { schema: r.response === undefined ? {} : schemaOf(r.response, 'output') } },
        },
        default: { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
    if (r.access !== 'public') op.security = [{ session: [] }, { bearer: [] }];
    if (r.body !== undefined) {
      const b = r.body as { kind: string; schema?: z.ZodType; mediaTypes?: string[] };
      op.requestBody = {
        required: true,
        content:
          b.kind === 'text'
            ? Object.fromEntries((b.mediaTypes ?? []).map((m) => [m, { schema: { type: 'string' } }]))
            : { [b.kind === 'form' ? 'application/x-www-form-urlencoded' : 'application/json']: { schema: schemaOf(b.schema!, 'input') } },
      };
    }
    (paths[oaPath] ??= {})[r.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Jangkau API', version: info.version, description: 'Free public Wi-Fi for every ward, measured.' },
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'jangkau_session' },
        bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token (jk_...)' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['code', 'message', 'requestId'],
          properties: {
            code: { type: 'string' },
            message: { type: 'string' },
            requestId: { type: 'string' },
            reason: { type: 'string', description: 'A stable key for why (e.g. csv.rowsInvalid), worded by clients in their language' },
            params: { type: 'object', additionalProperties: { type: ['string', 'number'] } },
            details: {
              type: 'array',
              items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' }, code: { type: 'string' }, params: { type: 'object', additionalProperties: { type: ['string', 'number'] } } } },
            },
          },
        },
      },
    },
    paths,
  };
}
