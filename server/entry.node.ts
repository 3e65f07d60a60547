/** `npm start`: the Node server on http://127.0.0.1:8080 (PORT to change) with embedded SQLite under ./data/. */
import { startNodeServer } from './start-node.ts';

startNodeServer(process.argv.slice(2), process.env).then(
  (running) => {
    const stop = (): void => {
      running.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  },
  (err: unknown) => {
    process.stderr.write(`Jangkau could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
