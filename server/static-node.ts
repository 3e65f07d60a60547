import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { MiddlewareHandler } from 'hono';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.ico': 'image/x-icon',
};

/**
 * Serves the built web console (web/dist) on Node. `/` is the public map, `/console` the staff console; their
 * sub-paths fall back to the page so client-side routes reload. Never serves a path outside the folder.
 */
export function webConsoleFiles(root: string): MiddlewareHandler {
  const cache = new Map<string, { body: Uint8Array; type: string } | null>();
  const load = (rel: string): { body: Uint8Array; type: string } | null => {
    if (cache.has(rel)) return cache.get(rel)!;
    const file = normalize(join(root, rel));
    // A folder (e.g. `/console`, which holds the console's index.html) is not a file: fall back to the page.
    const hit = file.startsWith(root + sep) && existsSync(file) && statSync(file).isFile() ? { body: readFileSync(file), type: TYPES[extname(file)] ?? 'application/octet-stream' } : null;
    cache.set(rel, hit);
    return hit;
  };
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const path = decodeURIComponent(c.req.path);
    let hit = path.endsWith('/') ? null : load(path);
    if (hit === null) hit = load(path.startsWith('/console') ? '/console/index.html' : '/index.html');
    if (hit === null) {
      return c.text('The web console is not built: run `npm run build:web` (npm start does this).', 503);
    }
    c.header('content-type', hit.type);
    c.header('cache-control', path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    return c.body(hit.body as unknown as ArrayBuffer);
  };
}
