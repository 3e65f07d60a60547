/**
 * One simulated MikroTik hotspot gateway: a TCP server on a loopback address speaking the RouterOS API wire protocol
 * (length-prefixed words, `/login` with name and password, `.tag` echoed, `.proplist` honoured, `!re`/`!done`/`!trap`).
 * It knows what the collector asks: /system/identity, /system/resource, /interface and /ip/hotspot/active (users
 * signing in and out over time); menus it lacks (wireless packages) answer `no such command prefix`, as on a router
 * without them. While `silent()` says so it reads but never answers (a hung router).
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { encodeSentence, SentenceDecoder } from '../routeros/wire.ts';
import { formatRouterOsDuration } from '../routeros/values.ts';
import { clientEpoch, clientMac, clientsAt, octetsAt, unitHash, uptimeSAt } from './behaviour.ts';
import type { SimRouterOsDevice } from './types.ts';

export type RosRowOut = Record<string, string>;

export interface RouterOsSimOptions {
  host: string;
  port: number;
  device: SimRouterOsDevice;
  elapsedMs: () => number;
  silent: () => boolean;
}

export interface RouterOsSim {
  host: string;
  port: number;
  stats: { logins: number; commands: number; ignored: number };
  close(): Promise<void>;
}

function hex(bytes: number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

/** The rows a print of `menu` shows at `elapsedMs`; null for a menu this router does not have. */
export function routerRows(d: SimRouterOsDevice, menu: string, elapsedMs: number): RosRowOut[] | null {
  switch (menu) {
    case '/system/identity':
      return [{ name: d.name }];
    case '/system/resource':
      return [
        {
          uptime: formatRouterOsDuration(uptimeSAt(d.seed, d.fault, elapsedMs)),
          version: '7.18.2 (stable)',
          'cpu-load': String(Math.round(4 + 25 * unitHash(d.seed, 20, Math.floor(elapsedMs / 60_000)))),
          'free-memory': String(180_000_000 + Math.floor(unitHash(d.seed, 21) * 60_000_000)),
          'total-memory': '268435456',
          'board-name': 'RB4011iGS+',
          platform: 'MikroTik',
        },
      ];
    case '/interface': {
      const mean = 20e6 + unitHash(d.seed, 22) * 60e6;
      return [
        ['*1', 'ether1-wan', mean],
        ['*2', 'bridge-hotspot', mean * 0.9],
      ].map(([id, name, bps], i) => ({
        '.id': id as string,
        name: name as string,
        type: i === 0 ? 'ether' : 'bridge',
        running: 'true',
        disabled: 'false',
        'rx-byte': octetsAt(d.seed * 5 + i, bps as number, elapsedMs).toString(),
        'tx-byte': octetsAt(d.seed * 5 + i + 2, (bps as number) * 0.3, elapsedMs).toString(),
      }));
    }
    case '/ip/hotspot/active': {
      const users = clientsAt(d.seed, d.clientsBase, elapsedMs);
      const rows: RosRowOut[] = [];
      for (let slot = 0; slot < users; slot++) {
        const [epoch, intoMs] = clientEpoch(d.seed, slot, elapsedMs);
        const mac = clientMac(d.seed, slot, epoch);
        const bytes = BigInt(Math.floor((intoMs / 1000) * (2_000 + unitHash(d.seed, 23, slot, epoch) * 60_000)));
        rows.push({
          '.id': `*${(slot + 1).toString(16).toUpperCase()}`,
          server: 'hotspot1',
          user: `warga-${String(Math.floor(unitHash(d.seed, 24, slot, epoch) * 1e4)).padStart(4, '0')}`,
          address: `10.5.${50 + (slot >> 8)}.${(slot & 0xff) + 10}`,
          'mac-address': hex(mac),
          uptime: formatRouterOsDuration(Math.floor(intoMs / 1000)),
          'bytes-in': (bytes / 8n).toString(),
          'bytes-out': bytes.toString(),
          'login-by': 'http-chap',
        });
      }
      return rows;
    }
    default:
      return null;
  }
}

interface Command {
  command: string;
  attributes: Record<string, string>;
  proplist: string[] | null;
  tag: string | null;
}

function parse(words: string[]): Command {
  const cmd: Command = { command: words[0] ?? '', attributes: {}, proplist: null, tag: null };
  for (const w of words.slice(1)) {
    if (w.startsWith('.tag=')) cmd.tag = w.slice(5);
    else if (w.startsWith('=.proplist=')) cmd.proplist = w.slice(11).split(',').filter((s) => s !== '');
    else if (w.startsWith('=')) {
      const eq = w.indexOf('=', 1);
      if (eq < 0) cmd.attributes[w.slice(1)] = '';
      else cmd.attributes[w.slice(1, eq)] = w.slice(eq + 1);
    }
  }
  return cmd;
}

/** The reply sentences (without tag) to one command after login. */
export function replyTo(d: SimRouterOsDevice, cmd: Command, elapsedMs: number): string[][] {
  const slash = cmd.command.lastIndexOf('/');
  const menu = cmd.command.slice(0, slash);
  const verb = cmd.command.slice(slash + 1);
  const rows = routerRows(d, menu, elapsedMs);
  if (rows === null) return [['!trap', '=category=0', '=message=no such command prefix'], ['!done']];
  if (verb !== 'print') return [['!trap', '=message=not allowed (9)'], ['!done']];
  if (cmd.attributes['count-only'] !== undefined) return [['!done', `=ret=${rows.length}`]];
  const out = rows.map((row) => ['!re', ...(cmd.proplist ?? Object.keys(row)).filter((k) => row[k] !== undefined).map((k) => `=${k}=${row[k]}`)]);
  out.push(['!done']);
  return out;
}

export async function startRouterOsSim(options: RouterOsSimOptions): Promise<RouterOsSim> {
  const d = options.device;
  const stats = { logins: 0, commands: 0, ignored: 0 };
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.setNoDelay(true);
    const decoder = new SentenceDecoder({ maxWordBytes: 64 * 1024, maxWordsPerSentence: 1000 });
    let loggedIn = false;
    const send = (sentences: string[][], tag: string | null): void => {
      const frames = sentences.map((words) => encodeSentence(tag === null ? words : [...words, `.tag=${tag}`]));
      if (!socket.destroyed) socket.write(Buffer.concat(frames));
    };
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const words of decoder.push(chunk)) {
          const cmd = parse(words);
          if (cmd.command === '') continue;
          if (options.silent()) {
            stats.ignored++;
            continue;
          }
          if (cmd.command === '/quit') {
            send([['!fatal', 'session terminated on request']], null);
            socket.end();
            return;
          }
          if (!loggedIn) {
            if (cmd.command === '/login' && cmd.attributes.name === d.username && cmd.attributes.password === d.password) {
              loggedIn = true;
              stats.logins++;
              send([['!done']], cmd.tag);
            } else if (cmd.command === '/login') send([['!trap', '=message=invalid user name or password (6)'], ['!done']], cmd.tag);
            else send([['!trap', '=message=not logged in'], ['!done']], cmd.tag);
            continue;
          }
          stats.commands++;
          send(replyTo(d, cmd, options.elapsedMs()), cmd.tag);
        }
      } catch {
        // Not the API's words: a router drops such a connection.
        socket.destroy();
      }
    });
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    host: options.host,
    port: (server.address() as AddressInfo).port,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
