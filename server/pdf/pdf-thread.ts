/**
 * The Node server's PdfMaker: draws each monthly report on a worker thread (pdf-worker.mjs), so a report made by the
 * job runner or asked for by the mayor's office does not stall sign-ins, /healthz and polling on the event loop
 * (pdfkit draws synchronously: about 200 ms of CPU per report, 420-750 ms of stalled loop on a loaded machine, issue 10).
 * One thread, started on first use and kept; reports are drawn one after another. When the thread cannot start or
 * dies, reports are drawn in-process as before and the reason is logged once: a report is never lost to the thread.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from '../log.ts';
import type { MonthlyReportModel } from '../services/monthly-report/report-model.ts';
import { renderMonthlyReport } from './monthly-pdf-node.ts';
import type { PdfMaker } from './pdf-maker.ts';

interface Pending {
  resolve(bytes: Uint8Array<ArrayBuffer>): void;
  reject(error: Error): void;
}

export interface ThreadedPdfMaker extends PdfMaker {
  /** Where the last report was drawn ('thread' or 'in-process'): for tests and the log. */
  lastDrawnOn(): 'thread' | 'in-process' | null;
  close(): Promise<void>;
}

export function createThreadedPdfMaker(log?: Pick<Logger, 'warn'>, options: { workerUrl?: URL } = {}): ThreadedPdfMaker {
  let worker: Worker | null = null;
  let ready: Promise<boolean> | null = null;
  let broken = false;
  let nextId = 1;
  let drawnOn: 'thread' | 'in-process' | null = null;
  const pending = new Map<number, Pending>();

  const giveUp = (why: string): void => {
    if (!broken) log?.warn('monthly report PDFs are drawn on the event loop: the drawing thread is unavailable', { reason: why });
    broken = true;
    for (const p of pending.values()) p.reject(new Error(`PDF thread stopped: ${why}`));
    pending.clear();
    const w = worker;
    worker = null;
    void w?.terminate();
  };

  const start = (): Promise<boolean> => {
    if (ready !== null) return ready;
    ready = new Promise<boolean>((resolve) => {
      let w: Worker;
      try {
        w = new Worker(options.workerUrl ?? new URL('./pdf-worker.mjs', import.meta.url));
      } catch (error) {
        giveUp(error instanceof Error ? error.message : String(error));
        return resolve(false);
      }
      worker = w;
      w.unref();
      w.on('message', (msg: { ready?: boolean; error?: string; id?: number; bytes?: Uint8Array<ArrayBuffer> }) => {
        if (msg.ready !== undefined) {
          if (!msg.ready) giveUp(msg.error ?? 'renderer did not load');
          return resolve(msg.ready);
        }
        const p = msg.id === undefined ? undefined : pending.get(msg.id);
        if (p === undefined) return;
        pending.delete(msg.id!);
        if (msg.bytes !== undefined) p.resolve(msg.bytes);
        else p.reject(new Error(msg.error ?? 'PDF thread failed'));
      });
      w.on('error', (error) => {
        giveUp(error.message);
        resolve(false);
      });
      w.on('exit', (code) => {
        if (worker === w) giveUp(`exited with code ${code}`);
        resolve(false);
      });
    });
    return ready;
  };

  const inProcess = (model: MonthlyReportModel): Promise<Uint8Array<ArrayBuffer>> => {
    drawnOn = 'in-process';
    return renderMonthlyReport(model);
  };

  return {
    async monthlyReport(model) {
      if (broken || !(await start()) || worker === null) return inProcess(model);
      const w = worker;
      const id = nextId++;
      try {
        const bytes = await new Promise<Uint8Array<ArrayBuffer>>((resolve, reject) => {
          pending.set(id, { resolve, reject });
          w.ref();
          w.postMessage({ id, model });
        }).finally(() => {
          if (pending.size === 0) w.unref();
        });
        drawnOn = 'thread';
        return new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
      } catch (error) {
        // A drawing error in the thread is the renderer's own (it would fail in-process too): said as it is. A thread
        // that died meanwhile is not the report's fault: draw it here.
        if (broken) return inProcess(model);
        throw error;
      }
    },
    lastDrawnOn: () => drawnOn,
    async close() {
      const w = worker;
      worker = null;
      broken = true;
      await w?.terminate();
    },
  };
}
