import { readFileSync } from 'node:fs';
import { repairWardGeometry } from './geo/wards/repair-ward-geometry.ts';
import { ellipsoidalAreaM2 } from './geo/wards/ward-area.ts';
const fc = JSON.parse(readFileSync('../shared/data/banten-desa.geojson', 'utf8'));
const f = fc.features.find((x: any) => x.properties.kode === '36.73.05.1005');
const r = repairWardGeometry(f.geometry);
console.log(JSON.stringify(r.ok ? { ok: true, repair: r.repair, type: r.geometry.type } : r, null, 1));
// spike test
const sq = { type: 'Polygon', coordinates: [[[106, -6], [106.01, -6], [106.01, -5.99], [106.005, -5.99], [106.005, -5.98999910], [106.0049999, -5.99], [106, -5.99], [106, -6]]] } as any;
console.log(JSON.stringify(repairWardGeometry(sq)));
const bow = { type: 'Polygon', coordinates: [[[106, -6], [106.01, -5.99], [106.01, -6], [106, -5.99], [106, -6]]] } as any;
console.log(JSON.stringify(repairWardGeometry(bow)));
console.log(ellipsoidalAreaM2(f.geometry));
