/** Makes sure web/dist is current before a browser test (a fast no-op when nothing changed). */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/shared-data.ts';

export function ensureWebBuild(): void {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'ensure-web-build.mjs'), '--strict'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building web/dist failed:\n${r.stdout}\n${r.stderr}`);
}
