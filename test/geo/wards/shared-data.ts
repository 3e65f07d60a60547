/** Reads files from the project's shared data folder (a sibling of the repo), failing clearly when absent. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const sharedDataDir = path.resolve(repoRoot, '../shared/data');

export function readSharedData(name: string): string {
  const file = path.join(sharedDataDir, name);
  if (!existsSync(file)) {
    throw new Error(`Shared data file ${name} not found in ${sharedDataDir}: check out the repo next to shared/ (see shared/data/SOURCES.md)`);
  }
  return readFileSync(file, 'utf8');
}

export const CILEGON_PROPS = { codeProp: 'kode', nameProp: 'nama', districtProp: 'kecamatan' } as const;
