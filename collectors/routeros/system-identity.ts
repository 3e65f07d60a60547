/** /system/identity/print -> the router's name. */
import type { RosRow } from './types.ts';

export const SYSTEM_IDENTITY_COMMAND = '/system/identity/print';
export const SYSTEM_IDENTITY_FIELDS = ['name'] as const;

export function parseSystemIdentity(rows: readonly RosRow[]): string | null {
  const name = rows[0]?.name?.trim();
  return name === undefined || name === '' ? null : name;
}
