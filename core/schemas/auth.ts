import { z } from 'zod';
import { ROLES } from '../roles.ts';

export const loginBody = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(1024),
});

export const roleSchema = z.enum(ROLES);

export const userOut = z.object({
  id: z.string(),
  email: z.string(),
  role: roleSchema,
  displayName: z.string().nullable(),
  createdAt: z.string(),
  disabled: z.boolean(),
  /** The kabupaten/kota (region code) the account is limited to; null: everywhere (issue 17). */
  scopeCityCode: z.string().nullable(),
});
export type UserOut = z.infer<typeof userOut>;

export const createUserBody = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(12, 'a password needs at least 12 characters').max(1024),
  role: roleSchema,
  displayName: z.string().trim().max(120).optional(),
  /** Limit the account to one kabupaten/kota (a `kota` code from GET /api/v1/regions); absent or null: everywhere. */
  scopeCityCode: z.string().trim().min(1).max(64).nullable().optional(),
});

export const updateUserBody = z.object({
  role: roleSchema.optional(),
  displayName: z.string().trim().max(120).nullable().optional(),
  disabled: z.boolean().optional(),
  scopeCityCode: z.string().trim().min(1).max(64).nullable().optional(),
  password: z.string().min(12).max(1024).optional(),
});

export const createTokenBody = z.object({
  name: z.string().trim().min(1).max(80),
  /** Days until the token expires; absent means it never does. */
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

export const changePasswordBody = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(12, 'a password needs at least 12 characters').max(1024),
});
