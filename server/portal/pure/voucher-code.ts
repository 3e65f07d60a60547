/**
 * Voucher codes people can read aloud and type on a phone: no 0/O, 1/I/L look-alikes. Ten characters from a
 * 31-letter alphabet (about 49 bits), printed as two groups of five.
 */
export const VOUCHER_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const VOUCHER_LENGTH = 10;

export function newVoucherCode(): string {
  const n = VOUCHER_ALPHABET.length;
  const limit = 256 - (256 % n);
  let out = '';
  const buf = new Uint8Array(32);
  while (out.length < VOUCHER_LENGTH) {
    crypto.getRandomValues(buf);
    for (const b of buf) {
      // Rejection sampling keeps every letter equally likely.
      if (b < limit && out.length < VOUCHER_LENGTH) out += VOUCHER_ALPHABET[b % n];
    }
  }
  return out;
}

export function formatVoucherCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** Upper-cases and drops spaces and dashes. Null when it cannot be a code (length, or a letter not in the alphabet). */
export function normalizeVoucherCode(input: string): string | null {
  if (input.length > 32) return null;
  const s = input.toUpperCase().replace(/[\s-]/g, '');
  if (s.length !== VOUCHER_LENGTH) return null;
  for (const ch of s) if (!VOUCHER_ALPHABET.includes(ch)) return null;
  return s;
}

/**
 * Where a printed QR code sends a phone: the hotspot's own login page, with the portal's voucher link as `dst`. The
 * router serves its login page (the phone is not signed in yet), which posts the hotspot variables to the portal
 * with that `dst`; the portal then opens with the code filled in. So a QR code works only on the city's Wi-Fi, like
 * the vouchers of a MikroTik hotspot, and never carries anything but the code.
 */
export function voucherLoginUrl(loginHost: string, portalOrigin: string, code: string): string {
  return `http://${loginHost}/login?dst=${encodeURIComponent(`${portalOrigin}/portal/v/${code}`)}`;
}
