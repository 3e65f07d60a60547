export { stepDeviceState, initialDeviceState, incidentIdOf, DEFAULT_STATE_CONFIG } from './step.ts';
export type { DeviceState, StateConfig, StepResult, OpenIncident } from './step.ts';
export { isReboot, UPTIME_WRAP_S } from '../../core/samples/reboot.ts';
export { createStateBook } from './state-book.ts';
export type { StateBook } from './state-book.ts';
export { saveStates, loadStates } from './state-file.ts';
