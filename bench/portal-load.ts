/**
 * Load generator for bench/portal-signin.ts, run as a separate process: N virtual users over keep-alive HTTP/1.1.
 * Mode `healthz`: GET /healthz (baseline). Mode `signin`: the terms flow - POST /portal/login with hotspot variables
 * (a new MAC each time), read the CSRF token and flow cookie, POST /portal/terms, check the hand-off form came back.
 * Prints one JSON line: { completed, failed, seconds, perSecond, p50Ms, p99Ms } (latency per completed operation).
 */
import { Agent, request } from 'node:http';

const [url = '', mode = 'healthz', secondsText = '10', concText = '64', identity = '', address = '', termsVersion = ''] = process.argv.slice(2);
const seconds = Number(secondsText);
const concurrency = Number(concText);
const base = new URL(url);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: base.hostname, port: base.port, method, path, agent, headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

let macCounter = 0;
function nextMac(): string {
  const n = (process.pid * 65536 + macCounter++) % 2 ** 40;
  const hex = n.toString(16).padStart(10, '0');
  return `02:${hex.match(/../g)!.join(':')}`;
}

async function signIn(): Promise<boolean> {
  const vars = new URLSearchParams({
    mac: nextMac(),
    ip: '10.5.50.23',
    'link-login-only': `http://${address}/login`,
    'link-orig': 'http://example.com/',
    'chap-id': '\\371',
    'chap-challenge': '\\024\\215\\342\\037\\260\\017\\231\\146\\301\\012\\377\\000\\123\\200\\055\\007',
    identity,
    'server-address': address,
  }).toString();
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const a = await send('POST', '/portal/login', form, vars);
  if (a.status !== 200) return false;
  const csrf = /name="csrf" value="([^"]+)"/.exec(a.text)?.[1];
  const cookie = (a.headers['set-cookie'] as string[] | undefined)?.map((c) => c.split(';')[0]).join('; ');
  if (csrf === undefined || cookie === undefined) return false;
  const b = await send('POST', '/portal/terms', { ...form, cookie }, new URLSearchParams({ csrf: csrf.replaceAll('&#43;', '+').replaceAll('&#x2F;', '/'), accept: 'yes' }).toString());
  return b.status === 200 && b.text.includes('id="handoff"');
}

/** Issue 14: consent carried in the hand-off - one POST /portal/login answered with the hand-off form. */
async function signInOneRequest(): Promise<boolean> {
  const vars = new URLSearchParams({
    mac: nextMac(),
    ip: '10.5.50.23',
    'link-login-only': `http://${address}/login`,
    'link-orig': 'http://example.com/',
    'chap-id': '\\371',
    'chap-challenge': '\\024\\215\\342\\037\\260\\017\\231\\146\\301\\012\\377\\000\\123\\200\\055\\007',
    identity,
    'server-address': address,
    accept: 'yes',
    'terms-version': termsVersion,
  }).toString();
  const a = await send('POST', '/portal/login', { 'content-type': 'application/x-www-form-urlencoded' }, vars);
  return a.status === 200 && a.text.includes('id="handoff"');
}

async function healthz(): Promise<boolean> {
  const r = await send('GET', '/healthz', {});
  return r.status === 200;
}

async function main(): Promise<void> {
  const op = mode === 'signin' ? signIn : mode === 'signin1' ? signInOneRequest : healthz;
  const latencies: number[] = [];
  let failed = 0;
  const warmEnd = Date.now() + 1500;
  const end = warmEnd + seconds * 1000;
  let measuring = false;
  const user = async (): Promise<void> => {
    while (Date.now() < end) {
      const t0 = performance.now();
      let ok = false;
      try {
        ok = await op();
      } catch {
        ok = false;
      }
      const ms = performance.now() - t0;
      if (!measuring) continue;
      if (ok) latencies.push(ms);
      else failed++;
    }
  };
  setTimeout(() => (measuring = true), warmEnd - Date.now());
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, user));
  const secondsRun = (Date.now() - started - 1500) / 1000;
  latencies.sort((x, y) => x - y);
  const q = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  process.stdout.write(
    `${JSON.stringify({ mode, completed: latencies.length, failed, seconds: secondsRun, perSecond: latencies.length / secondsRun, p50Ms: q(0.5), p99Ms: q(0.99) })}\n`,
  );
  agent.destroy();
}

main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});
