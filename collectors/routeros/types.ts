/** The small interface every RouterOS transport implements, and the shapes it speaks in. */

/** One reply row: attribute name (without the leading `=`) to value, e.g. { name: 'ether1', 'rx-byte': '123' }. */
export type RosRow = Record<string, string>;

export interface RosReply {
  /** One per `!re` sentence, in order. */
  rows: RosRow[];
  /** Attributes of the closing `!done` (e.g. `ret` = the new item's id after `add`). */
  done: RosRow;
  /** True when the router answered `!empty` (RouterOS 7.18+). */
  empty: boolean;
}

export interface RosCommand {
  /** Command path, e.g. `/interface/print`. */
  command: string;
  /** Written as `=name=value` words. */
  attributes?: Readonly<Record<string, string>>;
  /** Query words without the leading `?`, e.g. `name=ether1`, `#|`. */
  queries?: readonly string[];
  /** Fields to ask for; written as `=.proplist=a,b`. */
  proplist?: readonly string[];
  /** Deadline for this command; defaults to the client's commandTimeoutMs. */
  timeoutMs?: number;
}

export interface RouterOSEndpoint {
  host: string;
  port: number;
  tls: boolean;
  username: string;
  password: string;
}

export interface RouterOSTlsOptions {
  /** Routers usually carry self-signed certificates; set false to accept any (still encrypted). Default true. */
  rejectUnauthorized?: boolean;
  /** PEM CA certificates to trust. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Name to check the certificate against, when not the host. */
  servername?: string;
}

export interface RouterOSClientOptions {
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  /** Idle time after which the session sends a probe; a probe unanswered within commandTimeoutMs kills the session. 0 disables. */
  keepaliveIntervalMs: number;
  tlsOptions?: RouterOSTlsOptions;
}

export const DEFAULT_CLIENT_OPTIONS: RouterOSClientOptions = {
  connectTimeoutMs: 3_000,
  commandTimeoutMs: 5_000,
  keepaliveIntervalMs: 20_000,
};

export interface RouterOSClient {
  /** Opens the TCP/TLS session and logs in; rejects with RouterOSError. */
  connect(): Promise<void>;
  /** Runs one command under its deadline; rejects with RouterOSError (trap, timeout, closed, ...). */
  run(command: RosCommand): Promise<RosReply>;
  /** Closes the session; never rejects. */
  close(): Promise<void>;
  /** False once the session failed or was closed; a pool drops such clients. */
  readonly alive: boolean;
  /** Commands sent and not yet answered. */
  readonly inFlight: number;
}

export type RouterOSClientFactory = (endpoint: RouterOSEndpoint, options: RouterOSClientOptions) => RouterOSClient;

/** The words of a command sentence, without the tag. */
export function commandWords(command: RosCommand): string[] {
  const words = [command.command];
  for (const [name, value] of Object.entries(command.attributes ?? {})) words.push(`=${name}=${value}`);
  if (command.proplist !== undefined && command.proplist.length > 0) words.push(`=.proplist=${command.proplist.join(',')}`);
  for (const query of command.queries ?? []) words.push(`?${query}`);
  return words;
}
