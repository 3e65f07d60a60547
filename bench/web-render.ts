/**
 * Web map benchmark: the public map with 5,000 access points and the 43 Cilegon wards in headless Chromium.
 * Figures: first meaningful render (navigation start -> points drawn, `performance.mark('jangkau:points-rendered')`),
 * frame times while dragging the map, and the gzipped JavaScript of each page. Baseline in the same run: the same
 * page with one plain L.marker per point (`?render=dom`, no canvas, no clustering).
 * The API answers are fixed fixtures served by Playwright (the real server serves the built files).
 * Run: `npx tsx bench/web-render.ts` (appends to bench/RESULTS.md under "## Web").
 */
import { readFileSync, writeFileSync, existsSync, readdirSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { REPO_ROOT, readSharedData } from '../test/helpers/shared-data.ts';
import { ensureWebBuild } from '../test/web/support/build.ts';
import { launchChromium, openPage } from '../test/web/support/browser.ts';
import { startSeededServer } from '../test/web/support/server.ts';
import { seededRandom as rng } from '../core/seeded-random.ts';

const POINTS = 5000;
const RUNS = 5;


function fixtures(): Record<string, unknown> {
  const raw = JSON.parse(readSharedData('cilegon-kelurahan.geojson')) as {
    features: { properties: Record<string, unknown>; geometry: unknown }[];
  };
  const wards = {
    type: 'FeatureCollection',
    features: raw.features.map((f) => ({
      type: 'Feature',
      properties: { code: f.properties.kode, name: f.properties.nama, district: f.properties.kecamatan, areaM2: Number(f.properties.area_km2) * 1e6, population: 11_000 },
      geometry: f.geometry,
    })),
  };
  const r = rng(42);
  const states = ['up', 'up', 'up', 'up', 'up', 'up', 'up', 'up', 'up', 'up', 'up', 'up', 'up', 'up', 'up', 'up', 'down', 'unknown', 'planned', 'up'];
  const items = Array.from({ length: POINTS }, (_, i) => {
    const c = raw.features[i % raw.features.length]!.properties;
    return {
      id: `ap-${i}`,
      name: `AP ${i}`,
      lat: Number(c.centroid_lat) + (r() - 0.5) * 0.012,
      lon: Number(c.centroid_lng) + (r() - 0.5) * 0.012,
      wardCode: c.kode,
      state: states[Math.floor(r() * states.length)],
    };
  });
  const summary = {
    pointsLive: items.filter((x) => x.state === 'up').length,
    pointsTotal: POINTS,
    availabilityTodayPct: 98.7,
    residentsCoveredPct: 71.2,
    wards: wards.features.map((f, i) => ({ code: f.properties.code, name: f.properties.name, coveredPct: (i * 37) % 100, status: 'green' })),
  };
  const openapi = { openapi: '3.1.0', paths: { '/api/v1/public/wards.geojson': { get: {} }, '/api/v1/public/hotspots': { get: {} }, '/api/v1/public/summary': { get: {} }, '/api/v1/reports': { post: {} } } };
  return { '/api/v1/openapi.json': openapi, '/api/v1/public/wards.geojson': wards, '/api/v1/public/hotspots': { items }, '/api/v1/public/summary': summary };
}

async function measure(page: Page, url: string, shot: string | null): Promise<{ renderMs: number; p95FrameMs: number; maxFrameMs: number }> {
  await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName('jangkau:points-rendered').length > 0, undefined, { timeout: 60_000 });
  const renderMs = (await page.evaluate("performance.getEntriesByName('jangkau:points-rendered')[0].startTime")) as number;
  if (shot !== null) {
    await page.waitForTimeout(400);
    await page.screenshot({ path: shot });
  }
  // Drag the map for a second and record the frame intervals.
  // A string, not a function: tsx would wrap named inner functions in a helper the page does not have.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__stop = false;
    let last = performance.now();
    const tick = (now) => { window.__frames.push(now - last); last = now; if (!window.__stop) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  const box = (await page.locator('#map').boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let i = 0; i < 40; i++) await page.mouse.move(cx + Math.sin(i / 6) * 200, cy + Math.cos(i / 6) * 120, { steps: 2 });
  await page.mouse.up();
  const frames = (await page.evaluate('(() => { window.__stop = true; return window.__frames.slice(1); })()')) as number[];
  frames.sort((a, b) => a - b);
  return { renderMs, p95FrameMs: frames[Math.floor(frames.length * 0.95)] ?? 0, maxFrameMs: frames[frames.length - 1] ?? 0 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function pageBundleGzip(htmlRel: string): number {
  const dist = join(REPO_ROOT, 'web', 'dist');
  const html = readFileSync(join(dist, htmlRel), 'utf8');
  const files = new Set([...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!));
  let total = 0;
  for (const f of files) total += gzipSync(readFileSync(join(dist, f)), { level: 9 }).length;
  return total;
}

async function main(): Promise<void> {
  ensureWebBuild();
  const server = await startSeededServer();
  const browser = await launchChromium();
  const data = fixtures();
  const rows: { mode: string; render: number[]; p95: number[]; max: number[] }[] = [
    { mode: 'canvas', render: [], p95: [], max: [] },
    { mode: 'dom', render: [], p95: [], max: [] },
  ];
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const row of rows) {
        const w = await openPage(browser, { viewport: { width: 1440, height: 900 } });
        await w.context.route('**/api/v1/**', async (route) => {
          const path = new URL(route.request().url()).pathname;
          const body = data[path];
          if (body === undefined) await route.fulfill({ status: 404, contentType: 'application/json', body: '{"code":"not_found","message":"x","requestId":"b"}' });
          else await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
        });
        mkdirSync(join(REPO_ROOT, 'test-artifacts', 'web'), { recursive: true });
        const shot = run === 0 ? join(REPO_ROOT, 'test-artifacts', 'web', `bench-public-${row.mode}.png`) : null;
        const m = await measure(w.page, `${server.baseUrl}/${row.mode === 'dom' ? '?render=dom' : ''}`, shot);
        row.render.push(m.renderMs);
        row.p95.push(m.p95FrameMs);
        row.max.push(m.maxFrameMs);
        if (w.problems.length > 0) throw new Error(`page problems: ${w.problems.join('; ')}`);
        await w.context.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const canvas = rows[0]!;
  const dom = rows[1]!;
  const publicKb = pageBundleGzip('index.html') / 1024;
  const consoleKb = pageBundleGzip('console/index.html') / 1024;
  const cssFiles = readdirSync(join(REPO_ROOT, 'web', 'dist', 'assets')).filter((f) => f.endsWith('.css'));
  const cssKb = cssFiles.reduce((n, f) => n + gzipSync(readFileSync(join(REPO_ROOT, 'web', 'dist', 'assets', f)), { level: 9 }).length, 0) / 1024;
  const f = (x: number): string => x.toFixed(0);
  const lines = [
    '## Web',
    '',
    'Method: `npx tsx bench/web-render.ts`. Headless Debian Chromium (playwright-core), 1440x900, 2-core machine shared with',
    `other sessions. The public map (\`/\`) served by the real Node server from web/dist; its API answers are fixtures: ${POINTS.toLocaleString('en')}`,
    'access points around the 43 ward centroids of shared/data/cilegon-kelurahan.geojson (85 % up, 5 % down, 5 % unknown,',
    '5 % planned) and the 43 ward polygons shaded by coverage. "First meaningful render" = navigation start to',
    "`performance.mark('jangkau:points-rendered')` (set in the frame after the points layer drew); then the map is dragged",
    `for ~1 s and requestAnimationFrame intervals recorded. Median of ${RUNS} runs each, fresh browser context per run.`,
    'Baseline, same run: the same page with `?render=dom`, one plain `L.marker` (divIcon) per point, no canvas, no clustering.',
    '',
    '| figure | canvas + grid clustering | baseline: L.marker per point | ratio |',
    '|---|---|---|---|',
    `| first meaningful render | ${f(median(canvas.render))} ms | ${f(median(dom.render))} ms | ${(median(canvas.render) / median(dom.render)).toFixed(2)}x |`,
    `| frame time while dragging, p95 | ${f(median(canvas.p95))} ms | ${f(median(dom.p95))} ms | ${(median(canvas.p95) / Math.max(1, median(dom.p95))).toFixed(2)}x |`,
    `| longest frame while dragging | ${f(median(canvas.max))} ms | ${f(median(dom.max))} ms | ${(median(canvas.max) / Math.max(1, median(dom.max))).toFixed(2)}x |`,
    '',
    `All runs, render ms: canvas ${canvas.render.map(f).join(', ')}; baseline ${dom.render.map(f).join(', ')}.`,
    '',
    `Bundles (gzip -9 of the JavaScript each page loads): public map ${publicKb.toFixed(1)} KB (budget 100 KB),`,
    `console ${consoleKb.toFixed(1)} KB (budget 300 KB); CSS of both pages ${cssKb.toFixed(1)} KB. Leaflet is most of the shared chunk.`,
    '',
  ];
  const text = lines.join('\n');
  process.stdout.write(text + '\n');
  const resultsPath = join(REPO_ROOT, 'bench', 'RESULTS.md');
  const old = existsSync(resultsPath) ? readFileSync(resultsPath, 'utf8') : '';
  // Replace our own section (from "## Web" to the next "## "), keep every other section as it is.
  const start = old.indexOf('\n## Web\n');
  let next: string;
  if (start >= 0 || old.startsWith('## Web\n')) {
    const from = old.startsWith('## Web\n') ? 0 : start + 1;
    const after = old.indexOf('\n## ', from + 1);
    next = old.slice(0, from) + text + (after >= 0 ? old.slice(after + 1) : '');
  } else {
    next = old + (old.endsWith('\n') || old === '' ? '' : '\n') + '\n' + text;
  }
  writeFileSync(resultsPath, next);
}

main().catch((err: unknown) => {
  process.stderr.write(`web-render bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
