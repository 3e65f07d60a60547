// The worker thread that draws monthly-report PDFs for pdf-thread.ts, so pdfkit's synchronous drawing (a few hundred
// milliseconds of CPU per report) never holds the server's event loop. Plain JavaScript: it loads the TypeScript
// renderer itself, through the tsx loader the server already runs on when the thread did not inherit it.
import { parentPort } from 'node:worker_threads';

async function loadRenderer() {
  try {
    return await import('./monthly-pdf-node.ts');
  } catch (error) {
    if (error?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
    const { register } = await import('tsx/esm/api');
    register();
    // Another specifier than the failed one: the module map remembers that failure.
    return await import('./monthly-pdf-node.ts?loader=tsx');
  }
}

const ready = loadRenderer();
ready.then(
  () => parentPort.postMessage({ ready: true }),
  (error) => parentPort.postMessage({ ready: false, error: String(error?.message ?? error) }),
);

parentPort.on('message', async ({ id, model }) => {
  try {
    const { renderMonthlyReport } = await ready;
    const bytes = await renderMonthlyReport(model);
    parentPort.postMessage({ id, bytes }, [bytes.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String(error?.message ?? error) });
  }
});
