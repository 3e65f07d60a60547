/**
 * Starts Debian's snmpd in the foreground on a loopback port, with a throw-away config holding only
 * `rocommunity <community> 127.0.0.1`. Resolves once the agent answers; stop() kills it by its own pid.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSocket } from 'node:dgram';

export interface SnmpdPeer {
  host: string;
  port: number;
  community: string;
  stop(): Promise<void>;
}

export async function startSnmpd(options: { port: number; community?: string }): Promise<SnmpdPeer> {
  const community = options.community ?? 'public';
  const dir = mkdtempSync(join(tmpdir(), 'jangkau-snmpd-'));
  const conf = join(dir, 'snmpd.conf');
  writeFileSync(conf, `rocommunity ${community} 127.0.0.1\n`);
  const child: ChildProcess = spawn(
    'snmpd',
    ['-f', '-Lo', '-C', '-c', conf, '-M', '/dev/null', '-m', '', `udp:127.0.0.1:${options.port}`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  child.on('error', (err) => (output += String(err)));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    if (await probe(options.port, community)) return { host: '127.0.0.1', port: options.port, community, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`snmpd did not come up on 127.0.0.1:${options.port}: ${output.slice(0, 500)}`);
}

/** One hand-made GET sysUpTime.0 (v2c) to see whether the agent is up. */
function probe(port: number, community: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createSocket('udp4');
    const c = Buffer.from(community);
    const oid = Buffer.from([0x2b, 6, 1, 2, 1, 1, 3, 0]);
    const vb = Buffer.concat([Buffer.from([0x30, oid.length + 4, 0x06, oid.length]), oid, Buffer.from([0x05, 0x00])]);
    const vbl = Buffer.concat([Buffer.from([0x30, vb.length]), vb]);
    const pduBody = Buffer.concat([Buffer.from([0x02, 1, 7, 0x02, 1, 0, 0x02, 1, 0]), vbl]);
    const pdu = Buffer.concat([Buffer.from([0xa0, pduBody.length]), pduBody]);
    const body = Buffer.concat([Buffer.from([0x02, 1, 1, 0x04, c.length]), c, pdu]);
    const msg = Buffer.concat([Buffer.from([0x30, body.length]), body]);
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      sock.close();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 300);
    sock.on('message', () => done(true));
    sock.on('error', () => done(false));
    sock.send(msg, port, '127.0.0.1');
  });
}
