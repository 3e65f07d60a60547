/**
 * The standalone collector's configuration: one JSON file (collector.json, see collector.example.json and
 * collectors/README.md), parsed once at start. The token may come from an environment variable instead of the
 * file (`tokenEnv`), so the file can be world-readable. Relative paths are resolved from the file's folder.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { deviceTargetJson } from '../core/ingest.ts';
import type { DeviceTarget } from '../core/observations.ts';

export const collectorConfigSchema = z
  .object({
    collectorId: z.string().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/),
    serverUrl: z.string().url(),
    token: z.string().min(16).max(512).optional(),
    tokenEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).optional(),
    /** Folder of the on-disk outbox (and the state snapshot beside it, `<outboxDir>/../state.json`). */
    outboxDir: z.string().min(1),
    stateFile: z.string().min(1).optional(),
    targets: z.discriminatedUnion('source', [
      /** Ask the server (GET /api/v1/collector/targets) every refreshS seconds. */
      z.object({ source: z.literal('server'), refreshS: z.number().int().min(10).max(86_400).default(300) }).strict(),
      /** A fixed list in this file. */
      z.object({ source: z.literal('file'), devices: z.array(deviceTargetJson).max(100_000) }).strict(),
      /**
       * Issue 17: share a collector group's devices with the other collectors of the group through leases kept by
       * the server (POST /api/v1/collector/leases), renewed every renewS seconds; a lease not renewed for ttlS
       * seconds goes to another collector of the group.
       */
      z
        .object({
          source: z.literal('lease'),
          group: z.string().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/).default('default'),
          ttlS: z.number().min(2).max(600).default(30),
          renewS: z.number().min(0.5).max(200).default(10),
          /**
           * true (default): each renewal sends back the version of the last answer and gets only the devices taken or
           * changed since; false: the whole list every time (what servers before this did; the benchmark compares).
           */
          changesOnly: z.boolean().default(true),
        })
        .strict()
        .refine((t) => t.renewS * 2 <= t.ttlS, { message: 'renewS must be at most half of ttlS', path: ['renewS'] }),
    ]),
    snmp: z
      .object({
        timeoutMs: z.number().int().min(50).max(60_000).default(1000),
        retries: z.number().int().min(0).max(5).default(1),
        maxInFlight: z.number().int().min(1).max(65_536).default(256),
      })
      .strict()
      .default({ timeoutMs: 1000, retries: 1, maxInFlight: 256 }),
    routeros: z
      .object({
        commandTimeoutMs: z.number().int().min(100).max(120_000).default(5000),
        maxSessionsPerRouter: z.number().int().min(1).max(2).default(2),
      })
      .strict()
      .default({ commandTimeoutMs: 5000, maxSessionsPerRouter: 2 }),
    scheduler: z
      .object({ maxConcurrent: z.number().int().min(1).max(100_000).default(256), pollTimeoutMs: z.number().int().min(100).max(600_000).optional() })
      .strict()
      .default({ maxConcurrent: 256 }),
    state: z
      .object({
        downAfter: z.number().int().min(1).max(100).default(3),
        upAfter: z.number().int().min(1).max(100).default(2),
        upFromUnknownAfter: z.number().int().min(1).max(100).default(1),
      })
      .strict()
      .default({ downAfter: 3, upAfter: 2, upFromUnknownAfter: 1 }),
    batch: z
      .object({ maxItems: z.number().int().min(1).max(10_000).default(500), maxDelayMs: z.number().int().min(10).max(600_000).default(5000) })
      .strict()
      .default({ maxItems: 500, maxDelayMs: 5000 }),
  })
  .strict()
  .refine((c) => c.token !== undefined || c.tokenEnv !== undefined, { message: 'set token or tokenEnv', path: ['token'] });

export interface CollectorConfig {
  collectorId: string;
  serverUrl: string;
  token: string;
  outboxDir: string;
  stateFile: string;
  targets: { source: 'server'; refreshS: number } | { source: 'file'; devices: DeviceTarget[] } | { source: 'lease'; group: string; ttlS: number; renewS: number; changesOnly: boolean };
  snmp: { timeoutMs: number; retries: number; maxInFlight: number };
  routeros: { commandTimeoutMs: number; maxSessionsPerRouter: number };
  scheduler: { maxConcurrent: number; pollTimeoutMs?: number | undefined };
  state: { downAfter: number; upAfter: number; upFromUnknownAfter: number };
  batch: { maxItems: number; maxDelayMs: number };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses a config object; `baseDir` resolves relative paths, `env` supplies tokenEnv. */
export function parseCollectorConfig(value: unknown, options: { baseDir: string; env: Record<string, string | undefined> }): CollectorConfig {
  const parsed = collectorConfigSchema.safeParse(value);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`invalid collector config:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const token = c.tokenEnv !== undefined ? options.env[c.tokenEnv] : c.token;
  if (token === undefined || token.length < 16) throw new ConfigError(`token missing or shorter than 16 characters${c.tokenEnv ? ` (environment variable ${c.tokenEnv})` : ''}`);
  const outboxDir = path.resolve(options.baseDir, c.outboxDir);
  return {
    collectorId: c.collectorId,
    serverUrl: c.serverUrl,
    token,
    outboxDir,
    stateFile: c.stateFile === undefined ? path.join(path.dirname(outboxDir), `${path.basename(outboxDir)}.state.json`) : path.resolve(options.baseDir, c.stateFile),
    targets: c.targets,
    snmp: c.snmp,
    routeros: c.routeros,
    scheduler: c.scheduler,
    state: c.state,
    batch: c.batch,
  };
}

export async function loadCollectorConfig(file: string, env: Record<string, string | undefined> = process.env): Promise<CollectorConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file} is not JSON: ${(error as Error).message}`);
  }
  return parseCollectorConfig(value, { baseDir: path.dirname(path.resolve(file)), env });
}
