import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Shared data sits beside the checkout (../shared/data), on developer machines and in CI alike. */
export const SHARED_DATA = process.env.JANGKAU_SHARED_DATA ?? resolve(REPO_ROOT, '../shared/data');

export function sharedDataPath(name: string): string {
  const p = join(SHARED_DATA, name);
  if (!existsSync(p)) {
    throw new Error(
      `test data ${name} is missing: expected the shared data folder at ${SHARED_DATA} (a sibling "shared/data" of the checkout, ` +
        `or set JANGKAU_SHARED_DATA). It holds the Cilegon wards and the SNMP recordings the tests use.`,
    );
  }
  return p;
}

export function readSharedData(name: string): string {
  return readFileSync(sharedDataPath(name), 'utf8');
}
