import { Migrator, type Kysely } from 'kysely';
import { AppError } from '../../core/errors.ts';
import { migrationProvider } from './migrations/index.ts';

/** Brings the schema to the newest migration. Safe to call on every start; a failure names the migration. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    throw new AppError('internal', `database migration ${failed?.migrationName ?? ''} failed: ${String((error as Error | undefined)?.message ?? error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
