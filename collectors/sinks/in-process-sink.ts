/** The sink used when the collector runs inside the server (`npm start`): hands each batch to an injected function. */
import type { IngestBatch } from '../../core/ingest.ts';
import type { Sink } from './sink.ts';

export function createInProcessSink(ingest: (batch: IngestBatch) => Promise<unknown> | unknown): Sink {
  let closed = false;
  return {
    async deliver(batch: IngestBatch): Promise<void> {
      if (closed) throw new Error('sink closed');
      await ingest(batch);
    },
    async close(): Promise<void> {
      closed = true;
    },
  };
}
