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

/** The longest a token may live (issue 10): a token that never expires outlives the reason it was made. */
export const TOKEN_MAX_DAYS = 365;

export const createTokenBody = z
  .object({
    name: z.string().trim().min(1).max(80),
    /** Days until the token expires, at most a year; absent means a year. */
    expiresInDays: z.number().int().min(1).max(TOKEN_MAX_DAYS).default(TOKEN_MAX_DAYS),
    /** `personal` (a person's scripts, with their role) or `collector` (one standalone collector: ingest, its targets, its jobs). */
    kind: z.enum(['personal', 'collector']).default('personal'),
    /** The collector's `collectorId` (its config file), required for a collector token. */
    collectorId: z.string().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/).optional(),
  })
  .refine((b) => (b.kind === 'collector') === (b.collectorId !== undefined), { message: 'a collector token needs collectorId, and only a collector token has one', path: ['collectorId'] });

export const changePasswordBody = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(12, 'a password needs at least 12 characters').max(1024),
});
