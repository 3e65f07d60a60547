/**
 * Every way a RouterOS conversation can fail, as one typed error. Nothing else leaves this folder: sockets, TLS,
 * node-routeros and the decoder all end up here.
 */
import type { PollError, PollErrorKind } from '../../core/observations.ts';

export const ROUTEROS_ERROR_KINDS = [
  'timeout', // deadline passed (connect, login, command or keepalive)
  'refused', // TCP connection refused
  'unreachable', // no route, DNS, host down
  'closed', // the router closed or reset the connection
  'auth', // login rejected
  'busy', // the router refused another API session (max-sessions)
  'trap', // the router answered !trap to a command
  'fatal', // the router answered !fatal and closed the session
  'protocol', // well-formed words that make no sense here (unknown reply, stray tag)
  'malformed', // bytes that are not RouterOS API words
  'tls', // TLS handshake or certificate failure
  'config', // bad input from our side
] as const;
export type RouterOSErrorKind = (typeof ROUTEROS_ERROR_KINDS)[number];

export class RouterOSError extends Error {
  readonly kind: RouterOSErrorKind;
  /** `=category=` of a !trap (0 missing item/command, 1 argument, 2 interrupted, 3 script, 4 general, 5 access, 6 ...). */
  readonly category: number | null;

  constructor(kind: RouterOSErrorKind, message: string, options: { category?: number | null; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RouterOSError';
    this.kind = kind;
    this.category = options.category ?? null;
  }
}

/**
 * A reply without a `.tag` to a command that carried one. RouterOS tags every reply of a tagged command, so the peer
 * (an API proxy or a clone, some tag only the final `!done`) does not tag its replies: say so, rather than naming
 * one sentence, so an operator knows the device, not the network, is at fault.
 */
export function untaggedReplyMessage(reply: string): string {
  return `the router does not tag its replies (a ${reply} came without the .tag of the command it answers); Jangkau needs tagged replies as RouterOS sends them`;
}

export function isRouterOSError(value: unknown): value is RouterOSError {
  return value instanceof RouterOSError;
}

/** Maps any thrown value to a RouterOSError (unknown values become `protocol`, never rethrown). */
export function toRouterOSError(value: unknown): RouterOSError {
  if (value instanceof RouterOSError) return value;
  if (value instanceof Error) {
    const code = (value as NodeJS.ErrnoException).code ?? '';
    if (code === 'ECONNREFUSED') return new RouterOSError('refused', 'connection refused', { cause: value });
    if (code === 'ECONNRESET' || code === 'EPIPE') return new RouterOSError('closed', 'connection reset by the router', { cause: value });
    if (['EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'EHOSTDOWN'].includes(code)) {
      return new RouterOSError('unreachable', `router unreachable (${code})`, { cause: value });
    }
    if (code === 'ETIMEDOUT') return new RouterOSError('timeout', 'connection timed out', { cause: value });
    if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /certificate|self.signed|SSL|TLS/i.test(`${code} ${value.message}`)) {
      return new RouterOSError('tls', `TLS failure: ${value.message}`, { cause: value });
    }
    return new RouterOSError('protocol', value.message || value.name, { cause: value });
  }
  return new RouterOSError('protocol', `unexpected failure: ${String(value)}`);
}

const POLL_KIND: Record<RouterOSErrorKind, PollErrorKind> = {
  timeout: 'timeout',
  refused: 'refused',
  unreachable: 'unreachable',
  closed: 'unreachable',
  auth: 'auth',
  busy: 'refused',
  trap: 'protocol',
  fatal: 'protocol',
  protocol: 'protocol',
  malformed: 'malformed',
  tls: 'protocol',
  config: 'config',
};

/** The poll-error form stored with a failed poll; the message never contains credentials. */
export function toPollError(value: unknown): PollError {
  const err = toRouterOSError(value);
  return { kind: POLL_KIND[err.kind], message: `routeros ${err.kind}: ${err.message}` };
}
