import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpSink, encodeBatchBodies } from '../../../collectors/sinks/http-sink.ts';
import { createInProcessSink } from '../../../collectors/sinks/in-process-sink.ts';
import { createBatcher } from '../../../collectors/sinks/batcher.ts';
import { openOutbox } from '../../../collectors/sinks/outbox.ts';
import { openDeadLetterFolder } from '../../../collectors/sinks/dead-letters.ts';
import { ManualTime } from './manual-time.ts';
import type { IngestBatch } from '../../../core/ingest.ts';
import type { PollResult } from '../../../core/observations.ts';
import { startIngestServer } from './ingest-server.ts';
import { waitUntil } from '../../helpers/wait.ts';
import type { IngestServer } from './ingest-server.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'jangkau-outbox-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
async function server(token = 'secret-token'): Promise<IngestServer> {
  const s = await startIngestServer({ token });
  cleanups.push(() => s.close());
  return s;
}
function failure(deviceId: string, atMs: number): PollResult {
  return { ok: false, deviceId, startedAtMs: atMs, durationMs: 1, error: { kind: 'timeout', message: 'no answer' } };
}
function batch(k: number, items = 1): IngestBatch {
  return { collectorId: 'c1', batchId: `c1-batch-${k}`, createdAtMs: 1000 + k, items: Array.from({ length: items }, (_, i) => failure(`d${i}`, k)), events: [] };
}
async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('in-process sink', () => {
  it('hands batches to the injected function', async () => {
    const got: IngestBatch[] = [];
    const sink = createInProcessSink((b) => { got.push(b); });
    await sink.deliver(batch(1));
    expect(got.map((b) => b.batchId)).toEqual(['c1-batch-1']);
    await sink.close();
    await expect(sink.deliver(batch(2))).rejects.toThrow('closed');
  });
});

describe('outbox', () => {
  it('keeps batches in order across a reopen and clears torn writes', async () => {
    const dir = await tempDir();
    const a = await openOutbox(dir);
    await a.append('b-one', '{"n":1}');
    await a.append('b-two', '{"n":2}');
    await writeFile(path.join(dir, '000000000003-b-three.json.tmp'), '{"n":'); // crash mid-write
    const b = await openOutbox(dir);
    const list = await b.list();
    expect(list.map((e) => e.batchId)).toEqual(['b-one', 'b-two']);
    expect(await b.read(list[1]!)).toBe('{"n":2}');
    expect((await b.append('b-four', '{}')).seq).toBe(3);
    expect((await readdir(dir)).some((n) => n.endsWith('.tmp'))).toBe(false);
  });
});

describe('HTTP sink', () => {
  it('delivers through outages, 503s and lost answers: nothing lost, nothing stored twice', async () => {
    const srv = await server();
    const dir = await tempDir();
    const sink = await createHttpSink({ serverUrl: srv.url, token: 'secret-token', outboxDir: dir, backoffBaseMs: 10, backoffMaxMs: 100, requestTimeoutMs: 2000 });
    cleanups.push(() => sink.close());
    srv.script.push('503', 'store-then-drop', 'ok', 'drop', '503');
    for (let k = 1; k <= 10; k++) await sink.deliver(batch(k, 3));
    await srv.down();
    for (let k = 11; k <= 20; k++) await sink.deliver(batch(k, 3));
    // Wait for the event itself (a failed try while the server is down), not for a fixed time.
    const retriesBefore = sink.stats().retries;
    await waitFor(() => sink.stats().retries > retriesBefore, 5000, 'a failed try during the outage');
    expect(await sink.pending()).toBeGreaterThan(0);
    await srv.up();
    expect(await sink.drain({ timeoutMs: 10_000 })).toBe(true);
    expect(srv.batches.size).toBe(20);
    expect(srv.itemCounts.size).toBe(60);
    expect([...srv.itemCounts.values()].every((n) => n === 1)).toBe(true);
    expect(sink.stats().retries).toBeGreaterThanOrEqual(4);
    expect(srv.tokenSeen.has('Bearer secret-token')).toBe(true);
  });

  it('a batch failing transiently holds newer ones back one retry interval at most, and is sent once it can be', async () => {
    const srv = await server();
    srv.failing.add('c1-batch-1');
    const dir = await tempDir();
    // Injected clock and timers: retry intervals of exactly 1 s, 2 s, ... (no jitter); nothing waits on the wall clock.
    const time = new ManualTime(1_000_000);
    const retries: Array<{ batchId: string; attempt: number; delayMs: number }> = [];
    const sink = await createHttpSink({
      serverUrl: srv.url, token: 'secret-token', outboxDir: dir, clock: time, timers: time, random: () => 1, backoffBaseMs: 1000, backoffMaxMs: 60_000,
      requestTimeoutMs: 600_000, onRetry: (e, attempt, _r, delayMs) => retries.push({ batchId: e.batchId, attempt, delayMs }),
    });
    cleanups.push(() => sink.close());
    await sink.deliver(batch(1));
    await waitUntil(() => retries.length === 1, 'the first failed try of batch 1');
    for (let k = 2; k <= 4; k++) await sink.deliver(batch(k));
    // One retry interval later the newer batches go, oldest first; batch 1 waits out its own back-off.
    expect(retries[0]).toEqual({ batchId: 'c1-batch-1', attempt: 1, delayMs: 1000 });
    await time.advance(1000);
    await waitUntil(() => srv.batches.size === 3, 'batches 2 to 4');
    expect([...srv.batches.keys()]).toEqual(['c1-batch-2', 'c1-batch-3', 'c1-batch-4']);
    // It keeps failing: each of its tries costs newer batches one retry interval at most.
    await waitUntil(async () => (await sink.pending()) === 1, 'the outbox to hold batch 1 alone');
    await time.advance(1000);
    await waitUntil(() => retries.length === 2, 'the second try of batch 1');
    expect(retries[1]).toMatchObject({ batchId: 'c1-batch-1', attempt: 2 });
    await sink.deliver(batch(5));
    await time.advance(retries[1]!.delayMs);
    await waitUntil(() => srv.batches.has('c1-batch-5'), 'batch 5 within one retry interval');
    // The server takes it again: delivered at its next try, once, and the outbox is empty.
    srv.failing.delete('c1-batch-1');
    await time.advance(60_000);
    await waitUntil(async () => srv.batches.has('c1-batch-1') && (await sink.pending()) === 0, 'batch 1 at last, and an empty outbox');
    expect(srv.tries.filter((id) => id === 'c1-batch-1').length).toBeGreaterThanOrEqual(3);
    expect([...srv.itemCounts.values()].every((n) => n === 1)).toBe(true);
  });

  it('moves a batch the server refuses for good aside instead of retrying forever', async () => {
    const srv = await server('right');
    const dir = await tempDir();
    const rejected: number[] = [];
    const sink = await createHttpSink({ serverUrl: srv.url, token: 'wrong', outboxDir: dir, backoffBaseMs: 10, onRejected: (_e, status) => rejected.push(status) });
    cleanups.push(() => sink.close());
    await sink.deliver(batch(1));
    expect(await sink.drain({ timeoutMs: 5000 })).toBe(true);
    expect(rejected).toEqual([401]);
    expect(await readdir(path.join(dir, 'rejected'))).toHaveLength(1);
    expect(srv.batches.size).toBe(0);
  });

  it('splits a batch larger than the body limit into parts with their own ids', () => {
    const b = batch(1, 40);
    const parts = encodeBatchBodies(b, 2000);
    expect(parts.length).toBeGreaterThan(1);
    expect(new Set(parts.map((p) => p.batchId)).size).toBe(parts.length);
    const items = parts.flatMap((p) => (JSON.parse(p.body) as { items: Array<{ deviceId: string }> }).items.map((i) => i.deviceId));
    expect(items).toEqual(b.items.map((i) => i.deviceId));
    for (const p of parts) expect(Buffer.byteLength(p.body)).toBeLessThanOrEqual(2000);
  });

  it('survives a collector killed with SIGKILL mid-run and a server outage: every durable batch arrives once', async () => {
    const srv = await server('child-token');
    const dir = await tempDir();
    // Every 7th answer is lost after the commit, some are 503.
    for (let i = 0; i < 200; i++) srv.script.push(i % 7 === 3 ? 'store-then-drop' : i % 11 === 5 ? '503' : 'ok');
    const appended = new Set<number>();
    const child = runChild(['produce', srv.url, dir], (line) => {
      const m = /^appended (\d+)$/.exec(line);
      if (m !== null) appended.add(Number(m[1]));
    });
    await waitFor(() => appended.size >= 20, 20_000, 'first batches');
    await srv.down();
    await waitFor(() => appended.size >= 50, 20_000, 'batches during the outage');
    await srv.up();
    await waitFor(() => appended.size >= 80 && srv.batches.size >= 30, 20_000, 'delivery after the outage');
    await srv.down(); // a second outage, and the collector dies in it with batches waiting
    const before = appended.size;
    await waitFor(() => appended.size >= before + 20, 20_000, 'batches during the second outage');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect((await readdir(dir)).filter((n) => n.endsWith('.json')).length).toBeGreaterThanOrEqual(20);
    await srv.up();
    const lines: string[] = [];
    const drainer = runChild(['drain', srv.url, dir], (line) => lines.push(line));
    const code = await new Promise<number | null>((r) => drainer.once('exit', (c) => r(c)));
    expect(lines).toContain('drained');
    expect(code).toBe(0);
    for (const k of appended) expect(srv.itemCounts.get(`dev@${k}`), `batch ${k}`).toBe(1);
    expect([...srv.itemCounts.values()].every((n) => n === 1)).toBe(true);
    expect((await readdir(dir)).filter((n) => n.endsWith('.json'))).toEqual([]);
  }, 60_000);
});

function runChild(args: string[], onLine: (line: string) => void): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures/outbox-child.ts'), ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => { err += d.toString('utf8'); });
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGKILL' && err !== '') process.stderr.write(`child stderr: ${err}\n`);
  });
  cleanups.push(async () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
  return child;
}

describe('batcher', () => {
  const T0 = Date.UTC(2026, 11, 5, 12, 0, 0);
  const statusEvent = { type: 'status_changed' as const, deviceId: 'a', atMs: 0, detectedAtMs: 2, from: 'unknown' as const, to: 'down' as const };

  it('cuts batches by size and by delay, with unique ids; a failing batch never holds back newer ones', async () => {
    const time = new ManualTime(T0);
    const got: IngestBatch[] = [];
    let failNext = true;
    const sink = createInProcessSink((b) => {
      if (failNext) { failNext = false; throw new Error('database busy'); }
      got.push(b);
    });
    const errors: unknown[] = [];
    const batcher = createBatcher({ collectorId: 'c1', sink, maxItems: 3, maxDelayMs: 20, retryMs: 1000, clock: time, timers: time, onError: (e) => errors.push(e) });
    for (let i = 0; i < 3; i++) batcher.add(failure('a', i), []); // full: sent at once, and refused
    await time.advance(0);
    expect(errors).toHaveLength(1);
    expect(batcher.size()).toBe(3);
    expect(batcher.retained()).toBe(1);
    expect(got).toHaveLength(0);
    batcher.add(failure('a', 3), [statusEvent]);
    await time.advance(20); // the delay cut sends the new batch at once, before the kept one is due
    expect(got.map((b) => b.items.length)).toEqual([1]);
    expect(got[0]!.events).toHaveLength(1);
    await time.advance(979);
    expect(got).toHaveLength(1);
    await time.advance(1); // one retry interval after the failure: the kept batch goes
    expect(got.map((b) => b.items.length)).toEqual([1, 3]);
    expect(new Set(got.map((b) => b.batchId)).size).toBe(2);
    expect(batcher.size()).toBe(0);
    expect(batcher.stats()).toMatchObject({ delivered: 2, retries: 1, deadLettered: 0, dropped: 0 });
  });

  it('moves a refused batch to the dead letters at once, and the oldest kept ones when too many fail', async () => {
    const time = new ManualTime(T0);
    const dir = await tempDir();
    const dead = await openDeadLetterFolder(dir, time);
    let mode: 'refuse' | 'busy' | 'ok' = 'refuse';
    const got: string[] = [];
    const sink = createInProcessSink((b) => {
      if (mode === 'refuse') throw Object.assign(new Error('validation_failed: bad batch'), { permanent: true });
      if (mode === 'busy') throw new Error('database busy');
      got.push(b.batchId);
    });
    const batcher = createBatcher({
      collectorId: 'c1',
      sink,
      maxItems: 1,
      retryMs: 5000,
      maxRetained: 2,
      deadLetters: dead,
      isPermanent: (e) => (e as { permanent?: boolean }).permanent === true,
      clock: time,
      timers: time,
    });
    batcher.add(failure('a', 1), []);
    await time.advance(0);
    await waitFor(() => batcher.stats().deadLettered === 1, 5000, 'the dead letter on disk');
    let listed = await dead.list();
    expect(listed.total).toBe(1);
    expect(listed.items[0]).toMatchObject({ collectorId: 'c1', items: 1, devices: 1 });
    expect(listed.items[0]!.reason).toMatch(/^refused: validation_failed/);
    const stored = await dead.read(listed.items[0]!.id);
    expect(stored!.batch.items[0]).toMatchObject({ deviceId: 'a', startedAtMs: 1 });
    mode = 'busy';
    for (let i = 2; i <= 5; i++) {
      batcher.add(failure('a', i), []);
      await time.advance(10);
      await waitFor(() => batcher.stats().retries === i - 1, 5000, `failure ${i - 1}`);
    }
    await waitFor(() => batcher.stats().deadLettered === 3, 5000, 'two more dead letters');
    // Four failed, two kept in memory, the two oldest set aside on disk (nothing dropped).
    expect(batcher.retained()).toBe(2);
    listed = await dead.list();
    expect(listed.total).toBe(3);
    expect(listed.items.filter((i) => i.reason.startsWith('not stored after 1 tries: database busy'))).toHaveLength(2);
    mode = 'ok';
    await time.advance(5000);
    await batcher.flush();
    expect(got).toHaveLength(2);
    expect(batcher.retained()).toBe(0);
    expect(batcher.stats()).toMatchObject({ deadLettered: 3, dropped: 0 });
  });

  it('sets aside at stop what still cannot be stored', async () => {
    const time = new ManualTime(T0);
    const dead = await openDeadLetterFolder(await tempDir(), time);
    const sink = createInProcessSink(() => { throw new Error('database gone'); });
    const batcher = createBatcher({ collectorId: 'c1', sink, maxDelayMs: 10, deadLetters: dead, clock: time, timers: time });
    batcher.add(failure('a', 1), []);
    await time.advance(10);
    await batcher.flush();
    await batcher.close({ deadLetterRest: true });
    expect((await dead.list()).items.map((i) => i.reason)).toEqual([expect.stringMatching(/^not stored before stop after 2 tries: database gone/)]);
    expect(batcher.size()).toBe(0);
  });
});
