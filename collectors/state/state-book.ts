/** A mutable holder of every device's state for a running collector; the rules stay in the pure step. */
import type { StateEvent } from '../../core/ingest.ts';
import type { PollResult } from '../../core/observations.ts';
import { DEFAULT_STATE_CONFIG, initialDeviceState, stepDeviceState } from './step.ts';
import type { DeviceState, StateConfig } from './step.ts';

export interface StateBook {
  /** Steps the device's state with one poll result and returns the events it caused. */
  apply(result: PollResult): StateEvent[];
  get(deviceId: string): DeviceState | undefined;
  /** Restores a state saved earlier (e.g. loaded by the server at start), so an open incident stays open. */
  set(state: DeviceState): void;
  remove(deviceId: string): void;
  all(): DeviceState[];
}

export function createStateBook(options: { config?: StateConfig; configOf?: (deviceId: string) => StateConfig } = {}): StateBook {
  const states = new Map<string, DeviceState>();
  const configOf = options.configOf ?? ((): StateConfig => options.config ?? DEFAULT_STATE_CONFIG);
  return {
    apply(result: PollResult): StateEvent[] {
      const before = states.get(result.deviceId) ?? initialDeviceState(result.deviceId);
      const { state, events } = stepDeviceState(before, result, configOf(result.deviceId));
      states.set(result.deviceId, state);
      return events;
    },
    get: (deviceId: string): DeviceState | undefined => states.get(deviceId),
    set(state: DeviceState): void {
      states.set(state.deviceId, state);
    },
    remove(deviceId: string): void {
      states.delete(deviceId);
    },
    all: (): DeviceState[] => [...states.values()],
  };
}
