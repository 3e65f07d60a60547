export type { Sink } from './sink.ts';
export { createInProcessSink } from './in-process-sink.ts';
export { createHttpSink, encodeBatchBodies } from './http-sink.ts';
export type { HttpSink, HttpSinkOptions, HttpSinkStats } from './http-sink.ts';
export { openOutbox } from './outbox.ts';
export type { Outbox, OutboxEntry } from './outbox.ts';
export { createBatcher, randomBatchSuffix } from './batcher.ts';
export type { Batcher } from './batcher.ts';
