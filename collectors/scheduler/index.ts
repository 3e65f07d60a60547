export { createScheduler } from './scheduler.ts';
export type { Scheduler, SchedulerOptions, SchedulerStats, DeviceScheduleStats, StopOutcome, PollFn } from './scheduler.ts';
export { systemTimers, sleepMs } from './timers.ts';
export type { Timers } from './timers.ts';
export { phaseMs, nextSlotMs, hash32 } from './jitter.ts';
