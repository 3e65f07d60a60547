import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpStatusOf, isAppError } from '../../core/errors.ts';
import { readBodyText } from '../../server/http/body.ts';

// Issue 14: a body with a declared length is read whole (on Node straight from the socket), one without is streamed
// and cut off at the limit. Both over real HTTP, as the Node server receives them.
describe('request bodies over HTTP: declared length and chunked', () => {
  const app = new Hono();
  app.post('/echo', async (c) => c.text(`${(await readBodyText(c.req.raw, 100)).length}`));
  app.onError((err, c) => c.text(isAppError(err) ? err.code : 'internal', (isAppError(err) ? httpStatusOf(err.code) : 500) as 400));
  let server: ReturnType<typeof serve>;
  let port = 0;
  beforeAll(async () => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise<void>((ok) => server.once('listening', () => ok()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  function post(chunks: Buffer[], declared: boolean): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const total = chunks.reduce((n, c) => n + c.length, 0);
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/echo', headers: declared ? { 'content-length': total } : { 'transfer-encoding': 'chunked' } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      for (const c of chunks) req.write(c);
      req.end();
    });
  }

  it('reads a declared body within the limit and refuses one declared over it', async () => {
    expect(await post([Buffer.from('a=1&b=ä')], true)).toEqual({ status: 200, text: '7' });
    expect(await post([Buffer.from('x'.repeat(100))], true)).toEqual({ status: 200, text: '100' });
    expect((await post([Buffer.from('x'.repeat(101))], true)).status).toBe(413);
    expect(await post([], true)).toEqual({ status: 200, text: '0' });
  });

  it('streams a chunked body and cuts it off at the limit', async () => {
    expect(await post([Buffer.from('x'.repeat(60)), Buffer.from('y'.repeat(40))], false)).toEqual({ status: 200, text: '100' });
    expect((await post([Buffer.from('x'.repeat(60)), Buffer.from('y'.repeat(60))], false)).status).toBe(413);
  });

  it('refuses a body that is not UTF-8 either way', async () => {
    expect(await post([Buffer.from([0x61, 0xff, 0x62])], true)).toEqual({ status: 400, text: 'bad_request' });
    expect(await post([Buffer.from([0x61, 0xff, 0x62])], false)).toEqual({ status: 400, text: 'bad_request' });
  });
});
