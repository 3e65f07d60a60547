/**
 * Dead letters (issue 11): batches a sink refused for good, or that kept failing past what the batcher holds in
 * memory, moved aside to a folder instead of retried forever or dropped. One file per batch,
 * `<atMs>-<batchId>.json` holding `{ reason, atMs, batch }` (the batch in its wire form, bigint counters as decimal
 * strings), written `.tmp` -> fsync -> rename, so a listed file is always complete. A person reads them through
 * `GET /api/v1/monitoring/ingest` and can hand a file to `POST /api/v1/ingest` once the cause is fixed.
 */
import { mkdir, open, readdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { DeadLetterInfo, DeadLetterStore, IngestBatch, IngestBatchJson } from '../../core/ingest.ts';
import { encodeIngestBatch } from '../../core/ingest.ts';
import type { Clock } from '../../core/time.ts';
import { systemClock } from '../../core/time.ts';

/** Where the batcher puts a batch it gives up on. */
export interface DeadLetterSink {
  put(batch: IngestBatch, reason: string): Promise<void>;
}

export interface DeadLetterFolder extends DeadLetterSink, DeadLetterStore {
  readonly dir: string;
  read(id: string): Promise<{ reason: string; atMs: number; batch: IngestBatchJson } | null>;
}

const NAME = /^(\d{13,16})-([A-Za-z0-9._-]+)\.json$/;

/** The folder is made at the first dead letter, so a healthy installation has none. */
export async function openDeadLetterFolder(dir: string, clock: Clock = systemClock): Promise<DeadLetterFolder> {
  const read = async (id: string): Promise<{ reason: string; atMs: number; batch: IngestBatchJson } | null> => {
    if (!NAME.test(`${id}.json`)) return null;
    try {
      return JSON.parse(await readFile(path.join(dir, `${id}.json`), 'utf8')) as { reason: string; atMs: number; batch: IngestBatchJson };
    } catch {
      return null;
    }
  };
  return {
    dir,
    async put(batch: IngestBatch, reason: string): Promise<void> {
      const atMs = clock.nowMs();
      await mkdir(dir, { recursive: true });
      const name = `${atMs}-${batch.batchId}.json`;
      const tmp = path.join(dir, `${name}.tmp`);
      const handle = await open(tmp, 'w');
      try {
        await handle.writeFile(JSON.stringify({ reason: reason.slice(0, 2000), atMs, batch: encodeIngestBatch(batch) }), 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, path.join(dir, name));
    },
    read,
    async list(limit = 100): Promise<{ total: number; items: DeadLetterInfo[] }> {
      const all = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [] as string[];
        throw error;
      });
      const names = all.filter((n) => NAME.test(n)).sort().reverse();
      const items: DeadLetterInfo[] = [];
      for (const name of names.slice(0, limit)) {
        const id = name.slice(0, -'.json'.length);
        const f = await read(id);
        if (f === null) continue;
        items.push({
          id,
          at: new Date(f.atMs).toISOString(),
          reason: f.reason,
          collectorId: f.batch.collectorId,
          batchId: f.batch.batchId,
          items: f.batch.items.length,
          events: f.batch.events.length,
          devices: new Set([...f.batch.items.map((i) => i.deviceId), ...f.batch.events.map((e) => e.deviceId)]).size,
        });
      }
      return { total: names.length, items };
    },
  };
}
