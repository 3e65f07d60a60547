/**
 * Child process of bench/routeros-poll.ts: N fake RouterOS routers, each on its own loopback address (127.0.1.1 up),
 * so the poller's CPU is measured without the routers' share. Talks to the parent over IPC:
 * -> { type: 'ready', routers: [{ host, port, username, password }] }; <- 'stats' -> { type: 'stats', peak, connections }; <- 'exit'.
 */
import { startFakeRouter, type FakeRouter } from '../test/peers/routeros/fake-router.ts';

const count = Number(process.argv[2] ?? 500);
const ifaces = Number(process.argv[3] ?? 8);
const actives = Number(process.argv[4] ?? 20);

function hostOf(i: number): string {
  return `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;
}

async function main(): Promise<void> {
  const routers: FakeRouter[] = [];
  for (let i = 0; i < count; i++) {
    const interfaces = Array.from({ length: ifaces }, (_, k) => ({
      '.id': `*${(k + 1).toString(16).toUpperCase()}`,
      name: k === 0 ? 'ether1' : `wlan${k}`,
      type: k === 0 ? 'ether' : 'wlan',
      running: 'true',
      disabled: 'false',
      'rx-byte': String(1_000_000_000 * (k + 1) + i),
      'tx-byte': String(2_000_000_000 * (k + 1) + i),
      mtu: '1500',
      'last-link-up-time': '2026-11-20 10:00:00',
    }));
    const hotspotActive = Array.from({ length: actives }, (_, k) => ({
      '.id': `*${(k + 1).toString(16).toUpperCase()}`,
      server: 'hotspot1',
      user: `warga-${i}-${k}`,
      address: `10.5.${Math.floor(k / 250)}.${(k % 250) + 2}`,
      'mac-address': `AA:BB:CC:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}:${k.toString(16).padStart(2, '0')}`.toUpperCase(),
      uptime: `${k}m${k}s`,
      'idle-time': '0s',
      'bytes-in': String(1_000_000 * k),
      'bytes-out': String(5_000_000 * k),
      'login-by': 'http-chap',
    }));
    routers.push(await startFakeRouter({ host: hostOf(i), state: { interfaces, hotspotActive } }));
  }
  process.send?.({ type: 'ready', routers: routers.map((r) => ({ host: r.host, port: r.port, username: r.username, password: r.password })) });
  process.on('message', (msg: unknown) => {
    if (msg === 'stats') {
      const peak = Math.max(...routers.map((r) => r.stats.peakSessions));
      const connections = routers.reduce((n, r) => n + r.stats.connections, 0);
      process.send?.({ type: 'stats', peak, connections });
      for (const r of routers) {
        r.stats.peakSessions = r.stats.sessionsOpen;
        r.stats.connections = 0;
        r.stats.commands.length = 0;
      }
    } else if (msg === 'exit') {
      void Promise.all(routers.map((r) => r.close())).then(() => process.exit(0));
    }
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
