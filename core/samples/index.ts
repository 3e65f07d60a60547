export { counterDelta, rateSample, clientCount, createRateTracker } from './rates.ts';
export type { CounterDelta, InterfaceRate, RateSample, RateTracker } from './rates.ts';
export { rollUp, rowOfSample, FIVE_MIN_MS, HOUR_MS, DAY_MS } from './rollup.ts';
export type { RollupRow } from './rollup.ts';
export { estimateStorage, DEFAULT_RETENTION } from './retention.ts';
export type { RetentionSetting, StorageEstimate } from './retention.ts';
export { isReboot, UPTIME_WRAP_S } from './reboot.ts';
