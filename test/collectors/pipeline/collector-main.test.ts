/**
 * The standalone collector end to end: `collectors/main.ts --config <file>` as a child process, polling a real
 * Debian snmpd on loopback (up) and a port where nothing listens (down: `unreachable` since issue 11), posting to a real local ingest receiver.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCollectorConfig, parseCollectorConfig } from '../../../collectors/config.ts';
import { createPoller } from '../../../collectors/poller.ts';
import type { DeviceTarget, PollResult } from '../../../core/observations.ts';
import { startIngestServer } from './ingest-server.ts';
import { freeUdpPort } from '../../peers/snmp/shared-data.ts';
import type { IngestServer } from './ingest-server.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const TOKEN = 'collector-token-0123456789';

function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const end = Date.now() + timeoutMs;
    const t = setInterval(() => {
      if (check()) {
        clearInterval(t);
        resolve();
      } else if (Date.now() > end) {
        clearInterval(t);
        reject(new Error(`timed out waiting for ${what}`));
      }
    }, 25);
  });
}

describe('collector config', () => {
  it('reads collector.example.json with the token from the environment, and refuses a config without a token', async () => {
    const c = await loadCollectorConfig(path.join(repoRoot, 'collector.example.json'), { JANGKAU_COLLECTOR_TOKEN: TOKEN });
    expect(c.token).toBe(TOKEN);
    expect(c.targets).toEqual({ source: 'server', refreshS: 300 });
    expect(path.isAbsolute(c.outboxDir)).toBe(true);
    expect(() => parseCollectorConfig({ collectorId: 'x', serverUrl: 'http://127.0.0.1:1', outboxDir: 'o', targets: { source: 'server' } }, { baseDir: '/', env: {} })).toThrow(/token/);
    expect(() => parseCollectorConfig({ collectorId: 'x', serverUrl: 'nope', token: TOKEN, outboxDir: 'o', targets: { source: 'file', devices: [] } }, { baseDir: '/', env: {} })).toThrow(/serverUrl/);
  });
});

describe('createPoller', () => {
  const base: DeviceTarget = { deviceId: 'r1', address: '127.0.0.1', vendor: 'mikrotik', pollIntervalS: 60, snmp: { community: 'public', port: 161, version: '2c' }, routeros: { username: 'api', password: 'pw', port: 8728, tls: false } };
  const fail = (t: DeviceTarget): Promise<PollResult> => Promise.resolve({ ok: false, deviceId: t.deviceId, startedAtMs: 1, durationMs: 1, error: { kind: 'refused', message: 'api refused' } });
  const good = (t: DeviceTarget): Promise<PollResult> => Promise.resolve({ ok: true, deviceId: t.deviceId, startedAtMs: 1, durationMs: 1, system: { uptimeS: 1, descr: null, objectId: null, name: null, version: null, cpuLoadPct: null, memFreeBytes: null }, interfaces: [], ssids: [], stations: [], hotspotActive: [], clients: null });

  it('prefers the RouterOS API, falls back to SNMP, and reports a device it cannot reach as config', async () => {
    const signal = new AbortController().signal;
    expect((await createPoller({ routeros: good, snmp: fail })(base, signal)).ok).toBe(true);
    expect((await createPoller({ routeros: fail, snmp: good })(base, signal)).ok).toBe(true);
    const both = await createPoller({ routeros: fail, snmp: fail })(base, signal);
    expect(!both.ok && both.error.message).toBe('api refused');
    const none = await createPoller({ snmp: good })({ ...base, snmp: null }, signal);
    expect(!none.ok && none.error.kind).toBe('config');
    const throwing = await createPoller({ snmp: () => { throw new Error('bug'); } })({ ...base, routeros: null }, signal);
    expect(!throwing.ok && throwing.error.kind).toBe('internal');
  });

  it('answers at once when aborted', async () => {
    const c = new AbortController();
    const p = createPoller({ snmp: () => new Promise(() => {}) })({ ...base, routeros: null }, c.signal);
    c.abort();
    const r = await p;
    expect(!r.ok && r.error.message).toBe('poll aborted');
  });
});

describe('standalone collector process', () => {
  let dir = '';
  let snmpd: ChildProcess | null = null;
  let srv: IngestServer;
  let snmpPort = 0;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'jangkau-collector-'));
    snmpPort = await freeUdpPort();
    await writeFile(path.join(dir, 'snmpd.conf'), 'rocommunity public 127.0.0.1\n');
    snmpd = spawn('snmpd', ['-f', '-Lo', '-C', '-c', path.join(dir, 'snmpd.conf'), '-M', '/dev/null', '-m', '', `udp:127.0.0.1:${snmpPort}`], { stdio: 'ignore' });
    srv = await startIngestServer({ token: TOKEN });
  });
  afterAll(async () => {
    snmpd?.kill('SIGTERM');
    await srv?.close();
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('polls, damps, opens an incident, posts batches and stops cleanly on SIGTERM', async () => {
    const silentPort = await freeUdpPort();
    const config = {
      collectorId: 'test-collector',
      serverUrl: srv.url,
      token: TOKEN,
      outboxDir: './outbox',
      targets: {
        source: 'file',
        devices: [
          { deviceId: 'snmpd', address: '127.0.0.1', vendor: 'generic', pollIntervalS: 1, snmp: { community: 'public', port: snmpPort } },
          { deviceId: 'silent', address: '127.0.0.1', vendor: 'generic', pollIntervalS: 1, snmp: { community: 'public', port: silentPort } },
        ],
      },
      snmp: { timeoutMs: 200, retries: 0, maxInFlight: 16 },
      batch: { maxItems: 100, maxDelayMs: 300 },
    };
    const file = path.join(dir, 'collector.json');
    await writeFile(file, JSON.stringify(config));
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'collectors/main.ts'), '--config', file], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr!.on('data', (d: Buffer) => { log += d.toString('utf8'); });
    try {
      await waitFor(() => srv.itemCounts.size >= 8 && srv.events.some((e) => e.type === 'incident_opened'), 20_000, 'polls and an incident');
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    expect(log).not.toContain(TOKEN);
    expect(log).toContain('collector stopped');
    const keys = [...srv.itemCounts.keys()];
    expect(keys.some((k) => k.startsWith('snmpd@'))).toBe(true);
    expect(keys.some((k) => k.startsWith('silent@'))).toBe(true);
    expect([...srv.itemCounts.values()].every((n) => n === 1)).toBe(true);
    expect((await readdir(path.join(dir, 'outbox'))).filter((n) => n.endsWith('.json'))).toEqual([]);
    const up = srv.events.find((e) => e.type === 'status_changed' && e.deviceId === 'snmpd');
    expect(up).toMatchObject({ from: 'unknown', to: 'up' });
    const firstSilent = srv.items.filter((i) => i.deviceId === 'silent').sort((a, b) => a.startedAtMs - b.startedAtMs)[0]!;
    expect(firstSilent.ok).toBe(false);
    expect(!firstSilent.ok && firstSilent.error.kind).toBe('unreachable');
    const incident = srv.events.find((e) => e.type === 'incident_opened');
    expect(incident).toMatchObject({ deviceId: 'silent', startedAtMs: firstSilent.startedAtMs, cause: { kind: 'unreachable' } });
    const snmpdPoll = srv.items.find((i) => i.deviceId === 'snmpd' && i.ok);
    expect(snmpdPoll?.ok && snmpdPoll.system.uptimeS !== null).toBe(true);
    const saved = JSON.parse(await readFile(path.join(dir, 'outbox.state.json'), 'utf8')) as { states: Array<{ deviceId: string; status: string; openIncident: unknown }> };
    const byId = new Map(saved.states.map((s) => [s.deviceId, s]));
    expect(byId.get('snmpd')?.status).toBe('up');
    expect(byId.get('silent')?.status).toBe('down');
    expect(byId.get('silent')?.openIncident).not.toBeNull();
  }, 40_000);
});

describe('collector restart', () => {
  it('keeps an open incident across a restart and closes it with the same id', async () => {
    const { startCollector } = await import('../../../collectors/main.ts');
    const dir = await mkdtemp(path.join(tmpdir(), 'jangkau-restart-'));
    const srv = await startIngestServer({ token: TOKEN });
    try {
      const config = parseCollectorConfig(
        {
          collectorId: 'restart', serverUrl: srv.url, token: TOKEN, outboxDir: 'outbox',
          targets: { source: 'file', devices: [{ deviceId: 'ap', address: '127.0.0.1', pollIntervalS: 1, snmp: { community: 'public' } }] },
          batch: { maxItems: 10, maxDelayMs: 50 },
        },
        { baseDir: dir, env: {} },
      );
      const quiet = (): void => {};
      const down = (t: DeviceTarget): Promise<PollResult> => Promise.resolve({ ok: false, deviceId: t.deviceId, startedAtMs: Date.now(), durationMs: 1, error: { kind: 'timeout', message: 'silent' } });
      const up = (t: DeviceTarget): Promise<PollResult> => Promise.resolve({ ok: true, deviceId: t.deviceId, startedAtMs: Date.now(), durationMs: 1, system: { uptimeS: 5, descr: null, objectId: null, name: null, version: null, cpuLoadPct: null, memFreeBytes: null }, interfaces: [], ssids: [], stations: [], hotspotActive: [], clients: 0 });
      const first = await startCollector(config, { poll: down, log: quiet });
      await waitFor(() => srv.events.some((e) => e.type === 'incident_opened'), 10_000, 'incident opened');
      await first.stop({ pollDeadlineMs: 100, drainMs: 2000 });
      const second = await startCollector(config, { poll: up, log: quiet });
      await waitFor(() => srv.events.some((e) => e.type === 'incident_closed'), 10_000, 'incident closed');
      await second.stop({ pollDeadlineMs: 100, drainMs: 2000 });
      const opened = srv.events.find((e) => e.type === 'incident_opened');
      const closed = srv.events.find((e) => e.type === 'incident_closed');
      expect(opened?.type === 'incident_opened' && closed?.type === 'incident_closed' && closed.incidentId === opened.incidentId).toBe(true);
      expect(srv.events.filter((e) => e.type === 'incident_opened')).toHaveLength(1);
      expect(srv.events.filter((e) => e.type === 'status_changed').map((e) => e.type === 'status_changed' && e.to)).toEqual(['down', 'up']);
    } finally {
      await srv.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
