/** Indonesian mobile numbers in one form (+628...), so the keyed hash of a number is stable however it was typed. */
export function normalizePhone(input: string): string | null {
  if (input.length > 32) return null;
  const compact = input.replace(/[\s().-]/g, '');
  let digits: string;
  if (compact.startsWith('+62')) digits = compact.slice(3);
  else if (compact.startsWith('62')) digits = compact.slice(2);
  else if (compact.startsWith('0')) digits = compact.slice(1);
  else digits = compact;
  if (!/^8\d{8,11}$/.test(digits)) return null;
  return `+62${digits}`;
}

/** "+62812****7890": enough for a citizen to recognise their number, not enough to read it off a screen. */
export function maskPhone(phone: string): string {
  if (phone.length < 8) return '****';
  return `${phone.slice(0, 6)}****${phone.slice(-4)}`;
}
