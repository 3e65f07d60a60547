/**
 * Interface roles (issue 11): which of a device's interfaces carry its own traffic, so the device's totals count
 * each byte once. A byte crossing a router shows on the physical port, again on the bridge it belongs to, on the
 * VLAN sub-interface and on the PPPoE tunnel over it: adding every interface counted it up to four times.
 *
 * - `physical`: a port or radio (Ethernet, SFP, an 802.11 radio).
 * - `uplink`: the physical interface that leads out of the device (to the provider or the core). It is physical.
 * - `virtual`: loopback, bridge, VLAN or sub-interface, PPP / tunnel, bonding, and wireless virtual APs (the vendor
 *   marks them: MikroTik's virtual APs have no frequency of their own, UniFi lists its VAPs by name; airOS and
 *   MediaTek name them `athN` / `raN` / `raiN`).
 *
 * Roles come from ifType first, then from the names (RouterOS names such as `trunk: Switch (br1)` carry the real
 * interface in brackets and a label before the colon; both are read). Totals add `physical` and `uplink` unless the
 * device chooses otherwise (`TrafficSelection`: roles and/or interface names). Pure: no I/O, runs everywhere.
 */
import { z } from 'zod';

export const INTERFACE_ROLES = ['physical', 'uplink', 'virtual'] as const;
export type InterfaceRole = (typeof INTERFACE_ROLES)[number];

/** What the rules look at. `vendorVirtual`: the vendor's own MIB says it is a virtual AP. */
export interface InterfaceFacts {
  name: string;
  ifType?: number | null;
  alias?: string | null;
  vendorVirtual?: boolean;
}

/** IANA ifType numbers that are never a port of their own. */
const VIRTUAL_TYPES = new Set([
  23, // ppp
  24, // softwareLoopback
  53, // propVirtual
  108, // pppMultilinkBundle
  131, // tunnel
  135, // l2vlan
  136, // l3ipvlan
  142, // ipForward
  150, // mplsTunnel
  161, // ieee8023adLag (its member ports are counted)
  166, // mpls
  209, // bridge
]);
/** IANA ifType numbers of radios (802.11, and the two later wireless types) for telling wired ports apart. */
const WIRELESS_TYPES = new Set([71, 188, 237]);

const VIRTUAL_NAME = new RegExp(
  [
    '^lo\\d*$', '^loopback', // loopback
    '^br\\d*$', '^br[-_]', '^bridge', '^virbr', '^docker', '^switch\\d*$', // bridges
    '^vlan', '\\.\\d+$', '^vlan-interface', // VLANs and sub-interfaces (eth0.100)
    '^ppp', '^pppoe', '^l2tp', '^pptp', '^sstp', '^ovpn', '^openvpn', '^gre', '^ipip', '^eoip', '^tun\\d*$', '^tap\\d*$',
    '^wg\\d*$', '^wireguard', '^6to4', '^sit\\d*$', '^ip6tnl', '^ip6gre', '^vxlan', '^teql', '^ifb', '^imq',
    '^dummy', '^bond', '^team', '^veth', '^ipsec', '^zt', // tunnels, bonding, software
    '^ath\\d+$', '^ra\\d+$', '^rai\\d+$', '^wds', '^apcli', '^wlan\\d+-\\d+$', '^airview', // wireless VAPs and pseudo
  ].join('|'),
  'i',
);
/** Names of ports and radios when the type does not say (RouterOS API, ifType `other`). */
const PHYSICAL_NAME = /^(eth|ether|en[ops]|em\d|lan|wan|sfp|qsfp|ge-|xe-|et-|gi|te|fa|gigabit|tengig|fastethernet|port|wifi\d|wlan\d+$|radio|wlan interface|lan interface)/i;
const UPLINK_WORD = /\b(wan|uplink|upstream|internet|isp|gateway)\b/i;
const RADIO_NAME = /^(wifi\d|wlan|radio|ath\d|wl\d)/i;

/**
 * RouterOS API interface types (`/interface/print` `type`) as the IANA ifType the same interface has over SNMP, so
 * one set of rules serves both pollers and a bridge renamed `LAN` is still a bridge. Unknown types: null (names decide).
 */
export function ifTypeOfRouterOsType(type: string | undefined): number | null {
  if (type === undefined) return null;
  const t = type.trim().toLowerCase();
  if (t === 'ether') return 6;
  if (t === 'wlan' || t === 'wifi' || t === 'w60g' || t === 'wifiwave2') return 71;
  if (t === 'bridge') return 209;
  if (t === 'vlan') return 135;
  if (t === 'loopback') return 24;
  if (t === 'bond' || t === 'bonding') return 161;
  if (/^(pppoe|pptp|l2tp|sstp|ovpn|ppp)-(in|out|client|server)$/.test(t) || t === 'ppp') return 23;
  if (/(tunnel|^wg$|^wireguard$|^vxlan$|^6to4)/.test(t)) return 131;
  if (t === 'vrrp' || t === 'veth' || t === 'mesh' || t === 'traffic-eng') return 53;
  return null;
}

/** The words a name offers: the whole name, the label before a colon, the interface in brackets. */
function nameParts(name: string): string[] {
  const parts = [name.trim()];
  const colon = /^([^:()]+):/.exec(name);
  if (colon) parts.push((colon[1] as string).trim());
  const bracket = /\(([^()]+)\)\s*$/.exec(name);
  if (bracket) parts.push((bracket[1] as string).trim());
  return parts.filter((p) => p.length > 0);
}

function isVirtual(f: InterfaceFacts): boolean {
  if (f.vendorVirtual) return true;
  if (f.ifType != null && VIRTUAL_TYPES.has(f.ifType)) return true;
  const parts = nameParts(f.name);
  // The bracketed interface decides when there is one (`trunk: blank (eth1)` is a port, `wan: rfc3068 (ipv6)` a tunnel).
  const bracket = /\(([^()]+)\)\s*$/.exec(f.name)?.[1]?.trim();
  if (bracket !== undefined && PHYSICAL_NAME.test(bracket)) return false;
  if (parts.some((p) => VIRTUAL_NAME.test(p))) return true;
  // ifType `other` (1) is what Linux agents give radios, tunnels and tools alike: a port only when named like one.
  if (f.ifType === 1) return !parts.some((p) => PHYSICAL_NAME.test(p));
  return false;
}

function isWired(f: InterfaceFacts): boolean {
  if (f.ifType != null && WIRELESS_TYPES.has(f.ifType)) return false;
  return !nameParts(f.name).some((p) => RADIO_NAME.test(p));
}

function saysUplink(f: InterfaceFacts): boolean {
  return [...nameParts(f.name), f.alias ?? ''].some((p) => UPLINK_WORD.test(p) || /^wan\d*$/i.test(p));
}

/**
 * Roles of one device's interfaces, in the order given. Uplink: a physical interface whose name or alias says so
 * (`WAN`, `wan: STCable (eth1)`, alias `uplink`); failing that, the device's only wired physical interface (an
 * access point's Ethernet port: ePMP `LAN interface 1`, airOS and UniFi `eth0`). A router or switch with several
 * ports and no such word has no uplink found: its totals still add every physical port.
 */
export function assignRoles(list: readonly InterfaceFacts[]): InterfaceRole[] {
  const roles: InterfaceRole[] = list.map((f) => (isVirtual(f) ? 'virtual' : 'physical'));
  let named = false;
  list.forEach((f, i) => {
    if (roles[i] === 'physical' && saysUplink(f)) {
      roles[i] = 'uplink';
      named = true;
    }
  });
  if (!named) {
    const wired = list.map((f, i) => i).filter((i) => roles[i] === 'physical' && isWired(list[i] as InterfaceFacts));
    if (wired.length === 1) roles[wired[0] as number] = 'uplink';
  }
  return roles;
}

/**
 * A device's own choice of the interfaces its totals add: interfaces of the given roles and interfaces with the
 * given names (exact). Null or absent: `physical` and `uplink`.
 */
export const trafficSelection = z
  .object({
    roles: z.array(z.enum(INTERFACE_ROLES)).max(3).optional(),
    names: z.array(z.string().trim().min(1).max(256)).max(64).optional(),
  })
  .strict()
  .superRefine((v, c) => {
    if ((v.roles?.length ?? 0) + (v.names?.length ?? 0) === 0) {
      c.addIssue({ code: 'custom', message: 'name at least one role or interface; null keeps the default (physical and uplink)' });
    }
    for (const [key, list] of [['roles', v.roles ?? []], ['names', v.names ?? []]] as const) {
      const seen = new Set<string>();
      list.forEach((x, i) => {
        if (seen.has(x)) c.addIssue({ code: 'custom', path: [key, i], message: `${x} is listed twice` });
        seen.add(x);
      });
    }
  });
export type TrafficSelection = z.infer<typeof trafficSelection>;

export const DEFAULT_TRAFFIC_ROLES: readonly InterfaceRole[] = ['physical', 'uplink'];

/** Whether an interface of this name and role counts in the device's totals. */
export function countsInTotals(iface: { name: string; role: InterfaceRole }, selection: TrafficSelection | null): boolean {
  if (selection === null) return DEFAULT_TRAFFIC_ROLES.includes(iface.role);
  return (selection.roles ?? []).includes(iface.role) || (selection.names ?? []).includes(iface.name);
}

/**
 * The CSV form of a selection: `;`-separated, each either a role (`physical`, `uplink`, `virtual`) or an interface
 * name. Empty: the default. An interface literally named like a role is written `name:<name>`.
 */
export function parseTrafficSelectionText(text: string): TrafficSelection | null {
  const items = text.split(';').map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) return null;
  const roles: InterfaceRole[] = [];
  const names: string[] = [];
  for (const item of items) {
    if ((INTERFACE_ROLES as readonly string[]).includes(item)) roles.push(item as InterfaceRole);
    else names.push(item.startsWith('name:') ? item.slice(5) : item);
  }
  return { ...(roles.length > 0 ? { roles } : {}), ...(names.length > 0 ? { names } : {}) };
}

export function formatTrafficSelection(s: TrafficSelection | null): string {
  if (s === null) return '';
  const names = (s.names ?? []).map((n) => ((INTERFACE_ROLES as readonly string[]).includes(n) ? `name:${n}` : n));
  return [...(s.roles ?? []), ...names].join(';');
}

/** One interface as the last poll left it (stored per device, shown by the device status API and the console). */
export interface InterfaceNow {
  index: number;
  name: string;
  role: InterfaceRole;
  /** Added to the device's totals. */
  counted: boolean;
  operUp: boolean | null;
  speedBps: number | null;
  /** Bits per second over the last interval; null on the first poll, after a reset, or with no counter. */
  rxBps: number | null;
  txBps: number | null;
}

/** Most interfaces kept per device (a 48-port switch with VLANs fits; a BRAS with thousands of PPP tunnels does not). */
export const MAX_STORED_INTERFACES = 512;
