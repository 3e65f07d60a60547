/**
 * Why node-routeros is wrapped: the library on its own, in a child process against the fake router, dies of an uncaught
 * exception when RouterOS 7.18+ answers an empty print with `!empty`. The same reply through our wrapper is an empty
 * table (client-faults.test.ts).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeRouter, type FakeRouter } from '../../peers/routeros/fake-router.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
let router: FakeRouter;

beforeAll(async () => {
  router = await startFakeRouter({ host: '127.0.0.6', faults: { emptyReplies: true }, state: { hotspotActive: [] } });
});
afterAll(async () => {
  await router.close();
});

it('plain node-routeros 1.6.9 crashes the process on !empty', async () => {
  const script = `
    const { RouterOSAPI } = require('node-routeros');
    const api = new RouterOSAPI({ host: '${router.host}', port: ${router.port}, user: '${router.username}', password: '${router.password}', timeout: 3 });
    api.connect().then(() => api.write('/ip/hotspot/active/print')).then(() => { console.log('survived'); process.exit(0); }, (e) => { console.log('rejected', e.message); process.exit(0); });
    setTimeout(() => { console.log('hung'); process.exit(0); }, 3000);
  `;
  const outcome = await new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
    execFile(process.execPath, ['-e', script], { cwd: repoRoot, timeout: 10_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : ((err as { code?: number }).code ?? null), stdout, stderr });
    });
  });
  expect(outcome.code).not.toBe(0);
  expect(outcome.stderr).toMatch(/UNKNOWNREPLY|unknown reply|RosException/i);
});
