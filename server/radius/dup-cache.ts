/**
 * Retransmissions (RFC 5080 2.2.2): the same source address, port and identifier with the same authenticator within
 * a few seconds is the NAS trying again. While the first copy is being answered, copies are dropped; once it is
 * answered, they get the same reply from here, never a second decision (no double accounting, no second grant).
 * A new authenticator under the same identifier is a new request. Bounded: the oldest entries go first.
 */
interface Entry {
  authenticator: Buffer;
  reply: Buffer | null;
  atMs: number;
}

export type DuplicateCheck = { kind: 'new' } | { kind: 'in_progress' } | { kind: 'answered'; reply: Buffer };

export class DuplicateCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = 5000,
    private readonly maxEntries = 200_000,
  ) {}

  begin(key: string, authenticator: Buffer, nowMs: number): DuplicateCheck {
    const e = this.entries.get(key);
    if (e !== undefined && nowMs - e.atMs < this.ttlMs && e.authenticator.equals(authenticator)) {
      return e.reply === null ? { kind: 'in_progress' } : { kind: 'answered', reply: e.reply };
    }
    if (e !== undefined) this.entries.delete(key);
    this.entries.set(key, { authenticator: Buffer.from(authenticator), reply: null, atMs: nowMs });
    this.evict(nowMs);
    return { kind: 'new' };
  }

  /** Stores the reply (or forgets the request when none was sent, so a retry is processed again). */
  finish(key: string, authenticator: Buffer, reply: Buffer | null): void {
    const e = this.entries.get(key);
    if (e === undefined || !e.authenticator.equals(authenticator)) return;
    if (reply === null) this.entries.delete(key);
    else e.reply = reply;
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(nowMs: number): void {
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.maxEntries && nowMs - e.atMs < this.ttlMs) break;
      this.entries.delete(k);
    }
  }
}
