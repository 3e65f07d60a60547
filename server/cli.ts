/**
 * `npm run jangkau -- <command>`: the operator's tools, working on the same database as `npm start` (DATABASE_URL).
 *   import-wards FILE [--code-prop kode] [--name-prop nama] [--district-prop kecamatan] [--district-code-prop kode_kecamatan --city-code-prop kode_kota --city-prop kota --province-prop provinsi] [--repair] [--repair-tolerance-pct 0.1]
 *   import-residents FILE --by ward|district --key-column COL --value-column COL
 *   create-user EMAIL --role admin|engineer|planner|viewer   (password read from JANGKAU_NEW_PASSWORD or generated)
 *   migrate
 */
import { readFileSync } from 'node:fs';
import { isRole } from '../core/roles.ts';
import { systemClock } from '../core/time.ts';
import { isAppError } from '../core/errors.ts';
import { parseNodeEnv } from './config.ts';
import { createSecretBox } from './crypto/secret-box.ts';
import { newSecretToken } from './crypto/random.ts';
import { openDatabase } from './db/connect-node.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { ServiceCtx } from './deps.ts';
import { systemServiceCtx } from './service-ctx.ts';
import { createLogger } from './log.ts';
import { importResidents } from './services/wards/import-residents.ts';
import { importWards } from './services/wards/import-wards.ts';
import { createUser } from './services/users/manage-users.ts';

/** Flags that take no value. */
const BOOLEAN_FLAGS = new Set(['repair']);

function flags(args: string[]): { positional: string[]; opts: Record<string, string> } {
  const positional: string[] = [];
  const opts: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const [k, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
      if (BOOLEAN_FLAGS.has(k)) opts[k] = inline ?? 'true';
      else opts[k] = inline ?? args[++i] ?? '';
    } else positional.push(a);
  }
  return { positional, opts };
}

const USAGE = `usage: npm run jangkau -- <command>
  import-wards FILE [--code-prop kode] [--name-prop nama] [--district-prop kecamatan] [--district-code-prop kode_kecamatan --city-code-prop kode_kota --city-prop kota --province-prop provinsi] [--repair] [--repair-tolerance-pct 0.1]
  import-residents FILE --by ward|district --key-column COL --value-column COL
  create-user EMAIL --role admin|engineer|planner|viewer
  migrate`;

export async function runCli(argv: string[], env: Record<string, string | undefined>, out: (line: string) => void): Promise<number> {
  const [command, ...rest] = argv;
  const { positional, opts } = flags(rest);
  if (command === undefined || command === 'help' || command === '--help') {
    out(USAGE);
    return command === undefined ? 2 : 0;
  }
  const cfg = parseNodeEnv(env);
  const handle = openDatabase(cfg.DATABASE_URL);
  try {
    await migrateToLatest(handle.db, handle.dialect);
    // The CLI never opens sealed secrets; a throwaway key keeps the type honest.
    const ctx: ServiceCtx = systemServiceCtx(
      {
        clock: systemClock,
        secrets: await createSecretBox(new Uint8Array(32)),
        config: { trustedOrigins: [], cookieSecure: null, sessionDays: 30, maxBodyBytes: 0 },
        log: createLogger({ quiet: true }),
      },
      handle,
      { requestId: `cli-${Date.now()}` },
    );
    switch (command) {
      case 'migrate':
        out('database is up to date');
        return 0;
      case 'import-wards': {
        const file = positional[0];
        if (file === undefined) throw new Error('import-wards needs a FILE');
        const tolerance = opts['repair-tolerance-pct'];
        if (tolerance !== undefined && !(Number(tolerance) >= 0 && Number(tolerance) <= 5)) throw new Error('--repair-tolerance-pct must be a number from 0 to 5');
        const r = await importWards(ctx, readFileSync(file, 'utf8'), {
          codeProp: opts['code-prop'] ?? 'code',
          nameProp: opts['name-prop'] ?? 'name',
          districtProp: opts['district-prop'] ?? 'district',
          districtCodeProp: opts['district-code-prop'],
          cityCodeProp: opts['city-code-prop'],
          cityProp: opts['city-prop'],
          provinceProp: opts['province-prop'],
          provinceCodeProp: opts['province-code-prop'],
          repair: opts.repair === 'true',
          ...(tolerance === undefined ? {} : { repairTolerancePct: Number(tolerance) }),
        });
        out(`wards: ${r.created} created, ${r.updated} updated, ${r.total} in all, ${(r.areaM2 / 1e6).toFixed(2)} km2 in this file`);
        if (r.regions.cities > 0) out(`regions: ${r.regions.provinces} province(s), ${r.regions.cities} kabupaten/kota, ${r.regions.districts} kecamatan`);
        for (const rep of r.repairs) {
          out(`repaired features[${rep.feature}] ${rep.code}${rep.name === null ? '' : ` ${rep.name}`}: area ${rep.areaBeforeM2} m2 -> ${rep.areaAfterM2} m2`);
          for (const action of rep.actions) out(`  ${action}`);
        }
        return 0;
      }
      case 'import-residents': {
        const file = positional[0];
        const by = opts.by;
        if (file === undefined || (by !== 'ward' && by !== 'district') || !opts['key-column'] || !opts['value-column']) {
          throw new Error('import-residents needs FILE --by ward|district --key-column COL --value-column COL');
        }
        const r = await importResidents(ctx, readFileSync(file, 'utf8'), { by, keyColumn: opts['key-column'], valueColumn: opts['value-column'] });
        out(`residents: ${r.residents} over ${r.wardsUpdated} wards${r.estimated ? ' (spread by area: an estimate)' : ''}`);
        if (r.wardsWithoutResidents.length > 0) out(`no residents for: ${r.wardsWithoutResidents.join(', ')}`);
        return 0;
      }
      case 'create-user': {
        const email = positional[0];
        const role = opts.role;
        if (email === undefined || !isRole(role)) throw new Error('create-user needs EMAIL --role admin|engineer|planner|viewer');
        const password = env.JANGKAU_NEW_PASSWORD ?? newSecretToken().slice(0, 20);
        await createUser(ctx, { email: email.toLowerCase(), password, role });
        out(`created ${email} (${role}); first-sign-in password: ${env.JANGKAU_NEW_PASSWORD === undefined ? password : '(as given)'}`);
        return 0;
      }
      default:
        out(USAGE);
        return 2;
    }
  } catch (err) {
    if (isAppError(err)) {
      out(`error (${err.code}): ${err.message}`);
      for (const d of err.details?.slice(0, 50) ?? []) out(`  ${d.path}: ${d.message}`);
    } else {
      out(`error: ${(err as Error).message}`);
    }
    return 1;
  } finally {
    await handle.close();
  }
}

const isMain = process.argv[1]?.endsWith('cli.ts') === true;
if (isMain) {
  runCli(process.argv.slice(2), process.env, (l) => process.stdout.write(`${l}\n`)).then((code) => process.exit(code));
}
