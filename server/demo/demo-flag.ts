/**
 * Which open database is the demo's, and what the demo says about itself. Keyed by the database object (not a
 * process-wide flag), so two servers in one process - tests - each answer for their own database; a database
 * nobody marked (every real one, every Worker request) is not a demo.
 */
import type { DemoInfo } from '../../core/schemas/demo.ts';

const marks = new WeakMap<object, DemoInfo>();

export function markDemoDatabase(db: object, info: DemoInfo): void {
  marks.set(db, info);
}

export function demoInfoOf(db: object): DemoInfo {
  return marks.get(db) ?? { enabled: false };
}
