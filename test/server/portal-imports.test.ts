/**
 * Issue 14 item 9: the captive portal is one module (server/portal/) whose imports point one way:
 * routes -> services -> queries, pages used by routes only, pure helpers usable by every layer.
 * Reads the import statements of the source files; a type-only import carries no behaviour and is allowed from
 * pages and routes to the layers below them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const PORTAL = join(ROOT, 'server', 'portal');

type Layer = 'routes' | 'pages' | 'services' | 'queries' | 'pure';
const LAYERS: Layer[] = ['routes', 'pages', 'services', 'queries', 'pure'];

/** What each layer may import from the portal (values; `import type` additionally reaches `typesFrom`). */
const MAY: Record<Layer, { values: Layer[]; typesFrom: Layer[] }> = {
  routes: { values: ['routes', 'pages', 'services', 'pure'], typesFrom: ['queries'] },
  pages: { values: ['pages', 'pure'], typesFrom: ['services', 'queries'] },
  services: { values: ['services', 'queries', 'pure'], typesFrom: [] },
  queries: { values: ['queries'], typesFrom: [] },
  pure: { values: ['pure'], typesFrom: [] },
};

const walk = (d: string): string[] =>
  readdirSync(d).flatMap((n) => {
    if (n === 'node_modules' || n === 'dist' || n.startsWith('.')) return [];
    const p = join(d, n);
    return statSync(p).isDirectory() ? walk(p) : /\.(ts|tsx)$/.test(n) ? [p] : [];
  });

interface Edge { from: string; to: string; typeOnly: boolean }

/** Every relative import and re-export of a file, with whether it is `import type` / `export type`. */
export function importsOf(file: string, source: string): Edge[] {
  const edges: Edge[] = [];
  const re = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/g;
  for (const m of source.matchAll(re)) {
    edges.push({ from: file, to: normalize(join(dirname(file), m[3]!)), typeOnly: m[2] !== undefined });
  }
  for (const m of source.matchAll(/import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)) {
    edges.push({ from: file, to: normalize(join(dirname(file), m[1]!)), typeOnly: false });
  }
  return edges;
}

function layerOf(file: string): Layer | null {
  const rel = relative(PORTAL, file);
  if (rel.startsWith('..')) return null;
  const top = rel.split(sep)[0] as Layer;
  return LAYERS.includes(top) ? top : null;
}

/** The edges that break the portal's direction; empty when the tree is right. */
export function violations(edges: Edge[]): string[] {
  const bad: string[] = [];
  for (const e of edges) {
    const from = layerOf(e.from);
    const to = layerOf(e.to);
    const name = `${relative(ROOT, e.from)} -> ${relative(ROOT, e.to)}${e.typeOnly ? ' (type)' : ''}`;
    if (from === null) {
      // Outside the module: nothing reaches the portal's pages, and only the route table reaches its routes.
      if (to === 'pages') bad.push(name);
      if (to === 'routes' && relative(ROOT, e.from) !== join('server', 'routes', 'index.ts')) bad.push(name);
      continue;
    }
    if (to === null) continue;
    const rule = MAY[from];
    if (rule.values.includes(to)) continue;
    if (e.typeOnly && rule.typesFrom.includes(to)) continue;
    bad.push(name);
  }
  return bad;
}

describe('the portal module imports one way', () => {
  const files = ['server', 'test', 'bench'].flatMap((d) => walk(join(ROOT, d)));
  const edges = files.flatMap((f) => importsOf(f, readFileSync(f, 'utf8')));

  it('every file of server/portal sits in a layer', () => {
    const loose = walk(PORTAL).filter((f) => layerOf(f) === null).map((f) => relative(ROOT, f));
    expect(loose).toEqual([]);
  });

  it('routes -> services -> queries, pages only under routes, pure below all', () => {
    expect(violations(edges)).toEqual([]);
    // The scan sees the module at all (a broken pattern would pass vacuously).
    expect(edges.filter((e) => layerOf(e.from) === 'services' && layerOf(e.to) === 'queries').length).toBeGreaterThan(10);
  });

  it('catches an upward import', () => {
    const svc = join(PORTAL, 'services', 'x.ts');
    const fake = [
      ...importsOf(svc, "import { VoucherSheet } from '../pages/voucher-sheet.tsx';\n"),
      ...importsOf(join(PORTAL, 'queries', 'x.ts'), "import {\n  cityDay,\n} from '../services/grant-access.ts';\n"),
      ...importsOf(join(PORTAL, 'pure', 'x.ts'), "export { a } from '../queries/types.ts';\n"),
      ...importsOf(join(ROOT, 'server', 'jobs', 'x.ts'), "import { portalAdminRoutes } from '../portal/routes/admin-routes.tsx';\n"),
    ];
    expect(violations(fake)).toHaveLength(4);
    expect(violations(importsOf(join(PORTAL, 'pages', 'x.tsx'), "import type { VoucherRow } from '../queries/vouchers.ts';\n"))).toEqual([]);
  });
});
