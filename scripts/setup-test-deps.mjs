#!/usr/bin/env node
// Runs before `npm test`: makes sure the real peers the tests talk to are here - Debian's snmpd, Chromium, GLPK,
// FreeRADIUS's client tools (radclient, radtest),
// PostGIS for the local Postgres - and that Postgres on 127.0.0.1:5432 is up. Installs what is missing when it can
// (root with apt-get), otherwise stops with a message saying exactly what to install.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';

const log = (m) => process.stdout.write(`[setup] ${m}\n`);
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

function pgVersions() {
  try {
    return readdirSync('/etc/postgresql').filter((v) => /^\d+$/.test(v));
  } catch {
    return [];
  }
}

function postgisInstalled() {
  return readdirSync('/usr/share/postgresql', { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .some((d) => existsSync(`/usr/share/postgresql/${d.name}/extension/postgis.control`));
}

const needed = [];
if (!has('snmpd')) needed.push('snmpd');
if (!has('snmpget')) needed.push('snmp');
if (!has('chromium') && !existsSync('/usr/bin/chromium')) needed.push('chromium');
if (!has('glpsol')) needed.push('glpk-utils');
if (!has('zbarimg')) needed.push('zbar-tools');
// RADIUS tests (issue 16): FreeRADIUS's client tools play the NAS.
if (!has('radclient') || !has('radtest')) needed.push('freeradius-utils');
// Issue 15: poppler's pdftotext and pdftoppm read the monthly report; Debian's Python with openpyxl reads the XLSX
// export and rdflib parses the DCAT catalogue as JSON-LD (independent readers of what we write).
if (!has('pdftotext') || !has('pdftoppm')) needed.push('poppler-utils');
const debPy = (mod) => existsSync('/usr/bin/python3') && spawnSync('/usr/bin/python3', ['-c', `import ${mod}`], { stdio: 'ignore' }).status === 0;
if (!debPy('openpyxl')) needed.push('python3-openpyxl');
if (!debPy('rdflib')) needed.push('python3-rdflib');
const versions = pgVersions();
if (versions.length > 0 && existsSync('/usr/share/postgresql') && !postgisInstalled()) needed.push(`postgresql-${versions.at(-1)}-postgis-3`);

if (needed.length > 0) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !has('apt-get')) {
    log(`missing system packages: ${needed.join(' ')}`);
    log(`install them first, e.g.: sudo apt-get install -y ${needed.join(' ')}`);
    process.exit(1);
  }
  log(`installing ${needed.join(' ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Several checkouts may run their tests at once on one machine: wait for another install's dpkg lock instead of
  // failing on it.
  const wait = ['-o', 'DPkg::Lock::Timeout=600'];
  execFileSync('apt-get', [...wait, 'update', '-q'], { stdio: 'inherit', env });
  execFileSync('apt-get', [...wait, 'install', '-y', '-q', '--no-install-recommends', ...needed], { stdio: 'inherit', env });
}

function portOpen(port) {
  return new Promise((ok) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      ok(true);
    });
    s.once('error', () => ok(false));
    s.setTimeout(1000, () => {
      s.destroy();
      ok(false);
    });
  });
}

if (!(await portOpen(5432))) {
  const v = versions.at(-1);
  if (v !== undefined && has('pg_ctlcluster')) {
    log(`starting PostgreSQL ${v}`);
    spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', v, 'main', 'start'], { stdio: 'inherit' });
  }
  if (!(await portOpen(5432))) {
    log('PostgreSQL is not listening on 127.0.0.1:5432; the database tests need it (trust auth, database "test")');
    process.exit(1);
  }
}
// Tests that compare with PostGIS need the extension in the test database; creating it here, once, before any test
// runs, keeps them independent of which test file happens to run first.
{
  const { default: pg } = await import('pg');
  const url = process.env.JANGKAU_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query('CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public');
  } catch (e) {
    log(`could not create the postgis extension in the test database: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  } finally {
    await client.end().catch(() => undefined);
  }
}
log('system peers ready: snmpd, chromium, glpsol, zbarimg, radclient, poppler, openpyxl, rdflib, postgis, postgres');
