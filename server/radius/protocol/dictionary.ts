/**
 * The attributes Jangkau reads and writes, by number and value type. The facts (numbers, vendor ids, types) come
 * from the RFCs and the vendors' published dictionaries as FreeRADIUS ships them (Debian: /usr/share/freeradius);
 * test/radius/dictionary.test.ts checks every entry here against those files. Written in our own form: only what
 * we use.
 */
export type ValueKind = 'string' | 'octets' | 'integer' | 'ipaddr' | 'date';

export interface AttributeDef {
  name: string;
  /** Attribute number, or the vendor type inside Vendor-Specific. */
  type: number;
  kind: ValueKind;
}

/** RFC 2865, 2866, 2869, 5176 attributes. */
export const STANDARD = {
  UserName: { name: 'User-Name', type: 1, kind: 'string' },
  UserPassword: { name: 'User-Password', type: 2, kind: 'string' },
  ChapPassword: { name: 'CHAP-Password', type: 3, kind: 'octets' },
  NasIpAddress: { name: 'NAS-IP-Address', type: 4, kind: 'ipaddr' },
  NasPort: { name: 'NAS-Port', type: 5, kind: 'integer' },
  ServiceType: { name: 'Service-Type', type: 6, kind: 'integer' },
  FramedIpAddress: { name: 'Framed-IP-Address', type: 8, kind: 'ipaddr' },
  ReplyMessage: { name: 'Reply-Message', type: 18, kind: 'string' },
  State: { name: 'State', type: 24, kind: 'octets' },
  Class: { name: 'Class', type: 25, kind: 'octets' },
  SessionTimeout: { name: 'Session-Timeout', type: 27, kind: 'integer' },
  IdleTimeout: { name: 'Idle-Timeout', type: 28, kind: 'integer' },
  CalledStationId: { name: 'Called-Station-Id', type: 30, kind: 'string' },
  CallingStationId: { name: 'Calling-Station-Id', type: 31, kind: 'string' },
  NasIdentifier: { name: 'NAS-Identifier', type: 32, kind: 'string' },
  ProxyState: { name: 'Proxy-State', type: 33, kind: 'octets' },
  AcctStatusType: { name: 'Acct-Status-Type', type: 40, kind: 'integer' },
  AcctDelayTime: { name: 'Acct-Delay-Time', type: 41, kind: 'integer' },
  AcctInputOctets: { name: 'Acct-Input-Octets', type: 42, kind: 'integer' },
  AcctOutputOctets: { name: 'Acct-Output-Octets', type: 43, kind: 'integer' },
  AcctSessionId: { name: 'Acct-Session-Id', type: 44, kind: 'string' },
  AcctSessionTime: { name: 'Acct-Session-Time', type: 46, kind: 'integer' },
  AcctTerminateCause: { name: 'Acct-Terminate-Cause', type: 49, kind: 'integer' },
  AcctInputGigawords: { name: 'Acct-Input-Gigawords', type: 52, kind: 'integer' },
  AcctOutputGigawords: { name: 'Acct-Output-Gigawords', type: 53, kind: 'integer' },
  EventTimestamp: { name: 'Event-Timestamp', type: 55, kind: 'date' },
  ChapChallenge: { name: 'CHAP-Challenge', type: 60, kind: 'octets' },
  MessageAuthenticator: { name: 'Message-Authenticator', type: 80, kind: 'octets' },
  AcctInterimInterval: { name: 'Acct-Interim-Interval', type: 85, kind: 'integer' },
  ErrorCause: { name: 'Error-Cause', type: 101, kind: 'integer' },
} as const satisfies Record<string, AttributeDef>;

export const ACCT_STATUS = { Start: 1, Stop: 2, InterimUpdate: 3, AccountingOn: 7, AccountingOff: 8 } as const;

/** RFC 5176 3.5 Error-Cause values we name in the console. */
export const ERROR_CAUSES: Record<number, string> = {
  201: 'Residual-Session-Context-Removed',
  202: 'Invalid-EAP-Packet',
  401: 'Unsupported-Attribute',
  402: 'Missing-Attribute',
  403: 'NAS-Identification-Mismatch',
  404: 'Invalid-Request',
  405: 'Unsupported-Service',
  406: 'Unsupported-Extension',
  407: 'Invalid-Attribute-Value',
  501: 'Administratively-Prohibited',
  502: 'Request-Not-Routable',
  503: 'Session-Context-Not-Found',
  504: 'Session-Context-Not-Removable',
  505: 'Other-Proxy-Processing-Error',
  506: 'Resources-Unavailable',
  507: 'Request-Initiated',
  508: 'Multiple-Session-Selection-Unsupported',
};

export interface VendorDictionary {
  name: string;
  id: number;
  attributes: Record<string, AttributeDef>;
}

/** MikroTik RouterOS (dictionary.mikrotik). Rate limit "rx/tx" seen from the router: rx = the client's upload. */
export const MIKROTIK = {
  name: 'Mikrotik',
  id: 14988,
  attributes: {
    RecvLimit: { name: 'Mikrotik-Recv-Limit', type: 1, kind: 'integer' },
    XmitLimit: { name: 'Mikrotik-Xmit-Limit', type: 2, kind: 'integer' },
    Group: { name: 'Mikrotik-Group', type: 3, kind: 'string' },
    RateLimit: { name: 'Mikrotik-Rate-Limit', type: 8, kind: 'string' },
    RecvLimitGigawords: { name: 'Mikrotik-Recv-Limit-Gigawords', type: 14, kind: 'integer' },
    XmitLimitGigawords: { name: 'Mikrotik-Xmit-Limit-Gigawords', type: 15, kind: 'integer' },
    TotalLimit: { name: 'Mikrotik-Total-Limit', type: 17, kind: 'integer' },
    TotalLimitGigawords: { name: 'Mikrotik-Total-Limit-Gigawords', type: 18, kind: 'integer' },
    AddressList: { name: 'Mikrotik-Address-List', type: 19, kind: 'string' },
  },
} as const satisfies VendorDictionary;

/** Wi-Fi Alliance WISPr (dictionary.wispr): bandwidths in bits per second. Omada, UniFi, Ruijie, pfSense, FortiGate. */
export const WISPR = {
  name: 'WISPr',
  id: 14122,
  attributes: {
    LocationId: { name: 'WISPr-Location-ID', type: 1, kind: 'string' },
    LocationName: { name: 'WISPr-Location-Name', type: 2, kind: 'string' },
    BandwidthMaxUp: { name: 'WISPr-Bandwidth-Max-Up', type: 7, kind: 'integer' },
    BandwidthMaxDown: { name: 'WISPr-Bandwidth-Max-Down', type: 8, kind: 'integer' },
    SessionTerminateTime: { name: 'WISPr-Session-Terminate-Time', type: 9, kind: 'string' },
  },
} as const satisfies VendorDictionary;

/**
 * ChilliSpot / CoovaChilli (dictionary.chillispot): bandwidths in kbit/s, octet limits. The Gigawords companions
 * (21-23) are CoovaChilli's own additions (its doc/dictionary.chillispot), absent from FreeRADIUS's copy.
 */
export const CHILLISPOT = {
  name: 'ChilliSpot',
  id: 14559,
  attributes: {
    MaxInputOctets: { name: 'ChilliSpot-Max-Input-Octets', type: 1, kind: 'integer' },
    MaxOutputOctets: { name: 'ChilliSpot-Max-Output-Octets', type: 2, kind: 'integer' },
    MaxTotalOctets: { name: 'ChilliSpot-Max-Total-Octets', type: 3, kind: 'integer' },
    BandwidthMaxUp: { name: 'ChilliSpot-Bandwidth-Max-Up', type: 4, kind: 'integer' },
    BandwidthMaxDown: { name: 'ChilliSpot-Bandwidth-Max-Down', type: 5, kind: 'integer' },
  },
} as const satisfies VendorDictionary;
export const CHILLISPOT_COOVA_EXTRA = { MaxTotalGigawords: { name: 'ChilliSpot-Max-Total-Gigawords', type: 23, kind: 'integer' } } as const;

/** pfSense captive portal (dictionary.pfsense). */
export const PFSENSE = {
  name: 'pfSense',
  id: 13644,
  attributes: {
    BandwidthMaxUp: { name: 'pfSense-Bandwidth-Max-Up', type: 1, kind: 'integer' },
    BandwidthMaxDown: { name: 'pfSense-Bandwidth-Max-Down', type: 2, kind: 'integer' },
    MaxTotalOctets: { name: 'pfSense-Max-Total-Octets', type: 3, kind: 'integer' },
  },
} as const satisfies VendorDictionary;

export const VENDOR_DICTIONARIES: readonly VendorDictionary[] = [MIKROTIK, WISPR, CHILLISPOT, PFSENSE];

/** A readable name for an attribute (logs, the console's CoA answers). */
export function attributeName(type: number, vendor?: number, vendorType?: number): string {
  if (vendor !== undefined && vendorType !== undefined) {
    const d = VENDOR_DICTIONARIES.find((v) => v.id === vendor);
    const a = d === undefined ? undefined : Object.values(d.attributes).find((x) => x.type === vendorType);
    return a?.name ?? `Vendor-${vendor}-Attr-${vendorType}`;
  }
  return Object.values(STANDARD).find((a) => a.type === type)?.name ?? `Attr-${type}`;
}
