/**
 * Access-Request -> Access-Accept or Access-Reject. Who the user name is decides the path:
 *   `jk-...`          a user the portal handed to the browser at this (RADIUS) hotspot: PAP or CHAP on its password;
 *   a MAC address     MAC authentication of a returning device (only when the client's policy allows, and only when
 *                     it is the Calling-Station-Id itself: nobody types their way in as another device);
 *   a voucher code    the code typed on the gateway's own login page, with the code as the password (PAP or CHAP).
 * Accepts carry Session-Timeout (what is left of the day, the grant, the voucher), Idle-Timeout, the interim
 * interval, Class (the grant, echoed in accounting) and the vendor's rate and quota attributes.
 */
import type { PortalHotspotRow } from '../portal/queries/hotspots.ts';
import type { ServiceCtx } from '../deps.ts';
import { formatVoucherCode, normalizeVoucherCode } from '../portal/pure/voucher-code.ts';
import { authorizePortalUser, authorizeReturningDevice, authorizeVoucher, type NasDecision, type NasRefusal } from '../portal/services/nas-access.ts';
import { KeyedLock } from './keyed-lock.ts';
import type { NasClient } from './nas-client.ts';
import { STANDARD } from './protocol/dictionary.ts';
import { attr, chapMatches, findAttribute, papMatches, revealPassword, stringAttribute, type Attribute, type Packet } from './protocol/packet.ts';
import { replyAttributes } from './protocol/vendors.ts';

export const CLASS_PREFIX = 'jk1:';
const voucherLock = new KeyedLock();

export interface AccessAnswer {
  accept: boolean;
  attributes: Attribute[];
  /** Why (for the figures and the log): 'portal_user', 'voucher', 'mac' or a refusal. */
  reason: string;
}

/** Counts failed voucher guesses per NAS and device: ten in 15 minutes and that device is refused for a while. */
export class GuessLimiter {
  private readonly fails = new Map<string, { n: number; since: number }>();
  constructor(
    private readonly max = 10,
    private readonly windowMs = 15 * 60_000,
  ) {}
  blocked(key: string, nowMs: number): boolean {
    const f = this.fails.get(key);
    return f !== undefined && nowMs - f.since < this.windowMs && f.n >= this.max;
  }
  fail(key: string, nowMs: number): void {
    const f = this.fails.get(key);
    if (f === undefined || nowMs - f.since >= this.windowMs) this.fails.set(key, { n: 1, since: nowMs });
    else f.n++;
    if (this.fails.size > 100_000) this.fails.delete(this.fails.keys().next().value as string);
  }
  clear(key: string): void {
    this.fails.delete(key);
  }
}

/** "AA-BB-CC-DD-EE-FF", "aabb.ccdd.eeff", "AABBCCDDEEFF" -> "aa:bb:cc:dd:ee:ff"; null when not a MAC. */
export function normalizeMac(text: string | undefined): string | null {
  if (text === undefined) return null;
  const hex = text.trim().replace(/[:\-.]/g, '');
  if (!/^[0-9a-fA-F]{12}$/.test(hex)) return null;
  return hex.toLowerCase().match(/../g)!.join(':');
}

const MESSAGES: Record<NasRefusal | 'no_user' | 'too_many', string> = {
  unknown_user: 'Nama pengguna atau kode tidak dikenal / Unknown user name or code',
  bad_password: 'Kata sandi salah / Wrong password',
  expired: 'Akses atau voucher sudah habis masa berlakunya / Access or voucher has expired',
  revoked: 'Voucher sudah dicabut / Voucher was revoked',
  quota_time: 'Jatah waktu hari ini sudah habis / Time allowance used up for today',
  quota_data: 'Jatah data sudah habis / Data allowance used up',
  devices: 'Terlalu banyak perangkat sekaligus / Too many devices at once',
  no_user: 'Nama pengguna kosong / No user name',
  too_many: 'Terlalu banyak percobaan, coba lagi nanti / Too many attempts, try again later',
};

function reject(reason: NasRefusal | 'no_user' | 'too_many'): AccessAnswer {
  return { accept: false, attributes: [attr.string(STANDARD.ReplyMessage.type, MESSAGES[reason])], reason };
}

export interface AccessDeps {
  hotspot: PortalHotspotRow;
  guesses: GuessLimiter;
}

export async function answerAccessRequest(ctx: ServiceCtx, client: NasClient, p: Packet, deps: AccessDeps): Promise<AccessAnswer> {
  const userName = stringAttribute(p, STANDARD.UserName.type);
  if (userName === undefined || userName === '') return reject('no_user');
  if (deps.hotspot.enabled !== 1) return reject('unknown_user');

  const hidden = findAttribute(p, STANDARD.UserPassword.type);
  const pap = hidden === undefined ? null : revealPassword(hidden, client.secret, p.authenticator);
  const chap = findAttribute(p, STANDARD.ChapPassword.type);
  const challenge = findAttribute(p, STANDARD.ChapChallenge.type) ?? p.authenticator;
  const verify = (password: string): boolean => (pap !== null ? papMatches(pap, password) : chap !== undefined ? chapMatches(chap, challenge, password) : false);
  const calling = normalizeMac(stringAttribute(p, STANDARD.CallingStationId.type));

  let decision: NasDecision;
  let path: string;
  if (/^jk-[a-z2-7]{20}$/.test(userName)) {
    path = 'portal_user';
    decision = await authorizePortalUser(ctx, deps.hotspot, userName, verify);
  } else if (normalizeMac(userName) !== null && client.macAuthDays > 0 && calling !== null && calling === normalizeMac(userName)) {
    path = 'mac';
    decision = await voucherLock.run(`${deps.hotspot.id}|mac|${calling}`, () => authorizeReturningDevice(ctx, deps.hotspot, calling, client.macAuthDays));
  } else {
    path = 'voucher';
    const guessKey = `${client.id}|${calling ?? 'no-mac'}`;
    const now = ctx.clock.nowMs();
    if (deps.guesses.blocked(guessKey, now)) return reject('too_many');
    const code = normalizeVoucherCode(userName);
    // The code is the password too (MikroTik's voucher login, Mikhmon): as typed, or in its canonical forms.
    const passwordOk =
      code !== null && (verify(userName) || verify(code) || verify(formatVoucherCode(code)) || (pap !== null && normalizeVoucherCode(pap.toString('utf8')) === code));
    if (code === null || !passwordOk) {
      deps.guesses.fail(guessKey, now);
      return reject(code === null ? 'unknown_user' : 'bad_password');
    }
    // One decision at a time per voucher and device: simultaneous first uses make one citizen and one grant.
    decision = await voucherLock.run(`${deps.hotspot.id}|${code}|${calling ?? ''}`, () => authorizeVoucher(ctx, deps.hotspot, code, calling));
    if (!decision.ok && decision.refusal === 'unknown_user') deps.guesses.fail(guessKey, now);
    else deps.guesses.clear(guessKey);
  }
  if (!decision.ok) return reject(decision.refusal);
  const g = decision.grant;
  return {
    accept: true,
    reason: path,
    attributes: replyAttributes(client.vendor, {
      sessionTimeoutS: g.timeS,
      idleTimeoutS: client.idleTimeoutS,
      interimS: client.interimS,
      rateLimit: g.rateLimit,
      quotaBytes: g.bytes,
      className: `${CLASS_PREFIX}${g.grantId}`,
    }),
  };
}
