/**
 * Saves and restores a collector's device states (one JSON file, written to a temp file, fsync'd and renamed), so a
 * restarted collector keeps its open incidents and damping counts instead of starting from 'unknown'.
 */
import { open, readFile, rename } from 'node:fs/promises';
import type { DeviceState } from './step.ts';

export async function saveStates(file: string, states: readonly DeviceState[]): Promise<void> {
  const tmp = `${file}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(JSON.stringify({ version: 1, states }), 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}

/** The saved states, or [] when the file is absent or unreadable (a fresh start is safe, only less informed). */
export async function loadStates(file: string): Promise<DeviceState[]> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as { version?: number; states?: unknown };
    if (value.version !== 1 || !Array.isArray(value.states)) return [];
    return value.states.filter((s): s is DeviceState => typeof s === 'object' && s !== null && typeof (s as DeviceState).deviceId === 'string' && typeof (s as DeviceState).status === 'string');
  } catch {
    return [];
  }
}
