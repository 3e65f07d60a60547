/** A throw-away self-signed certificate for the fake router's API-SSL, made with the openssl CLI at test time. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SelfSignedCert {
  key: string;
  cert: string;
}

const cache = new Map<string, SelfSignedCert>();

/** One key pair per address (generation takes ~50 ms); CN=fake-router, SAN covers `ip`, localhost and fake-router. */
export function selfSignedCert(ip = '127.0.0.1'): SelfSignedCert {
  const hit = cache.get(ip);
  if (hit !== undefined) return hit;
  const dir = mkdtempSync(join(tmpdir(), 'fake-routeros-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2',
        '-subj', '/CN=fake-router', '-addext', `subjectAltName=IP:${ip},DNS:localhost,DNS:fake-router`],
      { stdio: 'ignore' },
    );
    const made = { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
    cache.set(ip, made);
    return made;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
