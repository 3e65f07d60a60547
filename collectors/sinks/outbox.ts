/**
 * On-disk outbox: one file per batch in a folder, written once and never changed (append-only), removed once the
 * server acknowledged it. A write is `<name>.tmp` -> fsync -> rename to `<name>.json` -> fsync of the folder, so a
 * `.json` file is always complete, and `append` resolves only when the batch is durable. Leftover `.tmp` files
 * (a crash mid-write, never acknowledged to the caller) are deleted at open.
 * File names start with a zero-padded sequence number, so the oldest batch goes first.
 * One process per folder: a second collector must use its own outbox folder.
 */
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

export interface OutboxEntry {
  /** File name inside the folder, e.g. 000000000042-field-1-....json */
  name: string;
  seq: number;
  batchId: string;
}

export interface Outbox {
  readonly dir: string;
  append(batchId: string, body: string): Promise<OutboxEntry>;
  /** Oldest first. */
  list(): Promise<OutboxEntry[]>;
  read(entry: OutboxEntry): Promise<string>;
  remove(entry: OutboxEntry): Promise<void>;
  /** Moves a batch the server refused for good into `rejected/`, kept for a person to look at. */
  reject(entry: OutboxEntry): Promise<void>;
}

const NAME = /^(\d{12})-([A-Za-z0-9._-]+)\.json$/;

async function fsyncPath(target: string): Promise<void> {
  const handle = await open(target, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function parseName(name: string): OutboxEntry | null {
  const m = NAME.exec(name);
  if (m === null) return null;
  return { name, seq: Number(m[1]), batchId: m[2]! };
}

export async function openOutbox(dir: string): Promise<Outbox> {
  await mkdir(dir, { recursive: true });
  const rejectedDir = path.join(dir, 'rejected');
  let nextSeq = 1;
  for (const name of await readdir(dir)) {
    if (name.endsWith('.tmp')) {
      await unlink(path.join(dir, name)).catch(() => {});
      continue;
    }
    const e = parseName(name);
    if (e !== null) nextSeq = Math.max(nextSeq, e.seq + 1);
  }

  return {
    dir,
    async append(batchId: string, body: string): Promise<OutboxEntry> {
      if (!/^[A-Za-z0-9._-]+$/.test(batchId)) throw new Error('batch id has characters unfit for a file name');
      const seq = nextSeq;
      nextSeq += 1;
      const name = `${String(seq).padStart(12, '0')}-${batchId}.json`;
      const tmp = path.join(dir, `${name}.tmp`);
      const handle = await open(tmp, 'wx');
      try {
        await handle.writeFile(body, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, path.join(dir, name));
      await fsyncPath(dir);
      return { name, seq, batchId };
    },
    async list(): Promise<OutboxEntry[]> {
      const out: OutboxEntry[] = [];
      for (const name of await readdir(dir)) {
        const e = parseName(name);
        if (e !== null) out.push(e);
      }
      return out.sort((a, b) => a.seq - b.seq);
    },
    read: (entry: OutboxEntry): Promise<string> => readFile(path.join(dir, entry.name), 'utf8'),
    async remove(entry: OutboxEntry): Promise<void> {
      await unlink(path.join(dir, entry.name)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      await fsyncPath(dir);
    },
    async reject(entry: OutboxEntry): Promise<void> {
      await mkdir(rejectedDir, { recursive: true });
      await rename(path.join(dir, entry.name), path.join(rejectedDir, entry.name));
      await fsyncPath(dir);
    },
  };
}
