/**
 * The Content-Security-Policy of every answer (issue 10). Images only from the server itself, data: URLs (no request
 * leaves for those) and the configured map tile servers; forms post only to the server itself. The captive portal's
 * hand-off page is the one exception: it posts to the hotspot's own login address, so that page names exactly that
 * origin (`formActionOrigins`) and nothing else.
 */
export const DEFAULT_TILE_ORIGINS = ['https://tile.openstreetmap.org'] as const;

export function contentSecurityPolicy(options: { tileOrigins?: readonly string[]; formActionOrigins?: readonly string[] } = {}): string {
  const tiles = options.tileOrigins ?? DEFAULT_TILE_ORIGINS;
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'self'"]],
    ['img-src', ["'self'", 'data:', ...tiles]],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['script-src', ["'self'"]],
    ['connect-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'self'"]],
    ['frame-ancestors', ["'none'"]],
    ['form-action', ["'self'", ...(options.formActionOrigins ?? [])]],
  ];
  return directives.map(([k, v]) => `${k} ${v.join(' ')}`).join('; ');
}

/** An origin a CSP source list may name: scheme://host[:port] of an http(s) URL, or null. */
export function cspOrigin(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.origin;
  } catch {
    return null;
  }
}
