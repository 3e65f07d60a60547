import { openSqlite } from './server/db/connect-node.ts';
import { migrateToLatest } from './server/db/migrate.ts';
import { makeTestApp } from './test/helpers/app.ts';
import { readSharedData } from './test/helpers/shared-data.ts';
import { cityPoints } from './test/server/planning-seed.ts';
const h = openSqlite(':memory:'); await migrateToLatest(h.db, 'sqlite');
const t = await makeTestApp(h);
const admin = await t.signIn('admin');
await t.call('POST', '/api/v1/wards/import?codeProp=kode&nameProp=nama&districtProp=kecamatan', { as: admin, body: readSharedData('cilegon-kelurahan.geojson'), contentType: 'application/geo+json' });
await t.call('POST', '/api/v1/wards/residents?by=district&keyColumn=kecamatan&valueColumn=population_2025s1', { as: admin, body: readSharedData('cilegon-kecamatan-population.csv'), contentType: 'text/csv' });
const pts = cityPoints(60, Number(process.argv[2] ?? 606));
for (const [i, p] of pts.entries()) {
  const site = await (await t.call('POST', '/api/v1/sites', { as: admin, json: { name: `S${i}`, lat: p.lat, lon: p.lon } })).json() as any;
  await t.call('POST', '/api/v1/devices', { as: admin, json: { siteId: site.id, name: `AP${i}`, role: 'ap', address: `127.0.0.${i + 1}` } });
}
const run = async (gen: object, label: string) => {
  let t0 = performance.now();
  const g = await (await t.call('POST', '/api/v1/candidates/generate', { as: admin, json: gen })).json() as any;
  const genMs = performance.now() - t0;
  t0 = performance.now();
  const res = await t.call('POST', '/api/v1/plans', { as: admin, json: { name: label, budget: { count: 30 } } });
  const p = await res.json() as any;
  if (res.status !== 201) console.log(p);
  console.log(label, 'cands', g.created, 'gaps', g.gapsUsed, '/', g.totalGaps, 'gen ms', genMs.toFixed(0), 'plan ms', (performance.now() - t0).toFixed(0), 'new', p.newResidents, 'bound', p.upperBound, 'gap%', p.gapPct, 'denser', JSON.stringify(p.denserCandidates), 'unverified', JSON.stringify(p.devices));
  return p.newResidents;
};
const a = await run({}, 'default');
const b = await run({ maxPoints: 5000 }, 'max5000');
console.log('ratio', (a / b).toFixed(4));
