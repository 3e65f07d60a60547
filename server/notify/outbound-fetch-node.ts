/**
 * The Node side of the outbound-URL policy (issue 10): a `fetch` that resolves the host itself, checks every address
 * the name resolves to against the policy, and connects to the checked address (the socket's lookup is this
 * function), so a name that answers a public address when checked and a private one when connected (DNS rebinding)
 * never reaches the private one. Redirects are never followed; answers are read up to 1 MiB.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupAddress } from 'node:dns';
import { literalAddress, OutboundRefused, outboundAddressTextProblem, outboundUrlProblem, type OutboundNet, type OutboundPolicy, type Resolver } from '../../core/net/outbound-policy.ts';

const MAX_ANSWER_BYTES = 1024 * 1024;

export const systemResolver: Resolver = async (host) => (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

function headersOf(init: RequestInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init?.headers).forEach((v, k) => {
    out[k] = v;
  });
  return out;
}

export function createNodeOutboundNet(options: { resolve?: Resolver } = {}): OutboundNet {
  const resolve = options.resolve ?? systemResolver;

  /** The one address to connect to, every resolved address checked first. */
  async function checkedAddress(url: URL, policy: OutboundPolicy): Promise<{ address: string; family: 4 | 6 }> {
    const literal = literalAddress(url);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const addresses = literal !== null ? [host] : await resolve(host);
    if (addresses.length === 0) throw new OutboundRefused(`${url.hostname} does not resolve`);
    for (const a of addresses) {
      const problem = outboundAddressTextProblem(a, policy);
      if (problem !== null) throw new OutboundRefused(`refused to connect to ${url.hostname}: ${problem}`);
    }
    const first = addresses[0]!;
    return { address: first, family: first.includes(':') ? 6 : 4 };
  }

  const fetchFor = (policy: OutboundPolicy): typeof fetch =>
    (async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      const problem = outboundUrlProblem(url);
      if (problem !== null) throw new OutboundRefused(problem);
      const target = await checkedAddress(url, policy);
      const body = init?.body;
      if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) throw new TypeError('outbound fetch sends string or byte bodies only');
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      return new Promise<Response>((resolvePromise, reject) => {
        const req = send(
          {
            protocol: url.protocol,
            host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
            port: url.port === '' ? undefined : Number(url.port),
            path: `${url.pathname}${url.search}`,
            method: init?.method ?? 'GET',
            headers: headersOf(init),
            signal: init?.signal ?? undefined,
            // The socket connects to the address checked above, whatever the name would resolve to now.
            lookup: (_host: string, opts: { all?: boolean }, cb: (err: Error | null, address: string | LookupAddress[], family?: number) => void) => {
              if (opts.all === true) cb(null, [{ address: target.address, family: target.family }]);
              else cb(null, target.address, target.family);
            },
          },
          (res: IncomingMessage) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (c: Buffer) => {
              size += c.length;
              if (size > MAX_ANSWER_BYTES) res.destroy(new Error('the answer is larger than 1 MiB'));
              else chunks.push(c);
            });
            res.on('error', reject);
            res.on('end', () => {
              const status = res.statusCode ?? 502;
              const headers = new Headers();
              for (const [k, v] of Object.entries(res.headers)) {
                if (Array.isArray(v)) for (const x of v) headers.append(k, x);
                else if (v !== undefined) headers.set(k, v);
              }
              const noBody = status === 204 || status === 205 || status === 304;
              resolvePromise(new Response(noBody ? null : Buffer.concat(chunks), { status: status < 200 || status > 599 ? 502 : status, headers }));
            });
          },
        );
        req.on('error', reject);
        if (typeof body === 'string' || body instanceof Uint8Array) req.write(body);
        req.end();
      });
    }) as typeof fetch;

  return { resolve, fetchFor };
}
