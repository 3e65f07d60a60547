import type { IngestBatch } from '../../core/ingest.ts';

/** Where batches of poll results and state events go. `deliver` resolves once the batch is safe (stored or durable). */
export interface Sink {
  deliver(batch: IngestBatch): Promise<void>;
  close(): Promise<void>;
}
