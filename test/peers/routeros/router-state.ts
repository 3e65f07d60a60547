/**
 * What the fake router knows and how it answers one command, without sockets. Rows are stored the way the router
 * prints them: every value a string (`running: 'true'`, `rx-byte: '123'`), ids like `*1`.
 */
import { rowMatches, type Row } from './query.ts';

export interface FakeRouterState {
  identity: string;
  /** One row as /system/resource/print answers it. */
  resource: Row;
  interfaces: Row[];
  /** /interface/wireless/registration-table (RouterOS 6 / v7 wireless package). */
  wirelessRegistrations: Row[];
  /** /interface/wifi/registration-table (RouterOS 7 wifi package). */
  wifiRegistrations: Row[];
  /** /interface/wireless (radios and virtual APs with `master-interface`); absent on older test states means none. */
  wirelessInterfaces?: Row[];
  /** /interface/wifi (RouterOS 7 wifi package; `configuration.ssid`, `master-interface`); absent means none. */
  wifiInterfaces?: Row[];
  hotspotActive: Row[];
  hotspotUsers: Row[];
  /** /ip/hotspot/user/profile (issue 14); absent on older test states means none. */
  hotspotProfiles?: Row[];
  /** Menus that answer `no such command prefix`, e.g. '/interface/wireless' on a router without that package. */
  missingMenus: string[];
}

export function defaultRouterState(): FakeRouterState {
  return {
    identity: 'rw03-balai-warga',
    resource: {
      uptime: '1w2d3h4m5s',
      version: '7.18.2 (stable)',
      'build-time': '2025-03-11 11:59:04',
      'free-memory': '912965632',
      'total-memory': '1073741824',
      cpu: 'ARM64',
      'cpu-count': '4',
      'cpu-load': '7',
      'board-name': 'hAP ax^3',
      platform: 'MikroTik',
    },
    interfaces: [
      { '.id': '*1', name: 'ether1', type: 'ether', running: 'true', disabled: 'false', 'rx-byte': '18446744073709551000', 'tx-byte': '734003200', mtu: '1500' },
      { '.id': '*2', name: 'ether2', type: 'ether', running: 'false', disabled: 'false', 'rx-byte': '0', 'tx-byte': '0', mtu: '1500' },
      { '.id': '*A', name: 'wlan1', type: 'wlan', running: 'true', disabled: 'false', 'rx-byte': '5368709120', 'tx-byte': '10737418240', mtu: '1500' },
    ],
    wirelessRegistrations: [
      { '.id': '*1', interface: 'wlan1', 'mac-address': 'AA:BB:CC:00:00:01', 'signal-strength': '-67@6Mbps', 'tx-rate': '65Mbps', uptime: '5m' },
      { '.id': '*2', interface: 'wlan1', 'mac-address': 'AA:BB:CC:00:00:02', 'signal-strength': '-71', 'tx-rate': '24Mbps', uptime: '1h5m' },
    ],
    wifiRegistrations: [],
    hotspotActive: [
      { '.id': '*1', server: 'hotspot1', user: 'warga-0812', address: '10.5.50.10', 'mac-address': 'AA:BB:CC:00:00:01', uptime: '1h2m3s', 'bytes-in': '1048576', 'bytes-out': '52428800', 'login-by': 'http-chap' },
    ],
    hotspotUsers: [{ '.id': '*1', name: 'warga-0812', password: 'rahasia', profile: 'default', disabled: 'false' }],
    missingMenus: [],
  };
}

/** One reply sentence without its tag, e.g. ['!re', '=name=ether1']. */
export type ReplySentence = string[];

export interface CommandRequest {
  command: string;
  attributes: Row;
  queries: string[];
  proplist: string[] | null;
}

export interface CommandOptions {
  /** Answer an empty print with !empty before !done (RouterOS 7.18+). */
  emptyReplies: boolean;
}

const TABLES: Record<string, (s: FakeRouterState) => Row[]> = {
  '/interface': (s) => s.interfaces,
  '/interface/wireless/registration-table': (s) => s.wirelessRegistrations,
  '/interface/wifi/registration-table': (s) => s.wifiRegistrations,
  '/interface/wireless': (s) => (s.wirelessInterfaces ??= []),
  '/interface/wifi': (s) => (s.wifiInterfaces ??= []),
  '/ip/hotspot/active': (s) => s.hotspotActive,
  '/ip/hotspot/user': (s) => s.hotspotUsers,
  '/ip/hotspot/user/profile': (s) => (s.hotspotProfiles ??= [{ '.id': '*0', name: 'default', 'shared-users': '1', 'rate-limit': '' }]),
};

function trap(message: string, category?: number): ReplySentence[] {
  const words = ['!trap'];
  if (category !== undefined) words.push(`=category=${category}`);
  words.push(`=message=${message}`);
  return [words, ['!done']];
}

function rowWords(row: Row, proplist: string[] | null): ReplySentence {
  const words = ['!re'];
  const names = proplist ?? Object.keys(row);
  for (const name of names) {
    const value = row[name];
    if (value !== undefined) words.push(`=${name}=${value}`);
  }
  return words;
}

function printRows(rows: Row[], req: CommandRequest, opts: CommandOptions): ReplySentence[] {
  const matching = rows.filter((row) => rowMatches(row, req.queries));
  if (req.attributes['count-only'] !== undefined) return [['!done', `=ret=${matching.length}`]];
  if (matching.length === 0) return opts.emptyReplies ? [['!empty'], ['!done']] : [['!done']];
  return [...matching.map((row) => rowWords(row, req.proplist)), ['!done']];
}

function nextId(rows: Row[]): string {
  let max = 0;
  for (const row of rows) {
    const n = Number.parseInt((row['.id'] ?? '*0').slice(1), 16);
    if (Number.isFinite(n) && n > max) max = n;
  }
  return `*${(max + 1).toString(16).toUpperCase()}`;
}

function findItem(rows: Row[], ref: string | undefined): Row | undefined {
  if (ref === undefined) return undefined;
  return rows.find((row) => row['.id'] === ref || row.name === ref);
}

function hotspotLogin(state: FakeRouterState, req: CommandRequest): ReplySentence[] {
  const { user, password } = req.attributes;
  const mac = req.attributes['mac-address'];
  const ip = req.attributes.ip;
  if (user === undefined || ip === undefined) return trap('missing user or ip', 1);
  const account = state.hotspotUsers.find((u) => u.name === user && u.disabled !== 'true');
  if (account === undefined || (account.password ?? '') !== (password ?? '')) return trap('invalid username or password', 4);
  if (account['mac-address'] !== undefined && mac !== undefined && account['mac-address'].toLowerCase() !== mac.toLowerCase()) {
    return trap('invalid mac address for this user', 4);
  }
  const already = state.hotspotActive.find((a) => a.address === ip);
  if (already !== undefined) return trap('already logged in', 4);
  state.hotspotActive.push({
    '.id': nextId(state.hotspotActive),
    server: 'hotspot1',
    user,
    address: ip,
    ...(mac === undefined ? {} : { 'mac-address': mac.toUpperCase() }),
    uptime: '0s',
    'bytes-in': '0',
    'bytes-out': '0',
    'login-by': 'api',
  });
  return [['!done']];
}

/** Runs one command against the state (mutating it for add/set/remove/login) and returns the reply sentences. */
export function executeCommand(state: FakeRouterState, req: CommandRequest, opts: CommandOptions): ReplySentence[] {
  const { command } = req;
  for (const menu of state.missingMenus) if (command.startsWith(`${menu}/`)) return trap('no such command prefix', 0);
  if (command === '/system/identity/print') return printRows([{ name: state.identity }], req, opts);
  if (command === '/system/resource/print') return printRows([state.resource], req, opts);
  if (command === '/ip/hotspot/active/login') return hotspotLogin(state, req);
  const slash = command.lastIndexOf('/');
  const menu = command.slice(0, slash);
  const verb = command.slice(slash + 1);
  const table = TABLES[menu];
  if (table === undefined) return trap('no such command prefix', 0);
  const rows = table(state);
  switch (verb) {
    case 'print':
      return printRows(rows, req, opts);
    case 'add': {
      if (menu === '/ip/hotspot/user' || menu === '/ip/hotspot/user/profile') {
        const name = req.attributes.name;
        if (name === undefined || name === '') return trap('missing name', 1);
        if (rows.some((r) => r.name === name)) return trap(menu === '/ip/hotspot/user' ? 'failure: already have user with this name' : 'failure: already have such name', 4);
      }
      const id = nextId(rows);
      rows.push({ '.id': id, disabled: 'false', ...req.attributes });
      return [['!done', `=ret=${id}`]];
    }
    case 'set': {
      const { '.id': id, numbers, ...rest } = req.attributes;
      const item = findItem(rows, id ?? numbers);
      if (item === undefined) return trap('no such item', 1);
      Object.assign(item, rest);
      return [['!done']];
    }
    case 'remove': {
      const ref = req.attributes['.id'] ?? req.attributes.numbers;
      const item = findItem(rows, ref);
      if (item === undefined) return trap('no such item', 1);
      rows.splice(rows.indexOf(item), 1);
      return [['!done']];
    }
    default:
      return trap('no such command', 0);
  }
}
