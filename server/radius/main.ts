/**
 * `npm run radius`: the RADIUS server as its own process, e.g. on the hotspot network next to a standalone
 * collector. It uses the same database (DATABASE_URL: Postgres, or the server's SQLite file on the same machine)
 * and the same JANGKAU_SECRET_KEY as the server (NAS secrets are sealed with it). Figures, Disconnect/CoA requests
 * and sessions go through the database, so the console shows them whichever process runs the sockets.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../../core/time.ts';
import { parseNodeEnv } from '../config.ts';
import { createSecretBox, parseSecretKey } from '../crypto/secret-box.ts';
import { openDatabase, openPostgres } from '../db/connect-node.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createLogger } from '../log.ts';
import { systemServiceCtx } from '../service-ctx.ts';
import { startRadius } from './runtime.ts';

async function main(): Promise<void> {
  const env = parseNodeEnv(process.env);
  const log = createLogger({ quiet: env.LOG_QUIET === true });
  const keyFile = join(env.JANGKAU_DATA_DIR, 'secret.key');
  const keyText = env.JANGKAU_SECRET_KEY ?? (existsSync(keyFile) ? readFileSync(keyFile, 'utf8') : undefined);
  if (keyText === undefined) throw new Error('set JANGKAU_SECRET_KEY to the server\'s key (NAS secrets are sealed with it)');
  // As many Postgres connections as requests decided at once matter here (FreeRADIUS's rlm_sql keeps up to 32).
  const handle = /^postgres(ql)?:\/\//.test(env.DATABASE_URL) ? openPostgres(env.DATABASE_URL, { max: 32 }) : openDatabase(env.DATABASE_URL);
  await migrateToLatest(handle.db, handle.dialect);
  const deps = {
    clock: systemClock,
    secrets: await createSecretBox(parseSecretKey(keyText)),
    log,
    config: { trustedOrigins: [], cookieSecure: null, sessionDays: env.JANGKAU_SESSION_DAYS, maxBodyBytes: 1024 * 1024 },
  };
  const radius = await startRadius(systemServiceCtx(deps, handle, { requestId: 'radius' }), {
    host: env.JANGKAU_RADIUS_HOST,
    authPort: env.JANGKAU_RADIUS_AUTH_PORT,
    acctPort: env.JANGKAU_RADIUS_ACCT_PORT,
  });
  process.stdout.write(`RADIUS listening on ${env.JANGKAU_RADIUS_HOST} auth ${radius.authPort} acct ${radius.acctPort}\n`);
  const stop = (): void => {
    radius
      .stop()
      .then(() => handle.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`Jangkau RADIUS could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
